import { insertInboxBodies, listPendingInbox } from '../../../db/queries/webhook-inbox';
import { webhookInbox } from '../../../db/schema';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';

/**
 * The inbox processor takes pending rows in arrival order, bounded by count and by stored bytes, so a burst of
 * 1,000-message POSTs never makes one transaction hold the database while webhook acks wait (issue 7).
 */
describe.each(TEST_BACKENDS)('the next batch of stored webhooks (%s)', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await database.db.delete(webhookInbox);
  });

  const body = (n: number, fill: string) => Buffer.from(`{"pad":"${fill.repeat(n)}"}`);
  const now = () => new Date(Date.now() + 1000);

  it('takes rows in arrival order up to the count, byte for byte, and says more are waiting', async () => {
    const bodies = Array.from({ length: 5 }, (_, i) => body(10, String(i)));
    await insertInboxBodies(database.db, bodies);

    const first = await listPendingInbox(database.db, { limit: 3, maxBytes: 1_000_000, now: now() });
    expect(first.rows.map((r) => r.raw.toString())).toEqual(bodies.slice(0, 3).map(String));
    expect(first.rows.every((r) => Buffer.isBuffer(r.raw) && r.attempts === 0)).toBe(true);
    expect(first.more).toBe(true);

    const all = await listPendingInbox(database.db, { limit: 5, maxBytes: 1_000_000, now: now() });
    expect(all.rows).toHaveLength(5);
    expect(all.more).toBe(false);
  });

  it('stops before the byte budget is passed, but always takes at least one row', async () => {
    await insertInboxBodies(database.db, [body(600, 'a'), body(600, 'b'), body(100, 'c')]);

    const one = await listPendingInbox(database.db, { limit: 200, maxBytes: 500, now: now() });
    expect(one.rows.map((r) => r.raw.length)).toEqual([610]);
    expect(one.more).toBe(true);

    const two = await listPendingInbox(database.db, { limit: 200, maxBytes: 1_000, now: now() });
    expect(two.rows.map((r) => r.raw.length)).toEqual([610, 610]);
    expect(two.more).toBe(true);
  });

  it('leaves out the rows set aside', async () => {
    await insertInboxBodies(database.db, [body(1, 'x'), body(1, 'y'), body(1, 'z')]);
    const ids = (await listPendingInbox(database.db, { limit: 10, maxBytes: 1_000, now: now() })).rows.map((r) => r.id);

    const rest = await listPendingInbox(database.db, { limit: 10, maxBytes: 1_000, now: now(), skip: [ids[1]!] });
    expect(rest.rows.map((r) => r.id)).toEqual([ids[0], ids[2]]);
    expect(rest.more).toBe(false);
  });
});
