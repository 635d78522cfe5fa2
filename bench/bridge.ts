import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { GraphEmulator } from '../src/emulators/graph-emulator';
import type { SlackEmulator } from '../src/emulators/slack-emulator';
import { type Child, freePort, startChild } from '../test/helpers/processes';
import { BENCH_SECRET, type Number, numberChannelsEnv } from './workload';

export type ModeName = 'single-pglite' | 'single-postgres' | 'scale-out';

export interface Bridge {
  mode: ModeName;
  /** Where webhooks go (several web processes in scale-out). */
  targets: string[];
  children: Child[];
  peakRssMb(): number;
  stop(): Promise<void>;
}

export const BENCH_GRAPH_TOKEN = 'bench-graph-token';

/** A throwaway database on the machine's Postgres for one run. */
async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tl_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

/**
 * The bridge as separate processes against the emulators running in the benchmark process: one process on
 * embedded PGlite (the default), one process on real Postgres, or web ×2 + worker ×2 on Postgres and Redis.
 */
export async function startBridge(args: {
  mode: ModeName;
  slack: SlackEmulator;
  graph: GraphEmulator;
  numbers: Number[];
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
}): Promise<Bridge> {
  const baseEnv: Record<string, string> = {
    LOG_LEVEL: 'warn',
    SLACK_BOT_TOKEN: args.slack.token,
    SLACK_SIGNING_SECRET: args.slack.signingSecret,
    SLACK_API_URL: args.slack.apiUrl,
    WHATSAPP_NUMBER_CHANNELS: numberChannelsEnv(args.numbers),
    WHATSAPP_ACCESS_TOKEN: BENCH_GRAPH_TOKEN,
    WHATSAPP_APP_SECRET: BENCH_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'bench-verify',
    WHATSAPP_API_URL: args.graph.url,
    WORKER_CONCURRENCY: '16',
  };
  const cleanups: (() => Promise<void>)[] = [];
  const children: Child[] = [];
  const start = async (name: string, env: Record<string, string>, argv: string[] = []) => {
    const port = await freePort();
    // The compiled build, as `node dist/src/index.js` runs it in production (npm run bench builds first).
    const child = await startChild({ entry: 'dist/src/index.js', argv, env: { ...baseEnv, ...env, PORT: String(port) }, port, name });
    children.push(child);
    return child;
  };
  if (args.mode === 'single-pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-bench-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    await start('bridge', { DATA_DIR: dir, DATABASE_URL: '', REDIS_URL: '' });
  } else {
    if (!args.databaseUrl) throw new Error(`${args.mode} needs DATABASE_URL`);
    const db = await createDatabase(args.databaseUrl);
    cleanups.push(() => db.drop());
    if (args.mode === 'single-postgres') {
      await start('bridge', { DATABASE_URL: db.url, REDIS_URL: '' });
    } else {
      if (!args.redisUrl) throw new Error('scale-out needs REDIS_URL');
      const shared = { DATABASE_URL: db.url, REDIS_URL: args.redisUrl };
      // The first process applies the migrations; the rest find them applied.
      await start('web-1', shared, ['--role', 'web']);
      await start('web-2', shared, ['--role', 'web']);
      await start('worker-1', shared, ['--role', 'worker']);
      await start('worker-2', shared, ['--role', 'worker']);
    }
  }
  const webs = args.mode === 'scale-out' ? children.slice(0, 2) : children;
  return {
    mode: args.mode,
    targets: webs.map((c) => c.url),
    children,
    peakRssMb: () => Math.max(...children.map((c) => c.peakRssMb())),
    async stop() {
      for (const c of children) await c.stop();
      for (const clean of cleanups) await clean();
    },
  };
}
