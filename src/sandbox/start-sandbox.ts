import type express from 'express';
import { type Config, SANDBOX_CHANNEL } from '../config';
import type { DepsOverrides } from '../deps';
import { type GraphEmulator, startGraphEmulator } from '../emulators/graph-emulator';
import { type SlackEmulator, startSlackEmulator } from '../emulators/slack-emulator';
import { createPlayground, type Playground } from '../playground/playground';
import { type Running, startThreadline } from '../runtime';
import { runDigestTick } from '../services/digest';
import { runOwnershipTimeouts } from '../services/ownership-timeouts';
import { buildSandboxBanner } from './sandbox-banner';
import { SandboxClock } from './sandbox-clock';
import { BUSINESS_LINES, CHANNELS, DIGEST_CHANNEL, PERSONAS, SANDBOX_ADMIN, SANDBOX_MANAGER } from './sandbox-world';
import { mountCurlRoutes } from './curl-routes';

export interface Sandbox {
  running: Running;
  slack: SlackEmulator;
  graph: GraphEmulator;
  clock: SandboxClock;
  playground: Playground;
  /** The playground page: http://HOST:PORT/ */
  url: string;
  /** What `npm start` prints: loud, so nobody mistakes it for a real deployment. */
  banner: string;
  close(): Promise<void>;
}

/** How long after a send the emulated phone reports delivered, then read: slow enough to watch the ticks change. */
const STATUS_STEP_MS = 700;

/**
 * No credentials: the real bridge against the built-in Slack and WhatsApp emulators (DESIGN §6), on its own
 * in-memory database, with the playground page and the curl helpers. One clock for threadline and both emulators,
 * moved forward only by the playground.
 */
export async function startSandbox(config: Config, options: { overrides?: DepsOverrides } = {}): Promise<Sandbox> {
  if (!config.sandbox) throw new Error('startSandbox is for a configuration without credentials');
  const clock = new SandboxClock();
  let notify = () => {};
  const slack = await startSlackEmulator({
    token: config.slack.botToken,
    signingSecret: config.slack.signingSecret,
    users: [...PERSONAS],
    channels: [...CHANNELS],
    clock,
    onActivity: () => notify(),
  });
  const graph = await startGraphEmulator({
    accessToken: config.whatsapp.accessToken,
    appSecret: config.whatsapp.appSecret,
    autoStatuses: ['sent', 'delivered', 'read'],
    statusDelayMs: STATUS_STEP_MS,
    businessNumbers: BUSINESS_LINES.map((l) => ({ phoneNumberId: l.phoneNumberId, displayPhoneNumber: l.displayPhoneNumber })),
    clock,
    onActivity: () => notify(),
  });
  const sandboxConfig: Config = {
    ...config,
    slack: { ...config.slack, apiUrl: slack.apiUrl, defaultChannel: SANDBOX_CHANNEL },
    whatsapp: { ...config.whatsapp, apiUrl: graph.url, numberChannels: new Map(BUSINESS_LINES.map((l) => [l.phoneNumberId, l.channel])) },
    digest: { ...config.digest, channel: DIGEST_CHANNEL },
    adminUserIds: [SANDBOX_ADMIN],
  };
  const playground = createPlayground({ config: sandboxConfig, slack, graph, clock, personas: PERSONAS, lines: BUSINESS_LINES });
  notify = () => playground.changed();
  let running: Running;
  try {
    running = await startThreadline(sandboxConfig, {
      overrides: { ...options.overrides, clock },
      extraRoutes: (app: express.Express) => {
        mountCurlRoutes(app, slack, graph);
        playground.mount(app);
      },
    });
  } catch (err) {
    await slack.close();
    await graph.close();
    throw err;
  }
  const base = baseUrl(config.host, new URL(running.url).port);
  const url = `${base}/`;
  slack.setAppUrl(base);
  graph.webhookUrl = `${base}/webhooks/whatsapp`;

  // The schedulers check every 30 s; after a jump the page should not wait for them to notice.
  const stopListening = clock.onJump(() => {
    const deps = running.deps;
    deps.background.run('sandbox: timeouts after a clock jump', async () => {
      await runOwnershipTimeouts(deps);
    });
    deps.background.run('sandbox: digest after a clock jump', async () => {
      await runDigestTick(deps);
    });
    playground.changed();
  });

  // Maya is the team's manager: the admin makes her one through threadline's own command, as a team would.
  const seeded = await slack.runSlashCommand({ user: SANDBOX_ADMIN, channel: SANDBOX_CHANNEL, command: '/threadline', text: `role <@${SANDBOX_MANAGER}|maya> manager` });
  if (seeded.status !== 200) running.deps.logger.warn({ status: seeded.status }, 'sandbox: could not make the manager a manager');

  return {
    running,
    slack,
    graph,
    clock,
    playground,
    url,
    banner: buildSandboxBanner({ url, host: config.host, ignored: config.sandboxIgnored, database: running.deps.database.kind }),
    async close() {
      stopListening();
      playground.close();
      await slack.close();
      await graph.close();
    },
  };
}

const LOOPBACK_OR_ANY = new Set(['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost']);

/** http://HOST:PORT, through which this machine (the emulators, the browser) reaches threadline. */
function baseUrl(host: string, port: string): string {
  if (LOOPBACK_OR_ANY.has(host)) return `http://127.0.0.1:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}
