/**
 * Background loops (inbox ingestion, Slack and WhatsApp delivery) call this before each step, so Meta's webhook
 * acknowledgements are never stuck behind them on this thread: it yields to pending I/O (setImmediate) — measured
 * to cut the ack p99 at 1,000 msg/s by about half in one process (bench/results.json). The database side is the
 * database's: Postgres gives the ack its own connection, and the embedded one runs the ack lane's statements first
 * (db/pglite-scheduler.ts), so waiting here for webhook writes as well would only slow ingestion (issue 7: 25 ms
 * of every 170 ms inbox batch in a burst).
 */
export async function yieldToAcks(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}
