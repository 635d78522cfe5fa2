import { upsertContact } from '../../../db/queries/contacts';
import { insertConversation } from '../../../db/queries/conversations';
import { findFollowUps, findFollowUpsOfMany, insertInboundMessages } from '../../../db/queries/messages';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';

/** A coalesced post reads its messages' reactions, edits and deletions in one statement: the same answer as one by one. */
describe.each(TEST_BACKENDS)('follow-ups of several messages on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database.close();
  });

  it('finds the latest reaction, edit and deletion of each message, by when the customer did them', async () => {
    const contact = await upsertContact(database.db, { waId: '15550061001' });
    const conversation = await insertConversation(database.db, { phoneNumberId: '100000000000001', contactId: contact.id, channelId: 'C0FOLLOW', openedAt: new Date() });
    const at = (s: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + s * 1000);
    const row = (id: string, kind: string, s: number, context: string | null) => ({
      conversationId: conversation!.id,
      kind,
      waMessageId: id,
      waTimestamp: at(s),
      body: null,
      payload: {},
      content: {},
      contextWaMessageId: context,
    });
    await insertInboundMessages(database.db, [
      row('wamid.a', 'text', 0, null),
      row('wamid.b', 'text', 1, null),
      row('wamid.c', 'text', 2, null),
      // a: two reactions, the later one arriving first (webhooks may come out of order), and an edit.
      row('wamid.ra2', 'reaction', 20, 'wamid.a'),
      row('wamid.ra1', 'reaction', 10, 'wamid.a'),
      row('wamid.ea', 'edit', 15, 'wamid.a'),
      // b: deleted. c: nothing. A text quoting a is not a follow-up.
      row('wamid.xb', 'revoke', 30, 'wamid.b'),
      row('wamid.q', 'text', 40, 'wamid.a'),
    ]);
    const many = await findFollowUpsOfMany(database.db, ['wamid.a', 'wamid.b', 'wamid.c', 'wamid.a']);
    expect(many.get('wamid.a')?.reaction?.waMessageId).toBe('wamid.ra2');
    expect(many.get('wamid.a')?.edit?.waMessageId).toBe('wamid.ea');
    expect(many.get('wamid.a')?.revoke).toBeUndefined();
    expect(many.get('wamid.b')?.revoke?.waMessageId).toBe('wamid.xb');
    expect(many.has('wamid.c')).toBe(false);
    for (const id of ['wamid.a', 'wamid.b', 'wamid.c']) expect(await findFollowUps(database.db, id)).toEqual(many.get(id) ?? {});
    expect(await findFollowUpsOfMany(database.db, [])).toEqual(new Map());
  });
});
