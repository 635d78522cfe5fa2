import { ConfigError, SANDBOX_CHANNEL, SANDBOX_DATA_DIR, channelForNumber, loadConfig, parseRole, type Config } from '../../src/config';

const LIVE_ENV = {
  PORT: '8080',
  DATA_DIR: '/var/lib/threadline',
  DATABASE_URL: 'postgres://threadline@db.internal:5432/threadline',
  REDIS_URL: 'redis://cache.internal:6379',
  SLACK_BOT_TOKEN: 'xoxb-1-live',
  SLACK_SIGNING_SECRET: 'live-signing-secret',
  SLACK_CHANNEL: 'C0LIVE0001',
  WHATSAPP_ACCESS_TOKEN: 'EAAlive',
  WHATSAPP_APP_SECRET: 'live-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'live-verify-token',
  WHATSAPP_NUMBER_CHANNELS: '106540352242922=C0SALES001, 106540352242923=G0SUPPORT1',
  DIGEST_CHANNEL: 'C0MANAGERS',
  DIGEST_TIME: '17:30',
  DIGEST_TZ: 'Europe/Berlin',
  ADMIN_USER_IDS: 'U0ADMIN1,U0ADMIN2',
  LOG_LEVEL: 'warn',
} as const;

const { DATABASE_URL: _db, REDIS_URL: _redis, ...LIVE_ENV_WITHOUT_STORAGE } = LIVE_ENV;

/** Loads a config with no command-line arguments, so the test runner's own argv cannot leak in. */
function load(env: NodeJS.ProcessEnv, argv: readonly string[] = []): Config {
  return loadConfig(env, argv);
}

function catchConfigError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

describe('loadConfig with no environment', () => {
  it('starts in sandbox mode with the documented defaults', () => {
    const config = load({});
    expect(config.sandbox).toBe(true);
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: SANDBOX_DATA_DIR,
      databaseUrl: undefined,
      redisUrl: undefined,
      role: 'all',
      logLevel: 'info',
      notePrefixes: ['note:', 'private:'],
      digest: { channel: undefined, time: '09:00', timeZone: 'UTC' },
      adminUserIds: [],
      workerConcurrency: 8,
    });
    expect(config.slack).toMatchObject({ apiUrl: 'https://slack.com/api/', appToken: undefined, defaultChannel: SANDBOX_CHANNEL });
    expect(config.whatsapp).toMatchObject({
      apiUrl: 'https://graph.facebook.com',
      apiVersion: 'v25.0',
      messagesPerSecond: 80,
      webhookMaxBytes: 4 * 1024 * 1024,
    });
    expect(config.whatsapp.numberChannels.size).toBe(0);
  });

  it('treats blank variables as unset', () => {
    const config = load({ PORT: '', HOST: ' ', SLACK_BOT_TOKEN: '', SLACK_CHANNEL: ' ', DIGEST_TIME: '' });
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', sandbox: true, digest: { time: '09:00' } });
  });
});

describe('loadConfig with full credentials', () => {
  it('runs live with every value taken from the environment', () => {
    const config = load(LIVE_ENV);
    expect(config).toMatchObject({
      sandbox: false,
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/threadline',
      databaseUrl: LIVE_ENV.DATABASE_URL,
      redisUrl: LIVE_ENV.REDIS_URL,
      logLevel: 'warn',
      digest: { channel: 'C0MANAGERS', time: '17:30', timeZone: 'Europe/Berlin' },
      adminUserIds: ['U0ADMIN1', 'U0ADMIN2'],
    });
    expect(config.slack).toMatchObject({
      botToken: 'xoxb-1-live',
      signingSecret: 'live-signing-secret',
      defaultChannel: 'C0LIVE0001',
    });
    expect(config.whatsapp).toMatchObject({
      accessToken: 'EAAlive',
      appSecret: 'live-app-secret',
      verifyToken: 'live-verify-token',
    });
    expect([...config.whatsapp.numberChannels]).toEqual([
      ['106540352242922', 'C0SALES001'],
      ['106540352242923', 'G0SUPPORT1'],
    ]);
  });

  it('needs no signing secret when a Socket Mode app token is given', () => {
    const { SLACK_SIGNING_SECRET: _omitted, ...env } = LIVE_ENV;
    const config = load({ ...env, SLACK_APP_TOKEN: 'xapp-1-socket' });
    expect(config.slack.appToken).toBe('xapp-1-socket');
    expect(config.sandbox).toBe(false);
  });

  it('normalises API base URLs: a trailing slash for Slack, none for Graph', () => {
    const config = load({ ...LIVE_ENV, SLACK_API_URL: 'http://127.0.0.1:9001/api', WHATSAPP_API_URL: 'http://127.0.0.1:9002//' });
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9001/api/');
    expect(config.whatsapp.apiUrl).toBe('http://127.0.0.1:9002');
  });
});

