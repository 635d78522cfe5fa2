import { z } from 'zod';

/**
 * The one place that reads the environment (STYLE: nothing else touches process.env).
 * Every problem is collected and reported in one error that says what to set.
 */

const SANDBOX_SLACK_TOKEN = 'xoxb-sandbox-token';
const SANDBOX_SIGNING_SECRET = 'sandbox-signing-secret';
const SANDBOX_WHATSAPP_TOKEN = 'sandbox-whatsapp-token';
const SANDBOX_APP_SECRET = 'sandbox-app-secret';
const SANDBOX_VERIFY_TOKEN = 'sandbox-verify-token';
export const SANDBOX_CHANNEL = 'C0SANDBOX01';
/** A throwaway PGlite, removed at close (db/pglite-client.ts). */
export const SANDBOX_DATA_DIR = 'memory://';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());

const channelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id such as C0123456789');

const numberChannels = z.preprocess(emptyToUndefined, z.string().optional()).transform((raw, ctx) => {
  const map = new Map<string, string>();
  if (!raw) return map;
  for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [numberId, channel, ...rest] = pair.split('=').map((s) => s.trim());
    if (!numberId || !channel || rest.length > 0 || !/^\d+$/.test(numberId) || !channelId.safeParse(channel).success) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not phone_number_id=CHANNEL_ID (for example 106540352242922=C0123456789)` });
      continue;
    }
    map.set(numberId, channel);
  }
  return map;
});

const listOf = (fallback: string) =>
  z.preprocess(emptyToUndefined, z.string().default(fallback)).transform((raw) =>
    raw.split(',').map((s) => s.trim()).filter(Boolean),
  );

const timeOfDay = z.preprocess(
  emptyToUndefined,
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM in 24-hour time, for example 09:00').default('09:00'),
);

const timeZone = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default('UTC')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Berlin'),
);

const urlWithDefault = (fallback: string) =>
  z.preprocess(emptyToUndefined, z.string().url('must be a URL such as https://example.com').default(fallback));

const positiveInt = (fallback: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(fallback));

const envSchema = z.object({
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(
    emptyToUndefined,
    z.string().trim().regex(/^[A-Za-z0-9.:-]+$/, 'must be an address to bind, such as 0.0.0.0, 127.0.0.1 or ::').optional(),
  ),
  /** The sandbox's own Postgres (a throwaway one); without it the sandbox uses a throwaway PGlite, never DATABASE_URL. */
  SANDBOX_DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./.data')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  ),
  REDIS_URL: z.preprocess(emptyToUndefined, z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional()),
  SLACK_BOT_TOKEN: z.preprocess(emptyToUndefined, z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional()),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(emptyToUndefined, z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional()),
  SLACK_API_URL: urlWithDefault('https://slack.com/api/'),
  SLACK_CHANNEL: z.preprocess(emptyToUndefined, channelId.optional()),
  WHATSAPP_ACCESS_TOKEN: optionalString,
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_VERIFY_TOKEN: optionalString,
  WHATSAPP_API_URL: urlWithDefault('https://graph.facebook.com'),
  WHATSAPP_API_VERSION: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^v\d+\.\d+$/, 'must look like v25.0').default('v25.0'),
  ),
  WHATSAPP_NUMBER_CHANNELS: numberChannels,
  /** The WABA whose templates are offered; otherwise learnt per number from webhooks' entry[].id. */
  WHATSAPP_BUSINESS_ACCOUNT_ID: z.preprocess(emptyToUndefined, z.string().trim().regex(/^\d{5,20}$/, 'must be the WhatsApp Business Account id (digits)').optional()),
  /** Where Slack and Meta reach this server; `threadline doctor` checks that /healthz answers there. */
  PUBLIC_URL: z.preprocess(emptyToUndefined, z.string().url('must be a URL such as https://threadline.example.com').optional()),
  /** Mark the customer's latest message read when an agent claims or replies (blue ticks). */
  READ_RECEIPTS: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('on')),
  /** `name` prefixes every reply with the agent's name in bold ("*Ana:* …"). */
  SIGN_REPLIES: z.preprocess(emptyToUndefined, z.enum(['off', 'name']).default('off')),
  NOTE_PREFIXES: listOf('note:,private:').transform((list) => list.map((p) => p.toLowerCase())),
  DIGEST_CHANNEL: z.preprocess(emptyToUndefined, channelId.optional()),
  DIGEST_TIME: timeOfDay,
  DIGEST_TZ: timeZone,
  ADMIN_USER_IDS: listOf(''),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** Meta's default per-number throughput is 80 msg/s (reference/whatsapp.md §5 Throughput). */
  WHATSAPP_MESSAGES_PER_SECOND: positiveInt(80),
  /** Meta sends batches of up to 1,000 updates and payloads up to 3 MB (reference/whatsapp.md §1.3). */
  WEBHOOK_MAX_BYTES: positiveInt(4 * 1024 * 1024),
  WORKER_CONCURRENCY: positiveInt(8),
  /** How long a Slack call may take before it counts as uncertain (a post is then looked for before reposting). */
  SLACK_TIMEOUT_MS: positiveInt(10_000),
  /** How long a Graph send may take before it counts as uncertain (never repeated blindly, DESIGN §4). */
  WHATSAPP_TIMEOUT_MS: positiveInt(15_000),
  /** Ownership timeout: remind the owner after the customer waited this long (per-channel override in settings). */
  OWNER_REMINDER_MINUTES: positiveInt(30),
  /** …and give the conversation back (pool or next agent on shift) this much later without a reply. */
  OWNER_RELEASE_MINUTES: positiveInt(30),
  /** The digest counts conversations whose first reply took longer than this. */
  FIRST_REPLY_TARGET_MINUTES: positiveInt(15),
});

export type Role = 'all' | 'web' | 'worker';

export interface Config {
  port: number;
  /** Address the HTTP server binds: HOST, else 0.0.0.0 with credentials and 127.0.0.1 in the sandbox. */
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  role: Role;
  /** No Slack or Meta credentials were given: run against the built-in emulators (DESIGN §6). */
  sandbox: boolean;
  /** Settings the sandbox was given but does not use (DATABASE_URL, REDIS_URL), so its banner can say so. */
  sandboxIgnored: readonly string[];
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  slack: {
    botToken: string;
    signingSecret: string;
    appToken: string | undefined;
    apiUrl: string;
    defaultChannel: string | undefined;
    timeoutMs: number;
  };
  whatsapp: {
    accessToken: string;
    appSecret: string;
    verifyToken: string;
    apiUrl: string;
    apiVersion: string;
    numberChannels: ReadonlyMap<string, string>;
    /** WHATSAPP_BUSINESS_ACCOUNT_ID, when given. */
    businessAccountId: string | undefined;
    readReceipts: boolean;
    signReplies: 'off' | 'name';
    messagesPerSecond: number;
    webhookMaxBytes: number;
    timeoutMs: number;
  };
  notePrefixes: readonly string[];
  digest: { channel: string | undefined; time: string; timeZone: string };
  adminUserIds: readonly string[];
  workerConcurrency: number;
  timeouts: { ownerReminderMinutes: number; ownerReleaseMinutes: number; firstReplyTargetMinutes: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `threadline cannot start, the configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nFix these settings (see the configuration table in README.md) and start again.',
    );
    this.name = 'ConfigError';
  }
}

