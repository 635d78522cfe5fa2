/** What one pass over a conversation's outbox achieved. */
export interface StepResult {
  /** At least one item finished (done or failed for good). */
  progressed: boolean;
  /** Something is still waiting: come back after this many ms (Infinity when nothing waits). */
  waitMs: number;
  /**
   * The thread's ordered head (its next post) waits this long: nothing new in the thread can go sooner, so the
   * conversation is parked until then (conversation-worker.ts).
   */
  headWaitMs?: number | undefined;
}

export const IDLE: StepResult = { progressed: false, waitMs: Infinity };

export function combine(a: StepResult, b: StepResult): StepResult {
  const head = a.headWaitMs ?? b.headWaitMs;
  return { progressed: a.progressed || b.progressed, waitMs: Math.min(a.waitMs, b.waitMs), ...(head !== undefined ? { headWaitMs: head } : {}) };
}

/** 1 s, 2 s, 4 s … capped at 5 minutes: work is never dropped, only slowed. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}
