import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../db/client';
import { copyPgliteTemplate, postgresTemplateClause, withDatabase } from './database-templates';
import { TEST_DATABASE_URL } from './env';

export type TestBackend = 'pglite' | 'postgres';

/** The backends a database suite runs on: PGlite always, real Postgres when DATABASE_URL is set. */
export const TEST_BACKENDS: TestBackend[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends Database {
  url: string | undefined;
}

/**
 * A fresh, migrated database for one test file (or one harness): PGlite in a copy of the run's migrated data
 * directory, or a throwaway database on the real server made from the run's migrated template (test files run in
 * parallel, so each gets its own and drops it afterwards). The app's migrator still runs on open and finds nothing
 * to do, so the copy is checked against the migrations like any database.
 */
export async function openTestDatabase(backend: TestBackend = 'pglite', options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const copy = copyPgliteTemplate();
    if (!copy) return { ...(await openDatabase({ dataDir: 'memory://' })), url: undefined };
    const database = await openDatabase({ dataDir: copy.dataDir }).catch((err: unknown) => {
      copy.remove();
      throw err;
    });
    return {
      ...database,
      url: undefined,
      async close() {
        await database.close();
        copy.remove();
      },
    };
  }
  if (!TEST_DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const name = `tl_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}${postgresTemplateClause()}`);
  await admin.end();
  const url = withDatabase(TEST_DATABASE_URL, name);
  const database = await openDatabase({ databaseUrl: url, dataDir: 'unused', maxConnections: options.maxConnections });
  return {
    ...database,
    url,
    async close() {
      await database.close();
      const cleanup = postgres(TEST_DATABASE_URL as string, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
