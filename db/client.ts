import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Query functions take either, so any of them can join a caller's transaction. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  /**
   * Where webhook acknowledgements write (InboxWriter). On Postgres its own connection, so Meta's 200 never queues
   * behind the background's statements in the pool; on PGlite the same database in a lane the worker serves first.
   */
  ackDb: Db;
  /**
   * Where the inbox processor reads and ingests (one run at a time across all processes). On Postgres its own
   * connection, so a burst's batches never wait for a pool connection behind the delivery workers; on PGlite a lane
   * served after the acks and before delivery.
   */
  ingestDb: Db;
  /** Runs a write whose commit must be on disk when it resolves (the webhook ack; see pglite-durable-fs.ts). */
  durably<T>(write: () => Promise<T>): Promise<T>;
  kind: 'pglite' | 'postgres';
  /** Statements sent so far (BEGIN/COMMIT included on Postgres): the benchmark's cost per delivered message. */
  statements(): number;
  /** fsyncs the embedded database has made (tests of its durability); absent on Postgres, which does its own. */
  fsyncs?: () => Promise<number>;
  /** Answers when the database is reachable (readiness probe). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * This transaction's COMMIT does not wait for its WAL flush. Only for work that can be redone from something already
 * durable: an ingest lost to a power cut leaves its inbox row pending (that INSERT was flushed before the 200), and
 * any later ordinary commit — the worker marks an op in flight before it calls Slack — flushes the WAL up to and
 * including this one, so nothing is sent on the strength of a commit that could vanish.
 */
export async function commitWithoutFlush(tx: Tx): Promise<void> {
  await tx.execute(sql`set local synchronous_commit = off`);
}

/** Rows of a raw `db.execute`: postgres.js answers an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** Committed drizzle-kit migrations; `npm run build` copies them next to the compiled client. */
export const MIGRATIONS_DIR = path.resolve(__dirname, 'migrations');

export interface OpenOptions {
  /** postgres:// URL; when absent, embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** Pool size for postgres.js. */
  maxConnections?: number;
}

/** Arbitrary constant: the advisory lock that lets one process at a time apply migrations. */
const MIGRATION_LOCK = 7_102_026;

/**
 * Several processes start together in scale-out mode (docker-compose: web ×2, worker ×2); the first applies the
 * migrations while the others wait on an advisory lock, then find nothing left to do.
 */
async function migrateExclusively(client: postgres.Sql): Promise<void> {
  const lock = await client.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres({ client, schema }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => undefined);
    lock.release();
  }
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  const url = options.databaseUrl;
  if (url) {
    let statements = 0;
    const client = postgres(url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      debug: () => {
        statements += 1;
      },
      connect_timeout: 5,
      // Timestamps come back as Date in both drivers; bigint ids stay numbers through drizzle's mode.
    });
    const db = drizzlePostgres({ client, schema }) as unknown as Db;
    // A connection of its own for one job, named so it shows in pg_stat_activity.
    const own = (applicationName: string) =>
      postgres(url, {
        max: 1,
        onnotice: () => {},
        debug: () => {
          statements += 1;
        },
        connect_timeout: 5,
        connection: { application_name: applicationName },
      });
    // One connection, prepared statements (postgres.js prepares by default): the ack's INSERT is parsed once.
    const ackClient = own('threadline-ack');
    const ackDb = drizzlePostgres({ client: ackClient, schema }) as unknown as Db;
    // Connects on first use: a web-only process, which never ingests, never opens it.
    const ingestClient = own('threadline-ingest');
    const ingestDb = drizzlePostgres({ client: ingestClient, schema }) as unknown as Db;
    const endAll = async (timeout: number) => {
      await ackClient.end({ timeout });
      await ingestClient.end({ timeout });
      await client.end({ timeout });
    };
    try {
      await migrateExclusively(client);
    } catch (err) {
      await endAll(1);
      throw err;
    }
    return {
      db,
      ackDb,
      ingestDb,
      // Postgres flushes the WAL at every commit (synchronous_commit on): nothing to add.
      durably: (write) => write(),
      kind: 'postgres',
      statements: () => statements,
      ping: async () => {
        await db.execute(sql`select 1`);
      },
      close: () => endAll(5),
    };
  }
  // Loaded only when used: the embedded Postgres is a ~60 MB module a process on real Postgres does not need.
  const { openPglite } = require('./pglite-client') as typeof import('./pglite-client');
  return openPglite(options.dataDir);
}
