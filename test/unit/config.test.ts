import { ConfigError, SANDBOX_CHANNEL, channelForNumber, loadConfig, parseRole, type Config } from '../../src/config';

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
      dataDir: './.data',
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
    const config = load({ PORT: '', DATA_DIR: ' ', SLACK_BOT_TOKEN: '', DIGEST_TIME: '' });
    expect(config).toMatchObject({ port: 3000, dataDir: './.data', sandbox: true, digest: { time: '09:00' } });
  });
});

describe('loadConfig with full credentials', () => {
  it('runs live with every value taken from the environment', () => {
    const config = load(LIVE_ENV);
    expect(config).toMatchObject({
      sandbox: false,
      port: 8080,
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
    expect(load(shared, ['--role', 'worker']).role).toBe('worker');
  });

  it('refuses a split role without a shared Postgres and Redis', () => {
    expect(() => load({}, ['--role', 'web'])).toThrow(/--role web .* needs DATABASE_URL and REDIS_URL/);
    expect(() => load({ DATABASE_URL: 'postgres://db/x' }, ['--role', 'worker'])).toThrow(/REDIS_URL/);
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
