import { INGEST_STREAK, StatementScheduler } from '../../../db/pglite-scheduler';
import type { Lane, StatementRequest } from '../../../db/pglite-worker-protocol';

let nextId = 1;
const query = (lane: Lane, tx?: number): StatementRequest => ({ id: nextId++, kind: 'query', sql: 'select 1', params: [], rowMode: 'object', textTypes: [], lane, tx, durable: false });
const control = (kind: 'begin' | 'commit' | 'rollback', tx: number, lane: Lane = 'background'): StatementRequest => ({ id: nextId++, kind, tx, lane, durable: false });

describe('the embedded database statement order', () => {
  it('runs acknowledgements before the background statements that wait, and the rest in arrival order', () => {
    const scheduler = new StatementScheduler();
    const [b1, b2, a1, b3, a2] = [query('background'), query('background'), query('ack'), query('background'), query('ack')];
    for (const r of [b1, b2, a1, b3, a2]) scheduler.push(r!);
    const order = [scheduler.next(), scheduler.next(), scheduler.next(), scheduler.next(), scheduler.next(), scheduler.next()];
    expect(order).toEqual([a1, a2, b1, b2, b3, undefined]);
  });

  it('runs the inbox processor after the acknowledgements and before delivery, yet never starves delivery', () => {
    const scheduler = new StatementScheduler();
    const background = [query('background'), query('background')];
    const ingest = Array.from({ length: INGEST_STREAK + 2 }, () => query('ingest'));
    const ack = query('ack');
    for (const r of [...background, ...ingest, ack]) scheduler.push(r);
    const order = Array.from({ length: background.length + ingest.length + 2 }, () => scheduler.next());
    expect(order).toEqual([
      ack,
      ...ingest.slice(0, INGEST_STREAK),
      // A background turn after INGEST_STREAK ingest turns in a row…
      background[0],
      ...ingest.slice(INGEST_STREAK, 2 * INGEST_STREAK),
      background[1],
      undefined,
    ]);
  });

  it('lets ingestion run freely when no delivery waits', () => {
    const scheduler = new StatementScheduler();
    const ingest = Array.from({ length: 2 * INGEST_STREAK }, () => query('ingest'));
    for (const r of ingest) scheduler.push(r);
    const first = Array.from({ length: ingest.length }, () => scheduler.next());
    expect(first).toEqual(ingest);
    // A streak built while nothing waited does not make the next background statement jump ahead of ingestion.
    const [b, i] = [query('background'), query('ingest')];
    scheduler.push(b);
    scheduler.push(i);
    expect(scheduler.next()).toBe(i);
    expect(scheduler.next()).toBe(b);
  });

  it('gives an open transaction the connection until it ends, acknowledgements included', () => {
    const scheduler = new StatementScheduler();
    const begin = control('begin', 7);
    scheduler.push(begin);
    expect(scheduler.next()).toBe(begin);
    expect(scheduler.transaction).toBe(7);
    const ack = query('ack');
    const other = control('begin', 8);
    scheduler.push(ack);
    scheduler.push(other);
    // Nothing of the transaction is waiting yet: the others must wait for it, not slip in.
    expect(scheduler.next()).toBeUndefined();
    const inside = query('background', 7);
    const commit = control('commit', 7);
    scheduler.push(inside);
    scheduler.push(commit);
    expect(scheduler.next()).toBe(inside);
    expect(scheduler.next()).toBe(commit);
    expect(scheduler.next()).toBeUndefined();
    scheduler.ended(7);
    expect(scheduler.next()).toBe(ack);
    expect(scheduler.next()).toBe(other);
    expect(scheduler.transaction).toBe(8);
  });

  it('frees the connection when a transaction ends, whoever ended it, and ignores the end of another', () => {
    const scheduler = new StatementScheduler();
    scheduler.push(control('begin', 1));
    scheduler.next();
    scheduler.ended(2);
    expect(scheduler.transaction).toBe(1);
    scheduler.ended(1);
    expect(scheduler.transaction).toBeUndefined();
    const later = query('background');
    scheduler.push(later);
    expect(scheduler.next()).toBe(later);
  });
});
