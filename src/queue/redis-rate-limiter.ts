import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { type BucketRule, MemoryRateLimiter, type RateLimiter } from './rate-limiter';

/**
 * Token buckets held in Redis so every web and worker process draws from the same Slack and Meta budgets
 * (DESIGN §4). Time comes from Redis itself (TIME), so processes with skewed clocks agree. If Redis does not
 * answer, limits fall back to this process's own buckets: delivery slows to per-process limits instead of stopping.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local pauseMs = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'paused')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
local paused = tonumber(b[3]) or 0
if tokens == nil then tokens = burst; at = now end
local ttl = math.ceil(burst / rate) + 60000
if pauseMs > 0 then
  paused = math.max(paused, now + pauseMs)
  redis.call('HSET', KEYS[1], 'tokens', 0, 'at', now, 'paused', paused)
  redis.call('PEXPIRE', KEYS[1], ttl + pauseMs)
  return 0
end
if paused > now then return paused - now end
local from = at
if paused > at then from = math.min(now, paused) end
tokens = math.min(burst, tokens + math.max(0, now - from) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now, 'paused', paused)
redis.call('PEXPIRE', KEYS[1], ttl)
return wait
`;

/** GCRA reservation (see reserveSlot in rate-limiter.ts); ARGV[3] > 0 pushes the slots back instead (a 429). */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = 1000 / tonumber(ARGV[1])
local tolerance = (tonumber(ARGV[2]) - 1) * interval
local pauseMs = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1])) or 0
if pauseMs > 0 then
  redis.call('SET', KEYS[1], tostring(math.max(tat, now + pauseMs)), 'PX', pauseMs + 60000)
  return 0
end
local start = math.max(tat, now)
local delay = math.max(0, math.ceil(start - now - tolerance))
redis.call('SET', KEYS[1], tostring(start + interval), 'PX', math.ceil(start + interval - now + 60000))
return delay
`;

export class RedisRateLimiter implements RateLimiter {
  private readonly fallback = new MemoryRateLimiter();
  private warned = false;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly prefix = 'threadline:rl:',
  ) {}

  async take(key: string, rule: BucketRule): Promise<number> {
    try {
      const wait = (await this.redis.eval(TAKE, 1, this.prefix + key, rule.perSecond, rule.burst, 0)) as number;
      this.warned = false;
      return Number(wait);
    } catch (err) {
      this.warnOnce(err);
      return this.fallback.take(key, rule);
    }
  }

  async reserve(key: string, rule: BucketRule): Promise<number> {
    try {
      const delay = (await this.redis.eval(RESERVE, 1, `${this.prefix}slot:${key}`, rule.perSecond, rule.burst, 0)) as number;
      this.warned = false;
      return Number(delay);
    } catch (err) {
      this.warnOnce(err);
      return this.fallback.reserve(key, rule);
    }
  }

  async pause(key: string, ms: number): Promise<void> {
    await this.fallback.pause(key, ms);
    try {
      const pauseMs = Math.max(1, Math.ceil(ms));
      await this.redis.eval(TAKE, 1, this.prefix + key, 1, 1, pauseMs);
      await this.redis.eval(RESERVE, 1, `${this.prefix}slot:${key}`, 1, 1, pauseMs);
    } catch (err) {
      this.warnOnce(err);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    return Promise.resolve();
  }

  private warnOnce(err: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn({ err }, 'Redis rate limits unavailable; using this process\'s own limits until it is back');
  }
}
