import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { type Database, type Db, MIGRATIONS_DIR } from './client';
import { pgliteAssets } from './pglite-assets';
import { ensurePgliteCluster } from './pglite-initdb';
import { PgliteWorkerClient } from './pglite-worker-client';
import type { Lane } from './pglite-worker-protocol';
import * as schema from './schema';

/**
 * Embedded Postgres (PGlite, real Postgres in WASM) under `dir`, or a throwaway one for `memory://` (sandbox), in a thread
 * of its own (db/pglite-worker.ts) so its statements never hold up this thread's event loop.
 */
export async function openPglite(dir: string): Promise<Database> {
  const inMemory = dir === 'memory://' || dir === ':memory:';
  // "In memory" is a scratch directory removed at close: a cluster made in PGlite's memory keeps initdb's ~700 MB
  // WASM peak for the life of the process (measured: 687-737 MB RSS idle), one made out of process costs ~210 MB.
  const scratch = inMemory ? fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-memory-')) : undefined;
  const removeScratch = () => scratch && fs.rmSync(scratch, { recursive: true, force: true });
  const root = scratch ?? dir;
  fs.mkdirSync(root, { recursive: true });
  const clusterDir = path.resolve(root, 'pglite');
  let worker: PgliteWorkerClient;
  try {
    await ensurePgliteCluster(clusterDir, MIGRATIONS_DIR);
    worker = await PgliteWorkerClient.start({ clusterDir, ...(await pgliteAssets()) });
  } catch (err) {
    removeScratch();
    throw err;
  }
  let statements = 0;
  const logger = { logQuery: () => void (statements += 1) };
  // drizzle's PGlite driver takes any client with PGlite's query/exec/transaction; the worker client is one.
  const open = (lane: Lane) => drizzlePglite({ client: worker.lane(lane) as never, schema, logger });
  const pdb = open('background');
  try {
    await migratePglite(pdb, { migrationsFolder: MIGRATIONS_DIR });
  } catch (err) {
    await worker.close();
    removeScratch();
    throw err;
  }
  const db = pdb as unknown as Db;
  return {
    db,
    // The same database, its statements run first whenever no transaction holds the connection.
    ackDb: open('ack') as unknown as Db,
    // …and the inbox processor's go next, ahead of delivery (db/pglite-scheduler.ts).
    ingestDb: open('ingest') as unknown as Db,
    // A scratch database is forgotten at close anyway: no fsync for it.
    durably: (write) => (scratch ? write() : worker.durably(write)),
    kind: 'pglite',
    statements: () => statements,
    fsyncs: async () => (await worker.stats()).fsyncs,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      await worker.close();
      removeScratch();
    },
  };
}
