import { eq } from 'drizzle-orm';
import { upsertContact } from '../../../db/queries/contacts';
import { insertConversation } from '../../../db/queries/conversations';
import { countOpenByOwner, countOpenByState, listOldestOpen } from '../../../db/queries/queue';
import { type ConversationState, conversations } from '../../../db/schema';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';

const base = new Date('2026-11-24T08:00:00Z');
const minutes = (m: number) => new Date(base.getTime() + m * 60_000);

describe.each(TEST_BACKENDS)('queue queries on %s', (backend) => {
  let database: TestDatabase;
  let seq = 0;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database.close();
  });

  async function seed(args: { state: ConversationState; ownerId?: string; awaitingAt?: number; outboundAt?: number; openedAt?: number; name?: string }) {
    seq += 1;
    const contact = await upsertContact(database.db, { waId: `1555100${String(seq).padStart(4, '0')}`, profileName: args.name ?? `C${seq}` });
    const row = await insertConversation(database.db, {
      phoneNumberId: '100000000000001',
      contactId: contact.id,
      channelId: 'C0INBOX001',
      openedAt: minutes(args.openedAt ?? 0),
    });
    if (!row) throw new Error('not opened');
    await database.db
      .update(conversations)
      .set({
        state: args.state,
        ownerId: args.ownerId ?? null,
        awaitingReplySince: args.awaitingAt === undefined ? null : minutes(args.awaitingAt),
        lastOutboundAt: args.outboundAt === undefined ? null : minutes(args.outboundAt),
        lastInboundAt: minutes(args.awaitingAt ?? 0),
        threadTs: `1700000000.${String(seq).padStart(6, '0')}`,
      })
      .where(eq(conversations.id, row.id));
    return row.id;
  }

  let ids: Record<string, number>;
  beforeAll(async () => {
    ids = {
      u1: await seed({ state: 'unassigned', awaitingAt: 30, name: 'Young unassigned' }),
      u2: await seed({ state: 'unassigned', awaitingAt: 5, name: 'Old unassigned' }),
      a1: await seed({ state: 'waiting_on_agent', ownerId: 'U0ANA', awaitingAt: 20 }),
      a2: await seed({ state: 'waiting_on_agent', ownerId: 'U0BRUNO', awaitingAt: 10 }),
      c1: await seed({ state: 'waiting_on_customer', ownerId: 'U0ANA', outboundAt: 40 }),
      c2: await seed({ state: 'waiting_on_customer', ownerId: 'U0ANA', outboundAt: 15 }),
      x1: await seed({ state: 'closed', ownerId: 'U0ANA', awaitingAt: 1 }),
      // Released after the agent replied: unowned with no unanswered message, aged from the reply.
      r1: await seed({ state: 'unassigned', outboundAt: 25, openedAt: 1 }),
    };
  });

  it('counts open conversations per state for everyone, the unassigned pool and one owner; closed ones never count', async () => {
    expect(await countOpenByState(database.db, { kind: 'all' })).toEqual({ unassigned: 3, waiting_on_agent: 2, waiting_on_customer: 2 });
    expect(await countOpenByState(database.db, { kind: 'unassigned' })).toEqual({ unassigned: 3, waiting_on_agent: 0, waiting_on_customer: 0 });
    expect(await countOpenByState(database.db, { kind: 'owner', ownerId: 'U0ANA' })).toEqual({
      unassigned: 0,
      waiting_on_agent: 1,
      waiting_on_customer: 2,
    });
    expect(await countOpenByState(database.db, { kind: 'owner', ownerId: 'U0NOBODY' })).toEqual({
      unassigned: 0,
      waiting_on_agent: 0,
      waiting_on_customer: 0,
    });
  });

  it('lists one state oldest first by how long it has waited, with the customer and the thread', async () => {
    const rows = await listOldestOpen(database.db, { scope: { kind: 'all' }, state: 'unassigned', limit: 10 });
    expect(rows.map((r) => r.id)).toEqual([ids.u2, ids.r1, ids.u1]);
    expect(rows[0]).toMatchObject({ customerName: 'Old unassigned', channelId: 'C0INBOX001', state: 'unassigned', ownerId: null });
    expect(rows[0]?.waitingSince).toEqual(minutes(5));
    expect(rows[1]?.waitingSince).toEqual(minutes(25));
    expect(rows[0]?.threadTs).toMatch(/^1700000000\.\d{6}$/);
  });

  it('ages the customer’s turn from the last reply, and keeps to the owner and the limit', async () => {
    const rows = await listOldestOpen(database.db, { scope: { kind: 'owner', ownerId: 'U0ANA' }, state: 'waiting_on_customer', limit: 1 });
    expect(rows.map((r) => [r.id, r.waitingSince])).toEqual([[ids.c2, minutes(15)]]);
    const bruno = await listOldestOpen(database.db, { scope: { kind: 'owner', ownerId: 'U0BRUNO' }, state: 'waiting_on_customer', limit: 5 });
    expect(bruno).toEqual([]);
  });

  it('counts open conversations per owner for the people asked about', async () => {
    const counts = await countOpenByOwner(database.db, ['U0ANA', 'U0BRUNO', 'U0CARLA']);
    expect([...counts.entries()].sort()).toEqual([
      ['U0ANA', 3],
      ['U0BRUNO', 1],
    ]);
    expect((await countOpenByOwner(database.db, [])).size).toBe(0);
  });
});
