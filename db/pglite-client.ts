import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { type Database, type Db, MIGRATIONS_DIR } from './client';
import { DurableNodeFS, durableStartParams } from './pglite-durable-fs';
import { ensurePgliteCluster } from './pglite-initdb';
import * as schema from './schema';

/** Embedded Postgres (PGlite, real Postgres in WASM) under `dir`, or in memory for `memory://` (tests). */
export async function openPglite(dir: string): Promise<Database> {
  const inMemory = dir === 'memory://' || dir === ':memory:';
  let client: PGlite;
  let durableFs: DurableNodeFS | undefined;
  if (inMemory) client = new PGlite();
  else {
    fs.mkdirSync(dir, { recursive: true });
    const clusterDir = path.resolve(dir, 'pglite');
    await ensurePgliteCluster(clusterDir, MIGRATIONS_DIR);
    durableFs = new DurableNodeFS(clusterDir);
    client = new PGlite({ fs: durableFs, startParams: durableStartParams(PGlite.defaultStartParams) });
  }
  let statements = 0;
  const pdb = drizzlePglite({ client, schema, logger: { logQuery: () => void (statements += 1) } });
  await migratePglite(pdb, { migrationsFolder: MIGRATIONS_DIR });
  const db = pdb as unknown as Db;
  return {
    db,
    ackDb: db,
    durably: (write) => (durableFs ? durableFs.durably(write) : write()),
    kind: 'pglite',
    statements: () => statements,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
  };
}
