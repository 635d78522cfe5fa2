import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { MIGRATIONS_DIR, openDatabase } from '../../db/client';
import { TEST_DATABASE_URL } from './env';

/**
 * Migrated databases to copy from, made once per `jest` run (test/setup/global-setup.ts) instead of once per test
 * file. A fresh PGlite spends ~4 s of CPU in initdb before its first migration; copying a migrated data
 * directory and opening it costs ~0.9 s and ~350 MB instead of ~800 MB (measured against loading a
 * `dumpDataDir()` tarball, ~1.0 s and ~450 MB, and the fresh start). On Postgres, `CREATE DATABASE … TEMPLATE`
 * copies a migrated database in the server.
 *
 * Jest's global setup hands the locations to the test workers through these variables (workers start after it).
 */
const RUN_DIR = 'THREADLINE_TEST_RUN_DIR';
const PGLITE_TEMPLATE = 'THREADLINE_TEST_PGLITE_TEMPLATE';
const POSTGRES_TEMPLATE = 'THREADLINE_TEST_POSTGRES_TEMPLATE';

const NODE_MODULES = path.resolve(__dirname, '../../node_modules');

/** PGlite keeps its files in `<dataDir>/pglite` (db/pglite-client.ts). */
const PGLITE_SUBDIR = 'pglite';

/** The migrations and the PGlite build decide what a template holds: a change to either makes a new one. */
function templateKey(): string {
  const hash = createHash('sha256');
  hash.update(fs.readFileSync(path.join(NODE_MODULES, '@electric-sql/pglite/package.json')));
  const files = fs.readdirSync(MIGRATIONS_DIR, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files.filter((f) => fs.statSync(path.join(MIGRATIONS_DIR, f)).isFile())) {
    hash.update(file);
    hash.update(fs.readFileSync(path.join(MIGRATIONS_DIR, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A migrated PGlite data directory, kept between runs in node_modules/.cache (a fresh clone pays for it once).
 * Made beside its final place and renamed into it, so two runs starting together never see half of one.
 */
async function pgliteTemplate(): Promise<string> {
  const cache = path.join(NODE_MODULES, '.cache/threadline-tests');
  const ready = path.join(cache, `pglite-${templateKey()}`);
  if (fs.existsSync(path.join(ready, PGLITE_SUBDIR, 'PG_VERSION'))) return ready;
  fs.mkdirSync(cache, { recursive: true });
  const building = fs.mkdtempSync(path.join(cache, 'building-'));
  const database = await openDatabase({ dataDir: building });
  await database.close();
  try {
    fs.renameSync(building, ready);
  } catch {
    // Another run finished first: use its template.
    fs.rmSync(building, { recursive: true, force: true });
  }
  return ready;
}

async function createPostgresTemplate(url: string): Promise<string> {
  const name = `tl_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  try {
    const database = await openDatabase({ databaseUrl: withDatabase(url, name), dataDir: 'unused' });
    await database.close();
  } catch (err) {
    await dropPostgresDatabase(url, name);
    throw err;
  }
  return name;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Global setup: make the templates this run copies from. */
export async function prepareDatabaseTemplates(): Promise<void> {
  process.env[PGLITE_TEMPLATE] = await pgliteTemplate();
  if (TEST_DATABASE_URL) process.env[POSTGRES_TEMPLATE] = await createPostgresTemplate(TEST_DATABASE_URL);
  process.env[RUN_DIR] = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-jest-'));
}

/** Global teardown: the copies left by a test that did not close its database, and the Postgres template. */
export async function removeDatabaseTemplates(): Promise<void> {
  const runDir = process.env[RUN_DIR];
  if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
  const template = process.env[POSTGRES_TEMPLATE];
  if (template && TEST_DATABASE_URL) await dropPostgresDatabase(TEST_DATABASE_URL, template);
}

async function dropPostgresDatabase(url: string, name: string): Promise<void> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * A data directory for a new PGlite test database, copied from the migrated template; undefined when the run has
 * no template (a config without the global setup), and the caller migrates from scratch.
 */
export function copyPgliteTemplate(): { dataDir: string; remove(): void } | undefined {
  const template = process.env[PGLITE_TEMPLATE];
  const runDir = process.env[RUN_DIR];
  if (!template || !runDir) return undefined;
  const dataDir = fs.mkdtempSync(path.join(runDir, 'db-'));
  fs.cpSync(path.join(template, PGLITE_SUBDIR), path.join(dataDir, PGLITE_SUBDIR), { recursive: true });
  return { dataDir, remove: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/** The `TEMPLATE` clause for a new Postgres test database, or nothing when the run has no template. */
export function postgresTemplateClause(): string {
  const template = process.env[POSTGRES_TEMPLATE];
  return template ? ` template ${template}` : '';
}
