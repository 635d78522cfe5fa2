import type { Deps } from '../deps';

/** The longest background work waits for webhook writes before going ahead anyway (it must never starve). */
const MAX_YIELD_MS = 25;

/**
 * Background loops (inbox ingestion, Slack and WhatsApp delivery) call this before each step, so Meta's webhook
 * acknowledgements are never stuck behind them: it yields to pending I/O (setImmediate) — measured to cut the
 * ack p99 at 1,000 msg/s by about half in one process (bench/results.json). Embedded Postgres (PGlite) also runs
 * each query synchronously on this thread, one at a time, so there pending webhook writes go first as well.
 */
export async function yieldToAcks(deps: Pick<Deps, 'database' | 'inbox'>): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (deps.database.kind !== 'pglite') return;
  await deps.inbox.yieldToWrites(MAX_YIELD_MS);
}
