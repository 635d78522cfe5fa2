import type { Clock } from '../clock';
import type { BucketSpec } from './slack-types';

/**
 * Token buckets standing in for Slack's limits: chat.postMessage ~1/s per channel with short bursts, Tier buckets
 * per method (slack.md §1.1, §1.2). Over the limit the caller answers 429 with Retry-After in whole seconds (§1.3).
 */

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly spec: BucketSpec,
    private readonly clock: Clock,
  ) {}

  reset(): void {
    this.buckets.clear();
  }

  /** Takes one token for `key`, or says how many seconds until one is there. */
  take(key: string): { allowed: true } | { allowed: false; retryAfterSec: number } {
    const now = this.clock.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: this.spec.burst, updatedAt: now };
    const refilled = Math.min(this.spec.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.spec.perSecond);
    bucket.updatedAt = now;
    if (refilled >= 1) {
      bucket.tokens = refilled - 1;
      this.buckets.set(key, bucket);
      return { allowed: true };
    }
    bucket.tokens = refilled;
    this.buckets.set(key, bucket);
    return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((1 - refilled) / this.spec.perSecond)) };
  }
}

/** Methods that count as a post in a channel for the per-channel bucket. */
export const CHANNEL_POST_METHODS: Record<string, string> = {
  'chat.postMessage': 'channel',
  'files.completeUploadExternal': 'channel_id',
};

export class SlackRateLimiter {
  /** 429s answered, per channel (per-channel bucket) and per method (Tier buckets). */
  readonly rateLimited: Record<string, number> = {};
  readonly rateLimitedByMethod: Record<string, number> = {};
  private readonly perChannel?: TokenBuckets;
  private readonly perMethod = new Map<string, TokenBuckets>();

  constructor(
    specs: { postMessagePerChannel?: BucketSpec; perMethod?: Record<string, BucketSpec> } | undefined,
    clock: Clock,
  ) {
    if (specs?.postMessagePerChannel) this.perChannel = new TokenBuckets(specs.postMessagePerChannel, clock);
    for (const [method, spec] of Object.entries(specs?.perMethod ?? {})) this.perMethod.set(method, new TokenBuckets(spec, clock));
  }

  reset(): void {
    this.perChannel?.reset();
    for (const buckets of this.perMethod.values()) buckets.reset();
    for (const key of Object.keys(this.rateLimited)) delete this.rateLimited[key];
    for (const key of Object.keys(this.rateLimitedByMethod)) delete this.rateLimitedByMethod[key];
  }

  /** Undefined when the call may go ahead; otherwise the Retry-After seconds. */
  check(method: string, params: Record<string, unknown>): number | undefined {
    const methodBuckets = this.perMethod.get(method);
    if (methodBuckets) {
      const result = methodBuckets.take(method);
      if (!result.allowed) {
        this.rateLimitedByMethod[method] = (this.rateLimitedByMethod[method] ?? 0) + 1;
        return result.retryAfterSec;
      }
    }
    const channelField = CHANNEL_POST_METHODS[method];
    const channel = channelField ? params[channelField] : undefined;
    if (this.perChannel && typeof channel === 'string' && channel !== '') {
      const result = this.perChannel.take(channel);
      if (!result.allowed) {
        this.rateLimited[channel] = (this.rateLimited[channel] ?? 0) + 1;
        this.rateLimitedByMethod[method] = (this.rateLimitedByMethod[method] ?? 0) + 1;
        return result.retryAfterSec;
      }
    }
    return undefined;
  }
}
