/**
 * Messages between the app and the embedded database's worker thread (db/pglite-worker.ts). Plain data only: they
 * cross the thread boundary by structured clone.
 */

/**
 * Which queue a statement waits in. Whenever no transaction is open the worker runs `ack` statements (Meta's webhook
 * acknowledgements) first, so a 200 never queues behind the inbox processor; then `ingest` (the inbox processor,
 * which feeds every conversation), then `background` (delivery, commands) — see db/pglite-scheduler.ts.
 */
export type Lane = 'ack' | 'ingest' | 'background';

interface Common {
  id: number;
  lane: Lane;
  /** The transaction this statement belongs to; absent outside one. */
  tx?: number | undefined;
  /** Fsync the WAL at this statement's commit (DurableNodeFS.durably). */
  durable: boolean;
}

export type StatementRequest =
  | (Common & {
      kind: 'query';
      sql: string;
      params: unknown[];
      rowMode: 'array' | 'object';
      /** Type OIDs returned as Postgres text (drizzle keeps timestamps, dates and intervals as strings). */
      textTypes: number[];
    })
  | (Common & { kind: 'exec'; sql: string })
  | (Common & { kind: 'begin' | 'commit' | 'rollback'; tx: number });

export type WorkerRequest = StatementRequest | { id: number; kind: 'stats' } | { id: number; kind: 'close' };

export interface WorkerStats {
  /** fsyncs made so far (WAL at durable commits, data files at checkpoints). */
  fsyncs: number;
}

/** An error's message and its plain fields (Postgres' code, detail, constraint…), so it can be rebuilt in the app. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string | undefined;
  fields: Record<string, string | number | boolean>;
}

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

/** The first message of a started worker: the database is open, or why it is not. */
export type WorkerHello = { ready: true } | { ready: false; error: SerializedError };

export interface WorkerOptions {
  /** The cluster directory, already created (ensurePgliteCluster). */
  clusterDir: string;
  /** PGlite's WASM, compiled once per process and shared by its workers (db/pglite-assets.ts). */
  wasmModule: WebAssembly.Module;
  /** PGlite's share/ files (pglite.data), read once per process. */
  fsBundle: Blob;
}

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(err)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { name: err.name, message: err.message, stack: err.stack, fields };
}

/** The worker's error as an Error of this thread: its fields kept (callers read `code`), both stacks in one. */
export function rebuildError(serialized: SerializedError, here: string | undefined): Error {
  const err = new Error(serialized.message);
  Object.assign(err, serialized.fields);
  err.name = serialized.name;
  err.stack = `${serialized.stack ?? `${serialized.name}: ${serialized.message}`}\n    --- in the app thread ---\n${(here ?? '').split('\n').slice(1).join('\n')}`;
  return err;
}
