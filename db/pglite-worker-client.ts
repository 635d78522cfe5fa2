import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DurableWrites } from './durable-writes';
import {
  type Lane,
  type SerializedError,
  type WorkerHello,
  type WorkerOptions,
  type WorkerReply,
  type WorkerRequest,
  type WorkerStats,
  rebuildError,
} from './pglite-worker-protocol';

/** What drizzle's PGlite driver calls on its client (drizzle-orm/pglite/session.js): the subset served here. */
export interface QueryClient {
  query(sql: string, params?: unknown[], options?: { rowMode?: 'array' | 'object'; parsers?: Record<number, unknown> }): Promise<unknown>;
  exec(sql: string): Promise<unknown>;
  transaction<T>(body: (tx: QueryClient) => Promise<T>): Promise<T>;
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void; stack: string | undefined };
type Outgoing = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** Its heap holds statement results on their way to the app; a cap, not a reservation. */
const WORKER_HEAP_MB = 128;
/** …and they are short-lived: a small young generation (measured in the benchmark's burst: RSS peak 257 → 252 MB). */
const WORKER_YOUNG_MB = 4;

/**
 * The app's side of the embedded database's thread (db/pglite-worker.ts): one PGlite, reached by messages, that
 * drizzle uses as if it were the PGlite client. `lane('ack')` gives the webhook acknowledgements a client of their
 * own whose statements the worker runs first.
 */
export class PgliteWorkerClient {
  private nextId = 1;
  private nextTx = 1;
  private pending = new Map<number, Pending>();
  private durableWrites = new DurableWrites();
  private stopped: Error | undefined;
  private exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (err) => this.stop(new Error(`the embedded database stopped: ${err.message}`)));
    this.exited = new Promise((resolve) => {
      worker.on('exit', (code) => {
        this.stop(new Error(`the embedded database stopped (worker exit ${code})`));
        resolve();
      });
    });
  }

  /** Starts the worker and resolves once its database is open. */
  static async start(options: WorkerOptions): Promise<PgliteWorkerClient> {
    const worker = startWorker(options);
    // Only this wait's own listeners come off after: Worker keeps its port referenced through listener hooks that
    // removeAllListeners() would drop with them, and replies would then never arrive.
    const listeners: { message?: (hello: WorkerHello) => void; error?: (err: Error) => void; exit?: (code: number) => void } = {};
    const hello = await new Promise<WorkerHello>((resolve, reject) => {
      listeners.message = resolve;
      listeners.error = reject;
      listeners.exit = (code) => reject(new Error(`the embedded database did not start (worker exit ${code})`));
      worker.once('message', listeners.message).once('error', listeners.error).once('exit', listeners.exit);
    }).finally(() => {
      worker.off('message', listeners.message!).off('error', listeners.error!).off('exit', listeners.exit!);
    });
    if (!hello.ready) {
      await worker.terminate();
      throw rebuildError(hello.error, new Error().stack);
    }
    return new PgliteWorkerClient(worker);
  }

  /** A drizzle client whose statements wait in `lane`. */
  lane(lane: Lane): QueryClient {
    return this.client(lane, undefined);
  }

  /** Runs `write` with the WAL fsync'd at the commits it makes (and at any other commit meanwhile). */
  durably<T>(write: () => Promise<T>): Promise<T> {
    return this.durableWrites.around(write);
  }

  stats(): Promise<WorkerStats> {
    return this.call({ kind: 'stats' }) as Promise<WorkerStats>;
  }

  /** Closes the database after everything asked before, and stops the thread. */
  async close(): Promise<void> {
    if (!this.stopped) await this.call({ kind: 'close' });
    await this.worker.terminate();
    await this.exited;
  }

  private client(lane: Lane, tx: number | undefined): QueryClient {
    const durable = () => this.durableWrites.active;
    return {
      query: async (sql, params = [], options = {}) =>
        this.call({
          kind: 'query',
          sql,
          params,
          rowMode: options.rowMode ?? 'object',
          textTypes: Object.keys(options.parsers ?? {}).map(Number),
          lane,
          tx,
          durable: durable(),
        }),
      exec: async (sql) => this.call({ kind: 'exec', sql, lane, tx, durable: durable() }),
      transaction: async <T>(body: (client: QueryClient) => Promise<T>): Promise<T> => {
        // drizzle opens nested transactions as savepoints through `query`; only the outermost comes here.
        if (tx !== undefined) throw new Error('nested transaction: use a savepoint');
        const id = this.nextTx++;
        await this.call({ kind: 'begin', tx: id, lane, durable: durable() });
        let result: T;
        try {
          result = await body(this.client(lane, id));
        } catch (err) {
          await this.call({ kind: 'rollback', tx: id, lane, durable: false }).catch(() => undefined);
          throw err;
        }
        await this.call({ kind: 'commit', tx: id, lane, durable: durable() });
        return result;
      },
    };
  }

  private call(request: Outgoing): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, stack: new Error().stack });
      this.worker.postMessage({ ...request, id });
    });
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(rebuildError(reply.error as SerializedError, pending.stack));
  }

  private stop(err: Error): void {
    this.stopped ??= err;
    for (const pending of this.pending.values()) pending.reject(err);
    this.pending.clear();
  }
}

/**
 * The worker runs the compiled db/pglite-worker.js in a build, and the TypeScript source through tsx otherwise
 * (`npm start`, jest). Its options are set, not inherited: the app's V8 flags are not a worker's to take.
 */
function startWorker(options: WorkerOptions): Worker {
  const source = path.join(__dirname, `pglite-worker${path.extname(__filename)}`);
  const common = { workerData: options, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } };
  if (source.endsWith('.js')) return new Worker(source, common);
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { ...common, eval: true });
}
