import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { type Database, MIGRATIONS_DIR, rowsOf } from '../db/client';
import { describeNetworkError } from './network-error';

/**
 * Storage as `threadline doctor` sees it, read-only: it never migrates or writes (opening the database through
 * db/client.ts would apply migrations, which is start-up's job). Answers are data, never thrown.
 */

export type StorageAnswer<T> = { kind: 'ok'; value: T } | { kind: 'failed'; detail: string };

export interface MigrationState {
  applied: number;
  expected: number;
}

export interface StorageProbe {
  /** Reachable, and how many of the committed migrations it has. `busy`: an embedded database another process holds. */
  database(): Promise<StorageAnswer<MigrationState | 'busy' | 'absent'>>;
  redis(url: string): Promise<StorageAnswer<void>>;
  /** Free bytes on the file system holding `dir` (or its nearest existing parent). */
  freeBytes(dir: string): Promise<StorageAnswer<number>>;
}

/** The committed migrations (drizzle-kit's journal, copied next to the compiled client by `npm run build`). */
export function countCommittedMigrations(): number {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries?: unknown[] };
  return journal.entries?.length ?? 0;
}

/** drizzle's bookkeeping table, the same on Postgres and PGlite; absent means nothing was ever applied. */
const APPLIED = `select count(*)::int as n from drizzle.__drizzle_migrations`;
const HAS_TABLE = `select to_regclass('drizzle.__drizzle_migrations') is not null as present`;

async function countApplied(query: (text: string) => Promise<unknown>): Promise<number> {
  const [table] = rowsOf<{ present: boolean }>(await query(HAS_TABLE));
  if (!table?.present) return 0;
  const [row] = rowsOf<{ n: number }>(await query(APPLIED));
  return Number(row?.n ?? 0);
}

export interface StorageProbeOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** The running process's own database (start-up): checked through it, never opened twice. */
  openDatabase?: Database | undefined;
  /** Whether another threadline holds the embedded database (it allows one process). */
  embeddedInUse?: () => Promise<boolean>;
  timeoutMs?: number;
}

export function createStorageProbe(opts: StorageProbeOptions): StorageProbe {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const expected = countCommittedMigrations();

  async function viaOpenDatabase(database: Database): Promise<MigrationState> {
    await database.ping();
    const applied = await countApplied((text) => database.db.execute(sql.raw(text)));
    return { applied, expected };
  }

  async function viaPostgres(url: string): Promise<MigrationState> {
    const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: Math.ceil(timeoutMs / 1000) });
    try {
      const applied = await countApplied((text) => client.unsafe(text));
      return { applied, expected };
    } finally {
      await client.end({ timeout: 1 });
    }
  }

  async function viaPglite(dir: string): Promise<MigrationState | 'absent'> {
    const dataPath = path.resolve(dir, 'pglite');
    if (!fs.existsSync(dataPath)) return 'absent';
    const client = new PGlite(dataPath);
    try {
      const applied = await countApplied((text) => client.query(text));
      return { applied, expected };
    } finally {
      await client.close();
    }
  }

  return {
    async database() {
      try {
        if (opts.openDatabase) return { kind: 'ok', value: await viaOpenDatabase(opts.openDatabase) };
        if (opts.databaseUrl) return { kind: 'ok', value: await viaPostgres(opts.databaseUrl) };
        if (await opts.embeddedInUse?.()) return { kind: 'ok', value: 'busy' };
        return { kind: 'ok', value: await viaPglite(opts.dataDir) };
      } catch (error) {
        return { kind: 'failed', detail: describeNetworkError(error) };
      }
    },
    async redis(url) {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, enableOfflineQueue: false, retryStrategy: () => null });
      // ioredis rejects connect() with "Connection is closed"; the reason arrives as an 'error' event.
      let reason: unknown;
      client.on('error', (error: unknown) => {
        reason ??= error;
      });
      try {
        await client.connect();
        await client.ping();
        return { kind: 'ok', value: undefined };
      } catch (error) {
        return { kind: 'failed', detail: describeNetworkError(reason ?? error) };
      } finally {
        client.disconnect();
      }
    },
    async freeBytes(dir) {
      let current = path.resolve(dir);
      while (!fs.existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
      try {
        const stats = await fs.promises.statfs(current);
        return { kind: 'ok', value: stats.bavail * stats.bsize };
      } catch (error) {
        return { kind: 'failed', detail: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
