import type { Deps } from '../deps';

/** The longest delivery waits for webhook writes before going ahead anyway (it must never starve). */
const MAX_YIELD_MS = 25;

/**
 * Background loops call this before each step, so Meta's webhook acknowledgements are never stuck behind them: it
 * yields to pending I/O (setImmediate) — measured to cut the ack p99 at 1,000 msg/s by about half in one process
 * (bench/results.json). The inbox processor stops there: the database already serves the acks first (their own
 * connection on Postgres, the ack lane on PGlite, db/pglite-scheduler.ts), and waiting for webhook writes as well
 * cost it 25 ms of every 170 ms batch in a burst (issue 7).
 */
export async function yieldToAcks(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Delivery (Slack posts, WhatsApp sends) also lets the embedded database's pending webhook writes go first, as it
 * did when PGlite ran on this thread: a send then starts after the statuses Meta already posted are stored.
 */
export async function yieldToWebhookWrites(deps: Pick<Deps, 'database' | 'inbox'>): Promise<void> {
  await yieldToAcks();
  if (deps.database.kind !== 'pglite') return;
  await deps.inbox.yieldToWrites(MAX_YIELD_MS);
}
