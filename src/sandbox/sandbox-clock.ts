import type { Clock } from '../clock';
import { localDayOf, zonedInstant } from '../services/digest-schedule';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The sandbox's clock: real time plus an offset the playground moves forward ("+25 h", "to 09:00"), so time keeps
 * flowing between jumps (status webhooks, trigger ids and rate limits still see seconds pass). threadline's
 * deps.clock and both emulators read this one clock, as the tests share a ManualClock; it never goes back, so
 * Slack timestamps keep growing.
 */
export class SandboxClock implements Clock {
  private offsetMs = 0;
  private readonly listeners = new Set<(jumpedMs: number) => void>();

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): Date {
    return new Date(this.realNow() + this.offsetMs);
  }

  /** How far ahead of real time the sandbox is. */
  get aheadMs(): number {
    return this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError('the sandbox clock only moves forward');
    this.offsetMs += ms;
    for (const listener of this.listeners) listener(ms);
  }

  /** Forward to the next `time` ("HH:MM") in `timeZone`, a few seconds past it so what is due at that minute is due. */
  advanceTo(time: string, timeZone: string): void {
    const now = this.now();
    let target = zonedInstant(localDayOf(now, timeZone), time, timeZone);
    if (target.getTime() <= now.getTime()) target = zonedInstant(localDayOf(new Date(now.getTime() + DAY_MS), timeZone), time, timeZone);
    this.advance(target.getTime() - now.getTime() + 5_000);
  }

  onJump(listener: (jumpedMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
