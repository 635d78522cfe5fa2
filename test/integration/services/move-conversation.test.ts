import { asc, eq } from 'drizzle-orm';
import { acquireLease, findConversationById } from '../../../db/queries/conversations';
import { enqueueSlackOp } from '../../../db/queries/slack-outbox';
import { slackOutbox } from '../../../db/schema';
import { ManualClock } from '../../../src/clock';
import { loadConfig } from '../../../src/config';
import { type Deps, buildDeps } from '../../../src/deps';
import { createLogger } from '../../../src/logger';
import { moveConversation } from '../../../src/services/move-conversation';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';
import { HOUR, seedConversation } from '../../helpers/digest-seed';
import { createRecordingSlack } from '../../helpers/recording-slack';

describe.each(TEST_BACKENDS)('moving a conversation to another channel on %s', (backend) => {
  let database: TestDatabase;
  let deps: Deps;
  const clock = new ManualClock('2026-11-24T10:00:00Z');
  beforeAll(async () => {
    database = await openTestDatabase(backend, { maxConnections: 10 });
    deps = await buildDeps(loadConfig({}, []), { database, clock, slack: createRecordingSlack(), logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await database.close();
  });

  const openOps = async (conversationId: number) =>
    (await database.db.select().from(slackOutbox).where(eq(slackOutbox.conversationId, conversationId)).orderBy(asc(slackOutbox.id))).filter(
      (op) => op.state === 'pending',
    );

  it('puts work still waiting for the old thread behind the new card, and the "moved" line last', async () => {
    const id = await seedConversation(database.db, { waId: '15550010001', state: 'waiting_on_agent', ownerId: 'U0ANA', openedAt: new Date(clock.now().getTime() - HOUR) });
    await enqueueSlackOp(database.db, { conversationId: id, kind: 'post_notice', payload: { notice: 'text', text: 'waiting notice' } });
    await enqueueSlackOp(database.db, { conversationId: id, kind: 'update_card' });

    const result = await moveConversation(deps, { conversationId: id, actorId: 'U0ANA', toChannelId: 'C0SUPPORT01', expectedOwnerId: 'U0ANA' });

    expect(result).toMatchObject({ ok: true, conversation: { channelId: 'C0SUPPORT01', threadTs: null, ownerId: null, state: 'unassigned' } });
    const ops = await openOps(id);
    expect(ops.map((op) => [op.kind, op.payload.text ?? ''])).toEqual([
      ['post_card', ''],
      ['post_notice', expect.stringContaining('Moved here from')],
      ['post_notice', 'waiting notice'],
      ['post_notice', expect.stringContaining('Moved to <#C0SUPPORT01>')],
    ]);
    expect(ops[3]?.payload).toMatchObject({ channel: 'C0INBOX001', threadTs: '1795000000.010001', link: { label: 'Continue in the new thread' } });
    expect((await findConversationById(database.db, id))?.leaseOwner).toBeNull();
  });

  it('refuses when someone else took the conversation meanwhile, or it is already there', async () => {
    const id = await seedConversation(database.db, { waId: '15550010002', state: 'waiting_on_agent', ownerId: 'U0BRUNO', openedAt: clock.now() });
    expect(await moveConversation(deps, { conversationId: id, actorId: 'U0ANA', toChannelId: 'C0SUPPORT01', expectedOwnerId: 'U0ANA' })).toEqual({ ok: false, reason: 'changed' });
    expect(await moveConversation(deps, { conversationId: id, actorId: 'U0BRUNO', toChannelId: 'C0INBOX001', expectedOwnerId: 'U0BRUNO' })).toEqual({ ok: false, reason: 'same_channel' });
    expect((await findConversationById(database.db, id))?.channelId).toBe('C0INBOX001');
  });

  it('waits for a worker that is posting into the thread, and gives up as busy if it does not finish', async () => {
    const id = await seedConversation(database.db, { waId: '15550010003', openedAt: clock.now() });
    await acquireLease(database.db, id, 'some-worker', new Date(clock.now().getTime() + 60_000), clock.now());

    expect(await moveConversation(deps, { conversationId: id, actorId: 'U0ANA', toChannelId: 'C0SUPPORT01', expectedOwnerId: null })).toEqual({ ok: false, reason: 'busy' });
    expect((await findConversationById(database.db, id))?.channelId).toBe('C0INBOX001');
  });
});