const CREDENTIALS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
] as const;

/**
 * Settings that only mean something against the real Slack and Meta. Any of them set turns the sandbox off just
 * as a credential does, so a half-filled `.env` is refused instead of starting a sandbox that silently ignores
 * it (issue 8: SLACK_CHANNEL alone made customer messages vanish, DIGEST_CHANNEL alone made digests fail).
 */
const PLATFORM_SETTINGS = [
  ...CREDENTIALS,
  'SLACK_CHANNEL',
  'WHATSAPP_NUMBER_CHANNELS',
  'WHATSAPP_BUSINESS_ACCOUNT_ID',
  'DIGEST_CHANNEL',
  'ADMIN_USER_IDS',
  'SLACK_API_URL',
  'WHATSAPP_API_URL',
] as const;

/** Storage the sandbox never shares with a real deployment unless told to (SANDBOX_DATABASE_URL). */
const SANDBOX_IGNORES = ['DATABASE_URL', 'REDIS_URL'] as const;

const present = (v: string | undefined) => v !== undefined && v.trim() !== '';

/**
 * Nothing platform-specific set → sandbox. Anything set → every credential is needed; read from the raw environment
 * so the list is complete even when other values are malformed.
 */
function missingCredentials(env: NodeJS.ProcessEnv): string[] {
  const given = PLATFORM_SETTINGS.filter((k) => present(env[k]));
  if (given.length === 0) return [];
  const missing: string[] = [];
  if (!present(env.SLACK_BOT_TOKEN)) missing.push('SLACK_BOT_TOKEN (the Bot User OAuth Token, xoxb-…)');
  // Socket Mode authenticates the connection with the app-level token instead of signed requests.
  if (!present(env.SLACK_SIGNING_SECRET) && !present(env.SLACK_APP_TOKEN)) {
    missing.push('SLACK_SIGNING_SECRET (Basic Information → Signing Secret)');
  }
  if (!present(env.WHATSAPP_ACCESS_TOKEN)) missing.push('WHATSAPP_ACCESS_TOKEN (a System User token with whatsapp_business_messaging)');
  if (!present(env.WHATSAPP_APP_SECRET)) missing.push('WHATSAPP_APP_SECRET (Meta App Dashboard → App settings → Basic → App secret)');
  if (!present(env.WHATSAPP_VERIFY_TOKEN)) missing.push('WHATSAPP_VERIFY_TOKEN (any string; enter the same one as the webhook Verify token)');
  if (!present(env.SLACK_CHANNEL) && !present(env.WHATSAPP_NUMBER_CHANNELS)) {
    missing.push('SLACK_CHANNEL or WHATSAPP_NUMBER_CHANNELS (where conversations are posted)');
  }
  if (missing.length === 0) return [];
  const noCredential = !CREDENTIALS.some((k) => present(env[k]));
  const hint = noCredential ? '; to try the sandbox instead, unset them all' : '';
  return missing.map((m) => `${m} is required once any Slack or WhatsApp setting is set (${given.join(', ')} given${hint})`);
}

