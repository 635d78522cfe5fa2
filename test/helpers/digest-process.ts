import type { Db } from '../../db/client';
import type { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import type { Deps } from '../../src/deps';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/metrics';
import { createChannelWorker } from '../../src/queue/channel-worker';
import { MemoryRateLimiter, PLATFORM_PACE } from '../../src/queue/rate-limiter';
import { MemoryWorkQueue } from '../../src/queue/work-queue';
import { runChannelPost } from '../../src/services/delivery/channel-posts';
import type { RecordingSlack } from './recording-slack';

/** A digest channel is a real-platform setting: it comes with credentials, or the configuration is refused. */
export const DIGEST_CREDENTIALS = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'test-secret',
  SLACK_CHANNEL: 'C0INBOX001',
  WHATSAPP_ACCESS_TOKEN: 'test-token',
  WHATSAPP_APP_SECRET: 'test-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'test-verify',
};

/** What one worker process needs to check the digest schedule and post channel posts, on the test's clock. */
export function digestProcessDeps(db: Db, clock: ManualClock, slack: RecordingSlack, workerId: string, env: Record<string, string>) {
  return {
    db,
    clock,
    config: loadConfig({ ...DIGEST_CREDENTIALS, ...env }, []),
    logger: createLogger({ level: 'silent' }),
    slack,
    // On the test's clock: days pass in milliseconds here, and a wall-clock limiter would hold the third post back.
    limits: new MemoryRateLimiter(() => clock.now().getTime()),
    pace: PLATFORM_PACE,
    // Signals are not followed here: each test drains the outbox itself with `deliverChannelPosts`.
    queue: new MemoryWorkQueue(1, () => undefined),
    metrics: createMetrics(),
    lifecycle: { stopping: false },
    workerId,
  };
}

/** What the worker role does after a signal: drain the channel posts (as a process would, leases and all). */
export async function deliverChannelPosts(deps: ReturnType<typeof digestProcessDeps>): Promise<void> {
  await createChannelWorker(deps as unknown as Deps, runChannelPost)();
}
