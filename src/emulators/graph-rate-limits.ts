/**
 * The two Graph send limits the emulator can enforce (reference/whatsapp.md §5): throughput per business number
 * (80 messages/s by default, over it → 130429) and the business/consumer pair limit (1 message per 6 s with
 * bursts that borrow from future quota, over it → 131056).
 */

/** Sliding one-second window per business number. */
export class ThroughputLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(private readonly perSecond: number) {}

  tryTake(key: string, nowMs: number): boolean {
    const kept = (this.recent.get(key) ?? []).filter((t) => nowMs - t < 1000);
    if (kept.length >= this.perSecond) {
      this.recent.set(key, kept);
      return false;
    }
    kept.push(nowMs);
    this.recent.set(key, kept);
    return true;
  }

  clear(): void {
    this.recent.clear();
  }
}

/** Token bucket per (number, customer): `burst` tokens, refilled at `per6s` tokens every 6 seconds. */
export class PairLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: { per6s: number; burst: number }) {}

  tryTake(key: string, nowMs: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: nowMs };
    const refilled = Math.min(this.limit.burst, bucket.tokens + ((nowMs - bucket.at) / 6000) * this.limit.per6s);
    if (refilled < 1) {
      this.buckets.set(key, { tokens: refilled, at: nowMs });
      return false;
    }
    this.buckets.set(key, { tokens: refilled - 1, at: nowMs });
    return true;
  }

  clear(): void {
    this.buckets.clear();
  }
}