export function parseRole(argv: readonly string[]): Role {
  const i = argv.indexOf('--role');
  const inline = argv.find((a) => a.startsWith('--role='));
  if (i < 0 && !inline) return 'all';
  const value = inline ? inline.slice('--role='.length) : argv[i + 1];
  if (value === 'all' || value === 'web' || value === 'worker') return value;
  throw new ConfigError([`--role must be one of all, web, worker (got ${value === undefined ? 'nothing' : `"${value}"`})`]);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): Config {
  const problems: string[] = [];
  let role: Role = 'all';
  try {
    role = parseRole(argv);
  } catch (err) {
    problems.push(...(err as ConfigError).problems);
  }
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || 'environment'}: ${issue.message}`);
  }
  problems.push(...missingCredentials(env));
  const sandbox = !PLATFORM_SETTINGS.some((k) => present(env[k]));
  if (sandbox && role !== 'all') {
    problems.push(`--role ${role} splits a real deployment across processes; the sandbox (no credentials set) runs as one process`);
  } else if (role !== 'all' && !(present(env.REDIS_URL) && present(env.DATABASE_URL))) {
    problems.push(
      `--role ${role} runs one part of threadline in its own process: it needs DATABASE_URL and REDIS_URL so the processes share one Postgres and one queue`,
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;

  return {
    port: e.PORT,
    // The sandbox's secrets are public constants in this file: never reachable from other machines unless asked.
    host: e.HOST ?? (sandbox ? '127.0.0.1' : '0.0.0.0'),
    // A sandbox on a real deployment's database or Redis would show (and act on) its customers: its own, always.
    // In memory, because the emulators are: a restarted sandbox must not hold conversations whose threads are gone.
    dataDir: sandbox ? SANDBOX_DATA_DIR : e.DATA_DIR,
    databaseUrl: sandbox ? e.SANDBOX_DATABASE_URL : e.DATABASE_URL,
    redisUrl: sandbox ? undefined : e.REDIS_URL,
    role,
    sandbox,
    sandboxIgnored: sandbox ? SANDBOX_IGNORES.filter((k) => present(env[k])) : [],
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    slack: {
      botToken: e.SLACK_BOT_TOKEN ?? SANDBOX_SLACK_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET ?? SANDBOX_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      defaultChannel: e.SLACK_CHANNEL ?? (sandbox ? SANDBOX_CHANNEL : undefined),
      timeoutMs: e.SLACK_TIMEOUT_MS,
    },
    whatsapp: {
      accessToken: e.WHATSAPP_ACCESS_TOKEN ?? SANDBOX_WHATSAPP_TOKEN,
      appSecret: e.WHATSAPP_APP_SECRET ?? SANDBOX_APP_SECRET,
      verifyToken: e.WHATSAPP_VERIFY_TOKEN ?? SANDBOX_VERIFY_TOKEN,
      apiUrl: e.WHATSAPP_API_URL.replace(/\/+$/, ''),
      apiVersion: e.WHATSAPP_API_VERSION,
      numberChannels: e.WHATSAPP_NUMBER_CHANNELS,
      businessAccountId: e.WHATSAPP_BUSINESS_ACCOUNT_ID,
      readReceipts: e.READ_RECEIPTS === 'on',
      signReplies: e.SIGN_REPLIES,
      messagesPerSecond: e.WHATSAPP_MESSAGES_PER_SECOND,
      webhookMaxBytes: e.WEBHOOK_MAX_BYTES,
      timeoutMs: e.WHATSAPP_TIMEOUT_MS,
    },
    notePrefixes: e.NOTE_PREFIXES,
    digest: { channel: e.DIGEST_CHANNEL, time: e.DIGEST_TIME, timeZone: e.DIGEST_TZ },
    adminUserIds: e.ADMIN_USER_IDS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    timeouts: {
      ownerReminderMinutes: e.OWNER_REMINDER_MINUTES,
      ownerReleaseMinutes: e.OWNER_RELEASE_MINUTES,
      firstReplyTargetMinutes: e.FIRST_REPLY_TARGET_MINUTES,
    },
  };
}

/** The channel that receives conversations of a number: its mapping, else SLACK_CHANNEL. */
export function channelForNumber(config: Config, phoneNumberId: string): string | undefined {
  return config.whatsapp.numberChannels.get(phoneNumberId) ?? config.slack.defaultChannel;
}