describe('loadConfig with partial credentials', () => {
  it('throws one ConfigError naming every missing variable', () => {
    const error = catchConfigError(() => load({ SLACK_BOT_TOKEN: 'xoxb-1-live' }));
    const missing = ['SLACK_SIGNING_SECRET', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'SLACK_CHANNEL'];
    expect(error.problems).toHaveLength(missing.length);
    for (const name of missing) expect(error.message).toContain(name);
  });

  it('accepts per-number channels instead of SLACK_CHANNEL', () => {
    const { SLACK_CHANNEL: _omitted, ...env } = LIVE_ENV;
    expect(load(env).slack.defaultChannel).toBeUndefined();
  });

  it('does not print the secrets it was given', () => {
    const error = catchConfigError(() => load({ WHATSAPP_APP_SECRET: 'very-secret-value' }));
    expect(error.message).not.toContain('very-secret-value');
    expect(error.message).toContain('WHATSAPP_APP_SECRET');
  });
});

describe('loadConfig with malformed values', () => {
  const MALFORMED = {
    PORT: 'abc',
    DATABASE_URL: 'mysql://root@localhost/threadline',
    SLACK_CHANNEL: 'general',
    WHATSAPP_NUMBER_CHANNELS: 'garbage',
    DIGEST_TIME: '25:00',
    DIGEST_TZ: 'Mars/Base',
    SLACK_BOT_TOKEN: 'xoxp-1-a-user-token',
  } as const;

  it.each(Object.entries(MALFORMED))('names %s when it is %p', (name, value) => {
    const error = catchConfigError(() => load({ ...LIVE_ENV, [name]: value }));
    expect(error.problems).toEqual([expect.stringContaining(name)]);
  });

  it('lists every malformed variable in one error', () => {
    const error = catchConfigError(() => load({ ...LIVE_ENV, ...MALFORMED }));
    for (const name of Object.keys(MALFORMED)) expect(error.message).toContain(name);
    expect(error.problems).toHaveLength(Object.keys(MALFORMED).length);
  });
});

describe('roles', () => {
  it.each([
    [[], 'all'],
    [['--role', 'web'], 'web'],
    [['--role', 'worker'], 'worker'],
    [['--role=all'], 'all'],
    [['--role=worker'], 'worker'],
  ] as const)('parses %p as %s', (argv, role) => {
    expect(parseRole(['node', 'dist/src/index.js', ...argv])).toBe(role);
  });

  it('refuses an unknown role and says which ones exist', () => {
    const error = catchConfigError(() => parseRole(['node', 'index.js', '--role', 'boss']));
    expect(error.message).toContain('all, web, worker');
    expect(error.message).toContain('boss');
  });

  it('reports a bad role together with a bad environment', () => {
    const error = catchConfigError(() => load({ PORT: 'abc' }, ['--role', 'boss']));
    expect(error.problems).toEqual([expect.stringContaining('--role'), expect.stringContaining('PORT')]);
  });

  it('carries the role into the config', () => {
    const shared = { DATABASE_URL: 'postgres://db/threadline', REDIS_URL: 'redis://cache:6379' };
    expect(load({ ...LIVE_ENV, ...shared }, ['--role', 'worker']).role).toBe('worker');
  });

  it('refuses a split role in the sandbox, which runs as one process', () => {
    const shared = { DATABASE_URL: 'postgres://db/threadline', REDIS_URL: 'redis://cache:6379' };
    expect(() => load(shared, ['--role', 'worker'])).toThrow(/--role worker .* the sandbox .* runs as one process/);
  });

  it('refuses a split role without a shared Postgres and Redis', () => {
    expect(() => load(LIVE_ENV_WITHOUT_STORAGE, ['--role', 'web'])).toThrow(/--role web .* needs DATABASE_URL and REDIS_URL/);
    expect(() => load({ ...LIVE_ENV_WITHOUT_STORAGE, DATABASE_URL: 'postgres://db/x' }, ['--role', 'worker'])).toThrow(/REDIS_URL/);
  });
});

