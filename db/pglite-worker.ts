import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { DurableNodeFS, durableStartParams } from './pglite-durable-fs';
import { StatementScheduler } from './pglite-scheduler';
import {
  type StatementRequest,
  type WorkerHello,
  type WorkerOptions,
  type WorkerReply,
  type WorkerRequest,
  type WorkerStats,
  serializeError,
} from './pglite-worker-protocol';

/**
 * The embedded database's own thread. PGlite runs each statement synchronously in WASM; on the app's thread that
 * stalled every webhook acknowledgement, timer and Slack call behind the inbox processor's statements (issue 7:
 * ack p99 230 ms at 100 msg/s). Here it runs beside the event loop, on the second core, and the app talks to it with
 * messages (db/pglite-worker-client.ts).
 */
const port = parentPort;
if (!port) throw new Error('db/pglite-worker runs as a worker thread (db/pglite-worker-client.ts starts it)');
const options = workerData as WorkerOptions;

const durableFs = new DurableNodeFS(options.clusterDir);
const pg = new PGlite({
  fs: durableFs,
  startParams: durableStartParams(PGlite.defaultStartParams),
  pgliteWasmModule: options.wasmModule,
  fsBundle: options.fsBundle,
});
const scheduler = new StatementScheduler();
let running = false;
let closing: { id: number } | undefined;

const identity = (value: unknown) => value;

function execute(request: StatementRequest): Promise<unknown> {
  switch (request.kind) {
    case 'query':
      return pg.query(request.sql, request.params, {
        rowMode: request.rowMode,
        parsers: Object.fromEntries(request.textTypes.map((oid) => [oid, identity])),
      });
    case 'exec':
      return pg.exec(request.sql);
    case 'begin':
      return pg.exec('begin');
    case 'commit':
      return pg.exec('commit');
    case 'rollback':
      return pg.exec('rollback');
  }
}

async function run(request: StatementRequest): Promise<WorkerReply> {
  try {
    const value = request.durable ? await durableFs.durably(() => execute(request)) : await execute(request);
    if (request.kind === 'commit' || request.kind === 'rollback') scheduler.ended(request.tx);
    return { id: request.id, ok: true, value };
  } catch (err) {
    if (request.kind === 'begin') scheduler.ended(request.tx);
    if (request.kind === 'commit' || request.kind === 'rollback') {
      // A failed COMMIT still ends the transaction in Postgres; make sure the connection is free for the next one.
      await pg.exec('rollback').catch(() => undefined);
      scheduler.ended(request.tx);
    }
    return { id: request.id, ok: false, error: serializeError(err) };
  }
}

async function pump(): Promise<void> {
  if (running) return;
  running = true;
  try {
    for (;;) {
      // A turn of the event loop first, so every message that arrived meanwhile is in the scheduler: an ack that came
      // in while a statement ran goes before the background statements that came in with it.
      await new Promise((resolve) => setImmediate(resolve));
      const request = scheduler.next();
      if (!request) break;
      port!.postMessage(await run(request));
    }
    if (closing && scheduler.size === 0 && scheduler.transaction === undefined) await close(closing.id);
  } finally {
    running = false;
  }
}

async function close(id: number): Promise<void> {
  const reply: WorkerReply = await pg.close().then(
    () => ({ id, ok: true, value: null }),
    (err: unknown) => ({ id, ok: false, error: serializeError(err) }),
  );
  port!.postMessage(reply);
  port!.close();
}

port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'stats') {
    const stats: WorkerStats = { fsyncs: durableFs.fsyncs };
    port.postMessage({ id: request.id, ok: true, value: stats } satisfies WorkerReply);
    return;
  }
  // Closing waits for what was asked before it, an open transaction included.
  if (request.kind === 'close') closing = { id: request.id };
  else scheduler.push(request);
  void pump();
});

pg.waitReady.then(
  () => port.postMessage({ ready: true } satisfies WorkerHello),
  (err: unknown) => port.postMessage({ ready: false, error: serializeError(err) } satisfies WorkerHello),
);
