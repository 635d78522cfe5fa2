import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Config } from '../../src/config';
import type { DepsOverrides } from '../../src/deps';
import type { Logger } from '../../src/logger';
import { BullMqWorkQueue } from '../../src/queue/bullmq-work-queue';
import { connectForLimits, connectForQueue } from '../../src/queue/redis-connection';
import { RedisRateLimiter } from '../../src/queue/redis-rate-limiter';
import type { TestBackend } from './database';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './env';

/**
 * Where the end-to-end suites keep their state: embedded (as a fresh clone runs them), or on the real servers as a
 * deployment would with E2E_ON_SERVERS=1 and both URLs (DESIGN §1). `.ci/run` runs them both ways.
 */
export const E2E_BACKEND: TestBackend = process.env.E2E_ON_SERVERS === '1' && TEST_DATABASE_URL && TEST_REDIS_URL ? 'postgres' : 'pglite';

export interface TestRedis {
  url: string;
  /** The app's work queue and rate limiter on Redis, under this harness's own key prefix. */
  queueAndLimits(config: Config, logger: Logger): Pick<DepsOverrides, 'queue' | 'limits'>;
  queuedSignals(): Promise<number>;
  /** Deletes every key under the prefix. */
  close(): Promise<void>;
}

/**
 * Test files run in parallel workers against one Redis: each harness gets a key prefix of its own, so one's
 * queue never hands its jobs to another's worker and their rate-limit buckets never meet.
 */
export function openTestRedis(): TestRedis {
  if (!TEST_REDIS_URL) throw new Error('REDIS_URL is not set');
  const url = TEST_REDIS_URL;
  const prefix = `threadline-test:${process.pid}:${randomBytes(4).toString('hex')}`;
  let queue: BullMqWorkQueue | undefined;
  return {
    url,
    queueAndLimits(config, logger) {
      queue = new BullMqWorkQueue(connectForQueue(url), () => connectForQueue(url), config.workerConcurrency, logger, prefix);
      return { queue, limits: new RedisRateLimiter(connectForLimits(url), logger, `${prefix}:rl:`) };
    },
    async queuedSignals() {
      if (!queue) return 0;
      // The BullMQ queue inside: a rename there fails here loudly rather than reading as "nothing queued".
      const bull = (queue as unknown as { queue: Queue }).queue;
      const counts = await bull.getJobCounts('wait', 'prioritized');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    async close() {
      const redis = connectForQueue(url);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}