describe('NOTE_PREFIXES', () => {
  it('is split on commas, trimmed and lowercased', () => {
    expect(load({ NOTE_PREFIXES: 'Note:, PRIVATE: ,,Internal:' }).notePrefixes).toEqual(['note:', 'private:', 'internal:']);
  });
});

describe('channelForNumber', () => {
  it("uses the number's own channel when it is mapped", () => {
    expect(channelForNumber(load(LIVE_ENV), '106540352242923')).toBe('G0SUPPORT1');
  });

  it('falls back to SLACK_CHANNEL for an unmapped number', () => {
    expect(channelForNumber(load(LIVE_ENV), '999')).toBe('C0LIVE0001');
  });

  it('has no channel for an unmapped number when SLACK_CHANNEL is unset', () => {
    const { SLACK_CHANNEL: _omitted, ...env } = LIVE_ENV;
    expect(channelForNumber(load(env), '999')).toBeUndefined();
  });

  it('sends every number to the sandbox channel in sandbox mode', () => {
    expect(channelForNumber(load({}), '106540352242922')).toBe(SANDBOX_CHANNEL);
  });
});

describe('the sandbox is never a real service by accident (issue 8)', () => {
  it('binds 127.0.0.1 unless HOST says otherwise, and a real deployment binds 0.0.0.0 unless HOST says otherwise', () => {
    expect(load({}).host).toBe('127.0.0.1');
    expect(load({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(load(LIVE_ENV).host).toBe('0.0.0.0');
    expect(load({ ...LIVE_ENV, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it('refuses a HOST that is not an address', () => {
    expect(catchConfigError(() => load({ HOST: 'http://example.com/' })).problems).toEqual([expect.stringContaining('HOST')]);
  });

  it('uses its own in-memory database and in-process queue, never DATABASE_URL or REDIS_URL, and says it ignored them', () => {
    const config = load({ DATABASE_URL: 'postgres://postgres@prod.internal/threadline', REDIS_URL: 'redis://prod.internal:6379' });
    expect(config).toMatchObject({ sandbox: true, databaseUrl: undefined, redisUrl: undefined, dataDir: SANDBOX_DATA_DIR });
    expect(config.sandboxIgnored).toEqual(['DATABASE_URL', 'REDIS_URL']);
  });

  it('uses a Postgres only when told explicitly with SANDBOX_DATABASE_URL', () => {
    const config = load({ DATABASE_URL: 'postgres://prod/threadline', SANDBOX_DATABASE_URL: 'postgres://postgres@127.0.0.1/sandbox' });
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1/sandbox');
  });

  it('keeps DATABASE_URL and ignores SANDBOX_DATABASE_URL with credentials', () => {
    const config = load({ ...LIVE_ENV, SANDBOX_DATABASE_URL: 'postgres://postgres@127.0.0.1/sandbox' });
    expect(config).toMatchObject({ databaseUrl: LIVE_ENV.DATABASE_URL, redisUrl: LIVE_ENV.REDIS_URL, sandboxIgnored: [] });
  });

  it.each([
    ['SLACK_CHANNEL', 'C0LIVE0001'],
    ['DIGEST_CHANNEL', 'C0MANAGERS'],
    ['WHATSAPP_NUMBER_CHANNELS', '106540352242922=C0SALES001'],
    ['WHATSAPP_BUSINESS_ACCOUNT_ID', '102290129340398'],
    ['ADMIN_USER_IDS', 'U0ADMIN1'],
    ['SLACK_API_URL', 'https://slack-proxy.example.com/api/'],
    ['WHATSAPP_API_URL', 'https://graph-proxy.example.com'],
  ])('refuses to start when only %s is set: a half-filled .env is a mistake, not a sandbox', (name, value) => {
    const error = catchConfigError(() => load({ [name]: value }));
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.message).toContain('SLACK_BOT_TOKEN');
    expect(error.message).toContain('WHATSAPP_ACCESS_TOKEN');
    expect(error.message).toContain(`${name} given`);
    expect(error.message).toContain('to try the sandbox instead, unset them all');
  });

  it('still starts the sandbox with settings that mean the same there (port, digest time, log level)', () => {
    const config = load({ PORT: '4000', DIGEST_TIME: '08:30', DIGEST_TZ: 'Europe/Berlin', LOG_LEVEL: 'warn' });
    expect(config).toMatchObject({ sandbox: true, port: 4000, digest: { time: '08:30', timeZone: 'Europe/Berlin' } });
  });
});
