/**
 * Token buckets for platform limits (DESIGN §4): Slack ~1 post/s per channel with short bursts (slack.md §1.1),
 * Tier 3 methods ~50/min, Meta 80 msg/s per number and ~1 msg/6 s per recipient with bursts
 * (reference/whatsapp.md §5). In-process by default; held in Redis in scale-out mode so every worker shares them.
 */
export interface BucketRule {
  perSecond: number;
  burst: number;
}

export interface RateLimiter {
  /** Take one token from `key`: 0 when granted, otherwise how many ms until one is free (nothing taken). */
  take(key: string, rule: BucketRule): Promise<number>;
  /**
   * Reserve the next slot of `key` (GCRA): 0 = go now, otherwise the slot is yours in that many ms — come back
   * then and go without asking again. Many conversations waiting on one Slack channel each get their own slot
   * instead of all waking at every token and racing for it.
   */
  reserve(key: string, rule: BucketRule): Promise<number>;
  /** The platform said 429 / Retry-After: nobody takes from or reserves on `key` for `ms`. */
  pause(key: string, ms: number): Promise<void>;
  close?(): Promise<void>;
}

/** GCRA with the same rule as a token bucket: one slot every 1/perSecond, `burst` slots ahead allowed. */
export function reserveSlot(tat: number, now: number, rule: BucketRule): { delay: number; nextTat: number } {
  const interval = 1000 / rule.perSecond;
  const tolerance = (rule.burst - 1) * interval;
  const start = Math.max(tat, now);
  return { delay: Math.max(0, Math.ceil(start - now - tolerance)), nextTat: start + interval };
}

export const Buckets = {
  slackPost: (channel: string) => `slack:post:${channel}`,
  slackUpdate: 'slack:update',
  slackReactions: 'slack:reactions',
  waNumber: (phoneNumberId: string) => `wa:number:${phoneNumberId}`,
  waRecipient: (phoneNumberId: string, contactId: number) => `wa:pair:${phoneNumberId}:${contactId}`,
} as const;

/**
 * ~1 message per second per channel with short bursts (slack.md §1.1). Slack does not publish the burst size, so
 * ours stays small: a burst larger than Slack's costs a 429.
 */
export const SLACK_POST_RULE: BucketRule = { perSecond: 1, burst: 2 };
/** chat.update and reactions.add are Tier 3: 50+ per minute per workspace (slack.md §1.2). */
export const SLACK_TIER3_RULE: BucketRule = { perSecond: 50 / 60, burst: 10 };
/** 1 message / 6 s to one customer; Meta allows bursts borrowed from future quota (reference/whatsapp.md §5). */
export const WA_PAIR_RULE: BucketRule = { perSecond: 1 / 6, burst: 10 };

/** The platform limits the delivery engine paces itself to (the rules above), in one place so a caller can pass them. */
export interface PlatformPace {
  slackPost: BucketRule;
  slackTier3: BucketRule;
  waPair: BucketRule;
}

export const PLATFORM_PACE: PlatformPace = { slackPost: SLACK_POST_RULE, slackTier3: SLACK_TIER3_RULE, waPair: WA_PAIR_RULE };

/**
 * The same limits run `factor` times faster, bursts unchanged: the ratios between them, and so the engine's
 * behaviour (reservations, coalescing while a slot is pending, parking), stay as they are. For tests whose subject
 * is not the pace itself: they would otherwise spend most of their time waiting on Slack's one post per second.
 */
export function quickenedPace(factor: number, pace: PlatformPace = PLATFORM_PACE): PlatformPace {
  const quicken = (rule: BucketRule): BucketRule => ({ perSecond: rule.perSecond * factor, burst: rule.burst });
  return { slackPost: quicken(pace.slackPost), slackTier3: quicken(pace.slackTier3), waPair: quicken(pace.waPair) };
}

interface BucketState {
  tokens: number;
  at: number;
  pausedUntil: number;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, BucketState>();
  private readonly slots = new Map<string, number>();
  constructor(private readonly now: () => number = Date.now) {}

  reserve(key: string, rule: BucketRule): Promise<number> {
    const { delay, nextTat } = reserveSlot(this.slots.get(key) ?? 0, this.now(), rule);
    this.slots.set(key, nextTat);
    return Promise.resolve(delay);
  }

  take(key: string, rule: BucketRule): Promise<number> {
    const now = this.now();
    const b = this.refill(key, rule, now);
    if (b.pausedUntil > now) return Promise.resolve(b.pausedUntil - now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return Promise.resolve(0);
    }
    return Promise.resolve(Math.ceil(((1 - b.tokens) / rule.perSecond) * 1000));
  }

  pause(key: string, ms: number): Promise<void> {
    const now = this.now();
    // Reservations made before the 429 move back too: nobody's slot falls inside the pause.
    this.slots.set(key, Math.max(this.slots.get(key) ?? 0, now + ms));
    const b = this.buckets.get(key) ?? { tokens: 0, at: now, pausedUntil: 0 };
    b.pausedUntil = Math.max(b.pausedUntil, now + ms);
    b.tokens = 0;
    b.at = now;
    this.buckets.set(key, b);
    return Promise.resolve();
  }

  private refill(key: string, rule: BucketRule, now: number): BucketState {
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: rule.burst, at: now, pausedUntil: 0 };
      this.buckets.set(key, b);
      return b;
    }
    // Tokens do not accrue while a bucket is paused by a 429.
    const from = b.pausedUntil > b.at ? Math.min(now, b.pausedUntil) : b.at;
    b.tokens = Math.min(rule.burst, b.tokens + (Math.max(0, now - from) / 1000) * rule.perSecond);
    b.at = now;
    return b;
  }
}
