/** What one pass over a conversation's outbox achieved. */
export interface StepResult {
  /** At least one item finished (done or failed for good). */
  progressed: boolean;
  /** Something is still waiting: come back after this many ms (Infinity when nothing waits). */
  waitMs: number;
}

export const IDLE: StepResult = { progressed: false, waitMs: Infinity };

export function combine(a: StepResult, b: StepResult): StepResult {
  return { progressed: a.progressed || b.progressed, waitMs: Math.min(a.waitMs, b.waitMs) };
}

/** 1 s, 2 s, 4 s … capped at 5 minutes: work is never dropped, only slowed. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}
