import { eq } from 'drizzle-orm';
import { findConversationById } from '../../../db/queries/conversations';
import { enqueueCardUpdate, listOpenSlackOps } from '../../../db/queries/slack-outbox';
import { conversations, slackOutbox } from '../../../db/schema';
import type { SlackOp } from '../../../db/schema/slack-op-payloads';
import { ManualClock } from '../../../src/clock';
import type { Deps } from '../../../src/deps';
import { createLogger } from '../../../src/logger';
import { createMetrics } from '../../../src/metrics';
import { MemoryRateLimiter, PLATFORM_PACE } from '../../../src/queue/rate-limiter';
import { updateCard } from '../../../src/services/delivery/slack-card-ops';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';
import { seedConversation } from '../../helpers/digest-seed';
import { createRecordingSlack } from '../../helpers/recording-slack';

/**
 * The conversation worker reads a conversation, then its open ops. A change (a resolve, a reassign) that commits
 * between those two reads bumps the card version and adds an update_card op together: the worker then holds the
 * new op but the old row. Deciding from that row, the op was marked done without a redraw and the card stayed as it
 * was (seen on Postgres + Redis: a resolved conversation whose card still said "open").
 */
describe.each(TEST_BACKENDS)('a card update that raced its conversation row (%s)', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database.close();
  });

  it('is drawn from the row as it is now, not from the snapshot the step started with', async () => {
    const db = database.db;
    const id = await seedConversation(db, { waId: '15550009001', openedAt: new Date('2026-12-01T09:00:00Z') });
    await db.update(conversations).set({ cardVersion: 2, cardRenderedVersion: 2 }).where(eq(conversations.id, id));
    // The snapshot the worker read: the card is drawn up to date.
    const snapshot = (await findConversationById(db, id))!;

    // Then the resolve commits: new state, version bump and op together.
    await db.transaction(async (tx) => {
      await tx.update(conversations).set({ state: 'closed', closedBy: 'U0MGR', closedAt: new Date('2026-12-01T09:05:00Z'), cardVersion: 3 }).where(eq(conversations.id, id));
      await enqueueCardUpdate(tx, id);
    });
    const [parsed] = await listOpenSlackOps(db, id, 10);
    if (!parsed?.ok) throw new Error('no parsed op');

    const updates: { ts: string; text: string }[] = [];
    const slack = { ...createRecordingSlack(), updateMessage: (args: { ts: string; text: string }) => (updates.push(args), Promise.resolve()) };
    const deps = {
      db,
      clock: new ManualClock('2026-12-01T09:06:00Z'),
      slack,
      limits: new MemoryRateLimiter(),
      pace: PLATFORM_PACE,
      metrics: createMetrics(),
      logger: createLogger({ level: 'silent' }),
    } as unknown as Deps;

    await updateCard(deps, snapshot, parsed.op as SlackOp<'update_card'>);

    expect(updates).toHaveLength(1);
    expect(updates[0]!.text).toMatch(/closed/i);
    expect((await findConversationById(db, id))?.cardRenderedVersion).toBe(3);
    const [op] = await db.select().from(slackOutbox).where(eq(slackOutbox.id, parsed.op.id));
    expect(op?.state).toBe('done');
  });
});
