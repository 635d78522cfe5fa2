import type { StatementRequest } from './pglite-worker-protocol';

/**
 * Ingest turns (a statement, or a whole transaction) in a row while background work waits, before one background
 * turn goes: a backlog is ingested first, yet delivery never stops for it.
 */
export const INGEST_STREAK = 3;

/**
 * The order the embedded database runs statements in. PGlite has one connection, so an open transaction has it to
 * itself: only its own statements run until it commits or rolls back. Between transactions, webhook
 * acknowledgements (lane `ack`) go before everything else that waits, then the inbox processor (lane `ingest`,
 * up to INGEST_STREAK turns in a row), then the rest in arrival order. Ingest goes before delivery because in a
 * burst every batch it finishes feeds hundreds of conversations, while delivery is held to Slack's ~1 post/s per
 * channel anyway (issue 7: the burst's ingest time is the number that must stay within 1.2× the ack time).
 */
export class StatementScheduler<R extends StatementRequest = StatementRequest> {
  private waiting: R[] = [];
  private openTx: number | undefined;
  private ingestStreak = 0;

  push(request: R): void {
    this.waiting.push(request);
  }

  get size(): number {
    return this.waiting.length;
  }

  /** The transaction that has the connection, if any. */
  get transaction(): number | undefined {
    return this.openTx;
  }

  /** Takes the statement to run now, or nothing when what waits must wait (another transaction has the connection). */
  next(): R | undefined {
    const index = this.openTx !== undefined ? this.waiting.findIndex((r) => r.tx === this.openTx) : this.firstOutsideTransactions();
    if (index < 0) return undefined;
    const [request] = this.waiting.splice(index, 1) as [R];
    if (request.kind === 'begin') this.openTx = request.tx;
    return request;
  }

  /** The connection is free again: the transaction committed, rolled back, or never began. */
  ended(tx: number): void {
    if (this.openTx === tx) this.openTx = undefined;
  }

  private firstOutsideTransactions(): number {
    const ack = this.waiting.findIndex((r) => r.lane === 'ack');
    if (ack >= 0) return ack;
    const ingest = this.waiting.findIndex((r) => r.lane === 'ingest');
    const other = this.waiting.findIndex((r) => r.lane === 'background');
    if (ingest >= 0 && (other < 0 || this.ingestStreak < INGEST_STREAK)) {
      if (other >= 0) this.ingestStreak += 1;
      return ingest;
    }
    this.ingestStreak = 0;
    return other;
  }
}
