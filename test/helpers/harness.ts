import type { Clock } from '../../src/clock';
import { type Config, loadConfig } from '../../src/config';
import { type GraphEmulator, startGraphEmulator } from '../../src/emulators/graph-emulator';
import { DEFAULT_BUSINESS_NUMBER } from '../../src/emulators/whatsapp-webhooks';
import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';
import { createLogger } from '../../src/logger';
import { PLATFORM_PACE, quickenedPace } from '../../src/queue/rate-limiter';
import { type Running, startThreadline } from '../../src/runtime';
import type { SeedUser, StoredMessage } from '../../src/emulators/slack-types';
import { DEFAULT_USERS } from '../../src/emulators/slack-workspace';
import { type TestBackend, openTestDatabase } from './database';
import { E2E_BACKEND, type TestRedis, openTestRedis } from './e2e-storage';
import { waitFor } from './wait';

export const INBOX = 'C0INBOX001';
export const VERIFY_TOKEN = 'verify-me-please';

export interface Harness {
  slack: SlackEmulator;
  graph: GraphEmulator;
  app: Running;
  config: Config;
  /** Top-level messages (header cards) of the inbox channel. */
  cards(): StoredMessage[];
  /** The thread under the card of the Nth conversation (0 = first). */
  threadOf(cardIndex?: number): StoredMessage[];
  /** Signals waiting in Redis for a worker (always 0 on the in-process queue, whose size() counts them). */
  queuedSignals(): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** More Slack channels (map numbers to them with WHATSAPP_NUMBER_CHANNELS in `env`). */
  extraChannels?: string[];
  /** People besides the emulator's default three (Ana, Bruno, Carla). */
  extraUsers?: SeedUser[];
  /** Who is in which channel; a channel not named here has everyone in it. */
  channelMembers?: Record<string, string[]>;
  /** More WhatsApp business numbers customers can write to (the default one is always there). */
  businessNumbers?: { phoneNumberId: string; displayPhoneNumber: string }[];
  /** Default: Postgres + Redis when DATABASE_URL and REDIS_URL are set (.ci/run), else PGlite + in-process queue. */
  backend?: TestBackend;
  clock?: Clock;
  env?: Record<string, string>;
  autoStatuses?: ('sent' | 'delivered' | 'read')[];
  slackRateLimit?: { perSecond: number; burst: number };
  /**
   * How fast the app paces itself to Slack's and Meta's limits: `'platform'` is their real pace (1 post/s per channel,
   * …); a number runs them that many times faster with the same bursts (default 10, or the real pace when
   * `slackRateLimit` makes the emulated Slack enforce one). Tests about the pace itself use `'platform'`.
   */
  pace?: 'platform' | number;
  /** The app's Graph call timeout (default 15 s): short, so a held response becomes an uncertain send quickly. */
  graphTimeoutMs?: number;
  /** Real Slack sends the app events for its own posts too (slack.md §2.4); off by default in the emulator. */
  deliverBotMessageEvents?: boolean;
  /** Slack over Socket Mode: SLACK_APP_TOKEN set, no signing secret; people act through the app's WebSocket. */
  socketMode?: boolean;
  /** The app's log level (default silent), for debugging a test. */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Where the app's JSON log lines go (default stdout), for tests that read the logs. */
  logDestination?: { write(line: string): void };
}

const TEST_PACE_FACTOR = 10;

function paceOf(options: HarnessOptions) {
  const pace = options.pace ?? (options.slackRateLimit ? 'platform' : TEST_PACE_FACTOR);
  return pace === 'platform' ? PLATFORM_PACE : quickenedPace(pace);
}

/**
 * The real server over HTTP against both emulators (DESIGN §6): what the end-to-end tests drive. Customers write
 * through the Graph emulator's signed webhooks, agents through the Slack emulator's signed events and clicks (or,
 * with `socketMode`, its Socket Mode envelopes).
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const members = (id: string) => (options.channelMembers?.[id] ? { members: options.channelMembers[id] } : {});
  const slack = await startSlackEmulator({
    channels: [
      { id: INBOX, name: 'inbox', ...members(INBOX) },
      ...(options.extraChannels ?? []).map((id) => ({ id, name: id.toLowerCase(), ...members(id) })),
    ],
    ...(options.extraUsers ? { users: [...DEFAULT_USERS, ...options.extraUsers] } : {}),
    ...(options.slackRateLimit ? { rateLimits: { postMessagePerChannel: options.slackRateLimit } } : {}),
    ...(options.deliverBotMessageEvents ? { deliverBotMessageEvents: true } : {}),
  });
  // Graph shares the app's clock: customer message timestamps move the 24-hour window the app measures with it.
  const graph = await startGraphEmulator({
    autoStatuses: options.autoStatuses ?? [],
    statusDelayMs: 5,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.businessNumbers ? { businessNumbers: [DEFAULT_BUSINESS_NUMBER, ...options.businessNumbers] } : {}),
  });
  const backend = options.backend ?? E2E_BACKEND;
  const database = await openTestDatabase(backend);
  // On the real servers the queue and rate limits go through Redis too, under a key prefix of this harness's own.
  const redis: TestRedis | undefined = backend === 'postgres' ? openTestRedis() : undefined;
  const config = loadConfig(
    {
      PORT: '0',
      LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: slack.token,
      ...(options.socketMode ? { SLACK_APP_TOKEN: slack.appToken } : { SLACK_SIGNING_SECRET: slack.signingSecret }),
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL: INBOX,
      WHATSAPP_ACCESS_TOKEN: 'test-whatsapp-token',
      WHATSAPP_APP_SECRET: 'test-app-secret',
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_API_URL: graph.url,
      ...(redis ? { REDIS_URL: redis.url } : {}),
      ...(options.graphTimeoutMs ? { WHATSAPP_TIMEOUT_MS: String(options.graphTimeoutMs) } : {}),
      ...options.env,
    },
    [],
  );
  const logger = createLogger({ level: options.logLevel ?? 'silent', ...(options.logDestination ? { destination: options.logDestination } : {}) });
  let app: Running;
  try {
    app = await startThreadline(config, {
      overrides: {
        database,
        logger,
        ...(redis ? redis.queueAndLimits(config, logger) : {}),
        ...(options.clock ? { clock: options.clock } : {}),
        pace: paceOf(options),
      },
    });
  } catch (err) {
    await slack.close();
    await graph.close();
    await redis?.close();
    throw err;
  }
  // In Socket Mode the emulator reaches the app over its WebSocket only: a fallback to HTTP would fail loudly.
  if (!options.socketMode) slack.setAppUrl(app.url);
  graph.webhookUrl = `${app.url}/webhooks/whatsapp`;
  const cards = () => slack.messages(INBOX).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  return {
    slack,
    graph,
    app,
    config,
    cards,
    threadOf: (i = 0) => {
      const card = cards()[i];
      return card ? slack.thread(INBOX, card.ts).slice(1) : [];
    },
    queuedSignals: () => redis?.queuedSignals() ?? Promise.resolve(0),
    async close() {
      await app.stop(2_000);
      await slack.close();
      await graph.close();
      await redis?.close();
    },
  };
}

/** Wait until the first conversation's card is up and return its ts. */
export async function waitForCard(h: Harness, index = 0): Promise<string> {
  const card = await waitFor(`card #${index}`, () => h.cards()[index]);
  return card.ts;
}
