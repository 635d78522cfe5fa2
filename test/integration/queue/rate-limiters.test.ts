import { randomBytes } from 'node:crypto';
import { createLogger } from '../../../src/logger';
import { MemoryRateLimiter, type RateLimiter } from '../../../src/queue/rate-limiter';
import { connectForLimits } from '../../../src/queue/redis-connection';
import { RedisRateLimiter } from '../../../src/queue/redis-rate-limiter';
import { TEST_REDIS_URL } from '../../helpers/env';

/**
 * Platform limits (DESIGN §4) for one process (memory) and — when REDIS_URL is set — shared by every process through
 * Redis: two limiters on one Redis are two workers, and they must see each other's reservations and 429 pauses.
 */
type Kind = 'memory' | 'redis';
const KINDS: Kind[] = TEST_REDIS_URL ? ['memory', 'redis'] : ['memory'];
const rule = { perSecond: 1, burst: 1 };

/**
 * Connected first: the limiter does not queue commands while Redis is away (it falls back to its own buckets), so
 * a call made before the connection is up would test the fallback instead.
 */
async function redisLimiter(prefix: string): Promise<RedisRateLimiter> {
  const connection = connectForLimits(TEST_REDIS_URL as string);
  if (connection.status !== 'ready') await new Promise((resolve) => connection.once('ready', resolve));
  return new RedisRateLimiter(connection, createLogger({ level: 'silent' }), prefix);
}

describe.each(KINDS)('rate limiter (%s)', (kind) => {
  const open: RateLimiter[] = [];
  let shared: MemoryRateLimiter | undefined;
  /** A limiter as another process would hold it: for memory, the same object (a process shares its own). */
  const limiter = async (): Promise<RateLimiter> => {
    if (kind === 'memory') return (shared ??= new MemoryRateLimiter());
    const l = await redisLimiter(`tl-test-${randomBytes(4).toString('hex')}:`);
    open.push(l);
    return l;
  };
  afterEach(async () => {
    shared = undefined;
    for (const l of open.splice(0)) await l.close?.();
  });

  it('reserves one slot per interval: the next caller is told when its own slot comes', async () => {
    const l = await limiter();
    const key = `chan-${randomBytes(3).toString('hex')}`;
    const delays = [await l.reserve(key, rule), await l.reserve(key, rule), await l.reserve(key, rule)];
    expect(delays[0]).toBe(0);
    expect(delays[1]).toBeGreaterThan(800);
    expect(delays[1]).toBeLessThanOrEqual(1000);
    expect(delays[2]).toBeGreaterThan(1800);
    expect(delays[2]).toBeLessThanOrEqual(2000);
  });

  it('take grants the burst, then says how long until the next token', async () => {
    const l = await limiter();
    const key = `num-${randomBytes(3).toString('hex')}`;
    expect(await l.take(key, { perSecond: 2, burst: 2 })).toBe(0);
    expect(await l.take(key, { perSecond: 2, burst: 2 })).toBe(0);
    const wait = await l.take(key, { perSecond: 2, burst: 2 });
    expect(wait).toBeGreaterThan(300);
    expect(wait).toBeLessThanOrEqual(500);
  });

  it('a 429 pause holds the key for its Retry-After, for takes and reservations alike', async () => {
    const l = await limiter();
    const key = `chan-${randomBytes(3).toString('hex')}`;
    await l.pause(key, 5_000);
    expect(await l.take(key, rule)).toBeGreaterThan(4_000);
    expect(await l.reserve(key, rule)).toBeGreaterThan(4_000);
    expect(await l.take(`other-${key}`, rule)).toBe(0);
  });

  if (kind === 'redis') {
    it('two processes share one budget: the second sees the first one’s reservation and pause', async () => {
      const prefix = `tl-test-${randomBytes(4).toString('hex')}:`;
      const a = await redisLimiter(prefix);
      const b = await redisLimiter(prefix);
      open.push(a, b);
      expect(await a.reserve('C1', rule)).toBe(0);
      expect(await b.reserve('C1', rule)).toBeGreaterThan(800);
      await a.pause('C2', 3_000);
      expect(await b.take('C2', rule)).toBeGreaterThan(2_000);
    });
  }
});
