import { eq } from 'drizzle-orm';
import { listWakeableConversations } from '../../../db/queries/conversations';
import { enqueueSlackOp, listConversationsWithStaleSlackOps } from '../../../db/queries/slack-outbox';
import { conversations } from '../../../db/schema';
import { ManualClock } from '../../../src/clock';
import type { Deps } from '../../../src/deps';
import { createLogger } from '../../../src/logger';
import { createConversationWorker } from '../../../src/queue/conversation-worker';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';
import { seedConversation } from '../../helpers/digest-seed';

/**
 * No wasted wake-ups (issue 7): a thread whose next post must wait for its Slack slot is parked until then, so the
 * customer messages that arrive meanwhile do not each lease it, read it and release it again.
 */
describe.each(TEST_BACKENDS)('a thread waiting on its next post (%s)', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database.close();
  });

  function workerDeps(signals: { id: number; delayMs: number | undefined }[]): Deps {
    return {
      db: database.db,
      clock: new ManualClock('2026-12-01T10:00:00Z'),
      logger: createLogger({ level: 'silent' }),
      lifecycle: { stopping: false },
      workerId: 'w1',
      queue: {
        signal: async (id: number, delayMs?: number) => {
          signals.push({ id, delayMs });
        },
      },
    } as unknown as Deps;
  }

  it('is parked for as long as its head waits, and signalled once for then', async () => {
    const id = await seedConversation(database.db, { waId: '15550300001', openedAt: new Date('2026-12-01T09:00:00Z') });
    const signals: { id: number; delayMs: number | undefined }[] = [];
    const worker = createConversationWorker(workerDeps(signals), [async () => ({ progressed: false, waitMs: 700, headWaitMs: 900 })]);
    const before = Date.now();
    await worker(id);

    expect(signals).toEqual([{ id, delayMs: 700 }]);
    const [row] = await database.db.select().from(conversations).where(eq(conversations.id, id));
    expect(row?.slackParkedUntil?.getTime()).toBeGreaterThanOrEqual(before + 900);
    expect(row?.slackParkedUntil?.getTime()).toBeLessThanOrEqual(Date.now() + 900);

    // New customer messages for it now wake nobody; once the slot has come they do again.
    expect(await listWakeableConversations(database.db, [id], new Date())).toEqual([]);
    expect(await listWakeableConversations(database.db, [id], new Date(Date.now() + 1_000))).toEqual([id]);
  });

  it('a thread with nothing to wait for is not parked', async () => {
    const id = await seedConversation(database.db, { waId: '15550300002', openedAt: new Date('2026-12-01T09:00:00Z') });
    const signals: { id: number; delayMs: number | undefined }[] = [];
    // A WhatsApp send backing off (no ordered Slack head): signalled, not parked.
    await createConversationWorker(workerDeps(signals), [async () => ({ progressed: false, waitMs: 2_000 })])(id);
    expect(signals).toEqual([{ id, delayMs: 2_000 }]);
    expect(await listWakeableConversations(database.db, [id], new Date())).toEqual([id]);
  });

  it('the sweeper leaves a parked thread alone until its slot has passed, then picks it up', async () => {
    const id = await seedConversation(database.db, { waId: '15550300003', openedAt: new Date('2026-12-01T09:00:00Z') });
    await enqueueSlackOp(database.db, { conversationId: id, kind: 'update_card', payload: {} });
    const signals: { id: number; delayMs: number | undefined }[] = [];
    await createConversationWorker(workerDeps(signals), [async () => ({ progressed: false, waitMs: 5_000, headWaitMs: 5_000 })])(id);

    const later = new Date(Date.now() + 60_000);
    expect(await listConversationsWithStaleSlackOps(database.db, later, later, 100, new Date())).not.toContain(id);
    expect(await listConversationsWithStaleSlackOps(database.db, later, later, 100, new Date(Date.now() + 6_000))).toContain(id);
  });
});
