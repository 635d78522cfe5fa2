import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../db/client';
import { TEST_DATABASE_URL } from './env';

export type TestBackend = 'pglite' | 'postgres';

/** The backends a database suite runs on: PGlite always, real Postgres when DATABASE_URL is set. */
export const TEST_BACKENDS: TestBackend[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends Database {
  url: string | undefined;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or a throwaway database on the real server
 * (test files run in parallel, so each gets its own and drops it afterwards).
 */
export async function openTestDatabase(backend: TestBackend = 'pglite', options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  if (backend === 'pglite') return { ...(await openDatabase({ dataDir: 'memory://' })), url: undefined };
  if (!TEST_DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const name = `tl_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: 'unused', maxConnections: options.maxConnections });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const cleanup = postgres(TEST_DATABASE_URL as string, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
