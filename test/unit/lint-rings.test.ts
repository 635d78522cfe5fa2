import path from 'node:path';
import { ESLint, type Linter } from 'eslint';

const ROOT = path.resolve(__dirname, '../..');

/** Paths that need not exist on disk: lintText only uses them to pick the config that applies. */
const PROBES = {
  handler: 'handlers/commands/ring-probe.ts',
  block: 'blocks/ring-probe.ts',
  service: 'src/services/ring-probe.ts',
  query: 'db/queries/ring-probe.ts',
} as const;

/**
 * The repo's own config, loaded with require: ESLint's config-file lookup uses import(), which Jest's VM
 * refuses without --experimental-vm-modules.
 */
const repoConfig = require(path.join(ROOT, 'eslint.config.js')) as Linter.Config[];

/**
 * Only the import rule runs, so type information is not needed: the project service would refuse paths
 * outside tsconfig and keep tsserver timers alive after the test.
 */
const linter = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  baseConfig: repoConfig,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});

async function listRestrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await linter.lintText(code, { filePath: path.join(ROOT, filePath) });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(fatal.map((m) => m.message).join('\n'));
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the three-ring lint rule (STYLE principle 1)', () => {
  it('refuses drizzle-orm in a handler', async () => {
    const errors = await listRestrictedImports("import { sql } from 'drizzle-orm';\nexport const q = sql`select 1`;\n", PROBES.handler);
    expect(errors).toEqual([expect.stringContaining("'drizzle-orm' import is restricted")]);
  });

  it('lets a service import drizzle-orm', async () => {
    const errors = await listRestrictedImports("import { sql } from 'drizzle-orm';\nexport const q = sql`select 1`;\n", PROBES.service);
    expect(errors).toEqual([]);
  });

  it('refuses a relative import of db/ from a nested handler, type-only imports included', async () => {
    const code = "import type { Db } from '../../db/client';\nexport type D = Db;\n";
    const errors = await listRestrictedImports(code, PROBES.handler);
    expect(errors).toEqual([expect.stringContaining('through src/services/')]);
  });

  it('refuses ioredis, bullmq and postgres in a handler', async () => {
    const code = "import Redis from 'ioredis';\nimport { Queue } from 'bullmq';\nimport postgres from 'postgres';\nexport const all = [Redis, Queue, postgres];\n";
    const errors = await listRestrictedImports(code, PROBES.handler);
    expect(errors).toHaveLength(3);
  });

  it('keeps blocks pure: no Slack client, no services, no file or network I/O', async () => {
    const code = [
      "import { WebClient } from '@slack/web-api';",
      "import { claimConversation } from '../src/services/conversations';",
      "import fs from 'node:fs';",
      "import http from 'http';",
      'export const all = [WebClient, claimConversation, fs, http];',
      '',
    ].join('\n');
    const errors = await listRestrictedImports(code, PROBES.block);
    expect(errors).toHaveLength(4);
  });

  it('lets blocks type their output with @slack/types', async () => {
    const code = "import type { KnownBlock } from '@slack/types';\nexport const blocks: KnownBlock[] = [];\n";
    expect(await listRestrictedImports(code, PROBES.block)).toEqual([]);
  });

  it('keeps Slack out of db/', async () => {
    const code = "import { WebClient } from '@slack/web-api';\nexport const c = WebClient;\n";
    const errors = await listRestrictedImports(code, PROBES.query);
    expect(errors).toEqual([expect.stringContaining('db/ is an adapter for Postgres only')]);
  });
});
