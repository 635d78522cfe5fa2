import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { numberChannelsEnv, makeNumbers, type Number } from '../../bench/workload';
import { type GraphEmulator, startGraphEmulator } from '../../src/emulators/graph-emulator';
import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/env';
import { type Child, freePort, startChild } from '../helpers/processes';

export const FAULT_SECRET = 'bench-app-secret';

/** The fault tests need the real servers: they SIGKILL processes and cut connections. */
export function requireServers(): { databaseUrl: string; redisUrl: string } {
  if (!TEST_DATABASE_URL || !TEST_REDIS_URL) {
    throw new Error('npm run test:faults needs DATABASE_URL and REDIS_URL (.ci/run sets them)');
  }
  return { databaseUrl: TEST_DATABASE_URL, redisUrl: TEST_REDIS_URL };
}

export interface Rig {
  slack: SlackEmulator;
  graph: GraphEmulator;
  numbers: Number[];
  /** A fresh database on the real server, dropped at close. */
  databaseUrl: string;
  /** Start (or restart on its same port) a bridge process. */
  start(name: string, options?: { argv?: string[]; env?: Record<string, string> }): Promise<Child>;
  child(name: string): Child | undefined;
  url(name: string): string;
  close(): Promise<void>;
}

/**
 * Emulators in the test process, the bridge as real child processes (so it can be killed), a throwaway database.
 */
export async function startRig(options: { channels?: number; env?: Record<string, string> } = {}): Promise<Rig> {
  const { databaseUrl: serverUrl } = requireServers();
  const numbers = makeNumbers(options.channels ?? 3);
  const slack = await startSlackEmulator({ channels: numbers.map((n) => ({ id: n.channel, name: n.channel.toLowerCase() })) });
  const graph = await startGraphEmulator({ accessToken: 'fault-graph-token', appSecret: FAULT_SECRET });
  const name = `tl_fault_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const children = new Map<string, Child>();
  const ports = new Map<string, number>();
  const baseEnv = {
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: '',
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    SLACK_TIMEOUT_MS: '1500',
    WHATSAPP_NUMBER_CHANNELS: numberChannelsEnv(numbers),
    WHATSAPP_ACCESS_TOKEN: 'fault-graph-token',
    WHATSAPP_APP_SECRET: FAULT_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'fault-verify',
    WHATSAPP_API_URL: graph.url,
    WHATSAPP_TIMEOUT_MS: '1500',
    ...options.env,
  };
  return {
    slack,
    graph,
    numbers,
    databaseUrl,
    async start(childName, opts = {}) {
      const port = ports.get(childName) ?? (await freePort());
      ports.set(childName, port);
      const child = await startChild({
        entry: 'src/index.ts',
        argv: opts.argv,
        env: { ...baseEnv, ...opts.env, PORT: String(port) },
        port,
        name: childName,
      });
      children.set(childName, child);
      // The process that serves HTTP is where simulated agents and Meta's webhooks go.
      if (!opts.argv?.includes('worker')) {
        slack.setAppUrl(child.url);
        graph.webhookUrl = `${child.url}/webhooks/whatsapp`;
      }
      return child;
    },
    child: (childName) => children.get(childName),
    url: (childName) => `http://127.0.0.1:${ports.get(childName)}`,
    async close() {
      for (const c of children.values()) await c.stop('SIGKILL');
      await slack.close();
      await graph.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** SIGKILL and wait until the process is gone. */
export async function kill(child: Child): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.proc.once('exit', () => resolve());
    child.proc.kill('SIGKILL');
  });
}
