import {
  claimDigestDay,
  countInboundByHour,
  countOpenByStateForDigest,
  countOpenedAndResolved,
  listOldestUnassigned,
  listOpenLoadPerAgent,
  listPastFirstReplyTarget,
  listWindowsClosingSoon,
  markDigestPosted,
  measureFirstReplies,
  summarizeFailedDeliveries,
} from '../../../db/queries/digest';
import { listClockHours } from '../../../src/services/digest-hours';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';
import { HOUR, MIN, seedConversation, seedFailedDelivery, seedInbound } from '../../helpers/digest-seed';

const NOW = new Date('2026-11-24T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const WINDOW = 24 * HOUR;

describe.each(TEST_BACKENDS)('digest queries on %s', (backend) => {
  let database: TestDatabase;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    database = await openTestDatabase(backend, { maxConnections: 10 });
    const db = database.db;
    // Unassigned for 3 h, never answered.
    ids.fresh = await seedConversation(db, { waId: '15550006001', name: 'Fresh', openedAt: ago(3 * HOUR), awaitingReplySince: ago(3 * HOUR) });
    // Unassigned the longest; its window closes in 30 min.
    ids.old = await seedConversation(db, { waId: '15550006002', name: 'Old', openedAt: ago(23.5 * HOUR), awaitingReplySince: ago(23.5 * HOUR) });
    ids.ana1 = await seedConversation(db, {
      waId: '15550006003',
      state: 'waiting_on_agent',
      ownerId: 'U0ANA',
      openedAt: ago(2 * HOUR),
      firstResponseAt: ago(2 * HOUR - 4 * MIN),
      lastInboundAt: ago(HOUR),
    });
    ids.ana2 = await seedConversation(db, {
      waId: '15550006004',
      state: 'waiting_on_customer',
      ownerId: 'U0ANA',
      openedAt: ago(30 * HOUR),
      firstResponseAt: ago(29 * HOUR),
      lastInboundAt: ago(30 * HOUR),
    });
    ids.bruno = await seedConversation(db, { waId: '15550006005', state: 'waiting_on_agent', ownerId: 'U0BRUNO', openedAt: ago(5 * HOUR), firstResponseAt: ago(5 * HOUR - 30 * MIN) });
    ids.closed = await seedConversation(db, { waId: '15550006006', state: 'closed', openedAt: ago(10 * HOUR), firstResponseAt: ago(10 * HOUR - 10 * MIN), closedAt: ago(HOUR) });
    ids.closedLongAgo = await seedConversation(db, { waId: '15550006007', state: 'closed', openedAt: ago(50 * HOUR), closedAt: ago(40 * HOUR) });
    await seedInbound(db, ids.fresh, ago(30 * MIN), 'wamid.a');
    await seedInbound(db, ids.fresh, ago(90 * MIN), 'wamid.b');
    await seedInbound(db, ids.ana1, ago(80 * MIN), 'wamid.c');
    await seedInbound(db, ids.ana1, ago(23 * HOUR + 30 * MIN), 'wamid.d');
    await seedInbound(db, ids.ana2, ago(25 * HOUR), 'wamid.e');
    await seedFailedDelivery(db, ids.ana1, ago(2 * HOUR), 131047, 'Re-engagement message');
    await seedFailedDelivery(db, ids.ana2, ago(3 * HOUR), 131047, 'Re-engagement message');
    await seedFailedDelivery(db, ids.bruno, ago(4 * HOUR), 131026, 'Message undeliverable');
    await seedFailedDelivery(db, ids.bruno, ago(30 * HOUR), 131026, 'Message undeliverable');
  });
  afterAll(async () => {
    await database.close();
  });

  it('counts open conversations per state, every state present', async () => {
    expect(await countOpenByStateForDigest(database.db)).toEqual({ unassigned: 2, waiting_on_agent: 2, waiting_on_customer: 1 });
  });

  it('counts conversations opened and resolved in the last 24 hours', async () => {
    expect(await countOpenedAndResolved(database.db, ago(24 * HOUR))).toEqual({ opened: 5, resolved: 1 });
  });

  it('lists the longest-waiting unassigned conversations first, with the total', async () => {
    const result = await listOldestUnassigned(database.db, 1);
    expect(result.total).toBe(2);
    expect(result.items).toEqual([expect.objectContaining({ id: ids.old, customerName: 'Old', ownerId: null, at: ago(23.5 * HOUR) })]);
  });

  it('sums open load per agent, busiest first, with how many wait on them', async () => {
    expect(await listOpenLoadPerAgent(database.db, 10)).toEqual([
      { ownerId: 'U0ANA', open: 2, waitingOnAgent: 1 },
      { ownerId: 'U0BRUNO', open: 1, waitingOnAgent: 1 },
    ]);
  });

  it('finds windows closing within 2 hours, with when they close', async () => {
    const result = await listWindowsClosingSoon(database.db, { now: NOW, withinMs: 2 * HOUR, windowMs: WINDOW, limit: 5 });
    expect(result.total).toBe(1);
    expect(result.items[0]).toMatchObject({ id: ids.old, at: new Date(ago(23.5 * HOUR).getTime() + WINDOW) });
  });

  it('sums failed deliveries of the last 24 hours by error code and title', async () => {
    expect(await summarizeFailedDeliveries(database.db, ago(24 * HOUR))).toEqual({
      total: 3,
      groups: [
        { code: '131047', title: 'Re-engagement message', count: 2 },
        { code: '131026', title: 'Message undeliverable', count: 1 },
      ],
    });
  });

  it('lists open conversations still without a first reply past the target, oldest first', async () => {
    const result = await listPastFirstReplyTarget(database.db, { now: NOW, targetMinutes: 15, limit: 5 });
    expect(result.total).toBe(2);
    expect(result.items.map((i) => i.id)).toEqual([ids.old, ids.fresh]);
  });

  it('counts customer messages per clock hour for the last 24 hours, oldest hour first', async () => {
    const starts = listClockHours(NOW, 'UTC', 24 * HOUR).map((h) => h.start);
    const counts = await countInboundByHour(database.db, { starts, until: NOW });
    expect(counts).toHaveLength(24);
    expect(counts[23]).toBe(1);
    expect(counts[22]).toBe(2);
    expect(counts[0]).toBe(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('counts into buckets of any length in one pass: a message at a start is in the bucket it starts, one at `until` in the last', async () => {
    // Messages at −25 h, −23 h 30, −90 min, −80 min and −30 min.
    const counts = await countInboundByHour(database.db, { starts: [ago(25 * HOUR), ago(90 * MIN), ago(31 * MIN)], until: ago(30 * MIN) });
    expect(counts).toEqual([2, 2, 1]);
    expect(await countInboundByHour(database.db, { starts: [ago(29 * MIN)], until: NOW })).toEqual([0]);
    expect(await countInboundByHour(database.db, { starts: [], until: NOW })).toEqual([]);
  });

  it('measures first replies of the last 24 hours: count, median, p90 and how many missed the target', async () => {
    // 4 min, 30 min and 10 min (the 29 h old one is outside the 24 hours).
    const stats = await measureFirstReplies(database.db, ago(24 * HOUR), 15);
    expect(stats).toEqual({ count: 3, medianMs: 10 * MIN, p90Ms: 26 * MIN, overTarget: 1 });
  });
});

describe.each(TEST_BACKENDS)('first-reply percentiles on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database.close();
  });

  it('interpolates between neighbours like percentile_cont: 1…10 minutes give a median of 5.5 and a p90 of 9.1', async () => {
    for (let minutes = 1; minutes <= 10; minutes++) {
      const openedAt = ago(20 * HOUR - minutes * MIN);
      await seedConversation(database.db, { waId: `1555000700${minutes}`, openedAt, firstResponseAt: new Date(openedAt.getTime() + minutes * MIN), state: 'waiting_on_customer', ownerId: 'U0ANA' });
    }
    expect(await measureFirstReplies(database.db, ago(24 * HOUR), 5)).toEqual({ count: 10, medianMs: 5.5 * MIN, p90Ms: 9.1 * MIN, overTarget: 5 });
  });

  it('has no median when nobody got a first reply', async () => {
    expect(await measureFirstReplies(database.db, NOW, 15)).toEqual({ count: 0, medianMs: undefined, p90Ms: undefined, overTarget: 0 });
  });
});

describe.each(TEST_BACKENDS)('the digest lock on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(backend, { maxConnections: 10 });
  });
  afterAll(async () => {
    await database.close();
  });
  const claim = (day: string, claimedBy: string, now: Date) => claimDigestDay(database.db, { day, channelId: 'C0DIGEST01', claimedBy, now });

  it('of eight processes claiming the same day at once, exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => claim('2026-11-24', `worker-${i}`, NOW)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('a claimed day is never claimed again, however long it waits (the outbox retries the post, not the claim)', async () => {
    expect(await claim('2026-11-25', 'worker-a', NOW)).toBe(true);
    expect(await claim('2026-11-25', 'worker-b', new Date(NOW.getTime() + 6 * MIN))).toBe(false);
    await markDigestPosted(database.db, { day: '2026-11-25', ts: '1.2', at: NOW });
    expect(await claim('2026-11-25', 'worker-c', new Date(NOW.getTime() + HOUR))).toBe(false);
  });
});
