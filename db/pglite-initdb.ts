import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Creating a PGlite cluster (initdb) grows its WASM memory to ~750–850 MB, and WASM memory is never given back: done
 * in the serving process, that peak would stay its resident size for good. So a fresh data directory is created by a
 * short-lived child process, migrations included (they too grow a fresh cluster's memory), and the server opens the
 * finished directory (~240 MB in all, measured). Plain JavaScript on purpose: the child needs PGlite and drizzle's
 * migrator, not our TypeScript.
 */
const CHILD = `
const [entry, drizzleEntry, migratorEntry, migrationsFolder, dir] = process.argv.slice(1);
const { PGlite } = require(entry);
const { drizzle } = require(drizzleEntry);
const { migrate } = require(migratorEntry);
(async () => {
  const pg = new PGlite(dir);
  await migrate(drizzle({ client: pg }), { migrationsFolder });
  await pg.close();
})().catch((err) => {
  process.stderr.write(String(err && err.stack || err));
  process.exit(1);
});
`;

/** The cluster's own marker: initdb writes it, and a directory without it is no cluster. */
const hasCluster = (dir: string) => fs.existsSync(path.join(dir, 'PG_VERSION'));

/** Make sure `dir` holds a PGlite cluster, creating it out of process (atomically: a crash leaves no half cluster). */
export async function ensurePgliteCluster(dir: string, migrationsFolder: string): Promise<'existing' | 'created'> {
  if (hasCluster(dir)) return 'existing';
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new Error(`${dir} is not empty but holds no database (no PG_VERSION): move it away or point DATA_DIR elsewhere`);
  }
  const staging = `${dir}.initdb-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const entries = ['@electric-sql/pglite', 'drizzle-orm/pglite', 'drizzle-orm/pglite/migrator'].map((m) => require.resolve(m));
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, ...entries, migrationsFolder, staging], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && hasCluster(staging)) resolve();
      else reject(new Error(`creating the embedded database in ${dir} failed (exit ${code}): ${stderr.trim() || 'no output'}`));
    });
  });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  return 'created';
}
