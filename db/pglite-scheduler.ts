import type { StatementRequest } from './pglite-worker-protocol';

/**
 * The order the embedded database runs statements in. PGlite has one connection, so an open transaction has it to
 * itself: only its own statements run until it commits or rolls back. Between transactions, webhook
 * acknowledgements (lane `ack`) go before everything else that waits; the rest runs in arrival order.
 */
export class StatementScheduler<R extends StatementRequest = StatementRequest> {
  private waiting: R[] = [];
  private openTx: number | undefined;

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
    return ack >= 0 ? ack : this.waiting.length > 0 ? 0 : -1;
  }
}
