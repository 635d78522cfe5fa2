import { upsertContact } from '../../../db/queries/contacts';
import {
  acquireLease,
  assignConversation,
  claimConversation,
  closeConversation,
  findOpenConversation,
  insertConversation,
  releaseLease,
} from '../../../db/queries/conversations';
import { leaseHolder } from '../../../src/queue/lease-holder';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';

describe.each(TEST_BACKENDS)('conversation queries on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(backend, { maxConnections: 10 });
  });
  afterAll(async () => {
    await database.close();
  });

  async function openConversation(waId: string) {
    const contact = await upsertContact(database.db, { waId, profileName: 'Alice' });
    const row = await insertConversation(database.db, {
      phoneNumberId: '100000000000001',
      contactId: contact.id,
      channelId: 'C0TEST',
      openedAt: new Date(),
    });
    if (!row) throw new Error('not opened');
    return row;
  }

  it('gives exactly one winner when two agents claim at the same moment', async () => {
    for (let round = 0; round < 20; round++) {
      const conversation = await openConversation(`1555000${String(round).padStart(4, '0')}`);
      const results = await Promise.all([
        claimConversation(database.db, conversation.id, 'U0ANA', 'claimed'),
        claimConversation(database.db, conversation.id, 'U0BRUNO', 'claimed'),
      ]);
      const winners = results.filter(Boolean);
      expect(winners).toHaveLength(1);
      expect(winners[0]?.state).toBe('waiting_on_agent');
    }
  });

  it('refuses a claim on an owned or closed conversation', async () => {
    const conversation = await openConversation('15550009001');
    expect(await claimConversation(database.db, conversation.id, 'U0ANA', 'claimed')).toBeDefined();
    expect(await claimConversation(database.db, conversation.id, 'U0BRUNO', 'claimed')).toBeUndefined();
    const other = await openConversation('15550009002');
    await closeConversation(database.db, other.id, 'U0ANA', new Date());
    expect(await claimConversation(database.db, other.id, 'U0BRUNO', 'claimed')).toBeUndefined();
  });

  it('keeps one open conversation per customer and number', async () => {
    const first = await openConversation('15550009003');
    const again = await insertConversation(database.db, {
      phoneNumberId: '100000000000001',
      contactId: first.contactId,
      channelId: 'C0TEST',
      openedAt: new Date(),
    });
    expect(again).toBeUndefined();
    expect((await findOpenConversation(database.db, '100000000000001', first.contactId))?.id).toBe(first.id);
  });

  it('reassigns only from the owner the caller saw', async () => {
    const conversation = await openConversation('15550009004');
    await claimConversation(database.db, conversation.id, 'U0ANA', 'claimed');
    expect(await assignConversation(database.db, conversation.id, 'U0CARLA', 'handoff', 'U0BRUNO')).toBeUndefined();
    const moved = await assignConversation(database.db, conversation.id, 'U0CARLA', 'handoff', 'U0ANA');
    expect(moved?.ownerId).toBe('U0CARLA');
    const pooled = await assignConversation(database.db, conversation.id, null, null);
    expect(pooled?.state).toBe('unassigned');
  });

  it('lets one worker hold a conversation lease until it releases or the lease runs out', async () => {
    const conversation = await openConversation('15550009005');
    const now = new Date();
    const until = new Date(now.getTime() + 60_000);
    const [a, b] = await Promise.all([
      acquireLease(database.db, conversation.id, 'worker-a', until, now),
      acquireLease(database.db, conversation.id, 'worker-b', until, now),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const holder = a ? 'worker-a' : 'worker-b';
    const other = a ? 'worker-b' : 'worker-a';
    expect(await acquireLease(database.db, conversation.id, other, until, now)).toBe(false);
    expect(await acquireLease(database.db, conversation.id, other, until, new Date(until.getTime() + 1))).toBe(true);
    await releaseLease(database.db, conversation.id, holder);
    expect(await acquireLease(database.db, conversation.id, holder, until, now)).toBe(false);
  });

  it('refuses a second run of the same process while the first holds the lease', async () => {
    const conversation = await openConversation('15550009006');
    const now = new Date();
    const until = new Date(now.getTime() + 60_000);
    const first = leaseHolder('worker-a');
    const second = leaseHolder('worker-a');
    expect(await acquireLease(database.db, conversation.id, first, until, now)).toBe(true);
    expect(await acquireLease(database.db, conversation.id, second, until, now)).toBe(false);
    expect(await acquireLease(database.db, conversation.id, first, until, now)).toBe(true);
  });

  it('finds a 2026 customer by business-scoped id when the payload has no phone number', async () => {
    const carol = await upsertContact(database.db, { userId: 'US.7300000000000000003', username: 'carol' });
    const again = await upsertContact(database.db, { userId: 'US.7300000000000000003', profileName: 'Carol' });
    expect(again.id).toBe(carol.id);
    expect(again.profileName).toBe('Carol');
    const withPhone = await upsertContact(database.db, { userId: 'US.7300000000000000003', waId: '15550004444' });
    expect(withPhone.id).toBe(carol.id);
    expect(withPhone.waId).toBe('15550004444');
  });
});
