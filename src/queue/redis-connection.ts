import { Redis, type RedisOptions } from 'ioredis';

/**
 * BullMQ needs `maxRetriesPerRequest: null` on its connections (it blocks on Redis and must wait out a restart);
 * the rate limiter wants the opposite: a short command timeout so a Redis outage degrades to local limits
 * instead of stalling delivery.
 */
export function connectForQueue(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

export function connectForLimits(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 500, enableOfflineQueue: false, ...options });
}
