import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../../../db/client';
import { runDoctor } from '../../../src/doctor';
import { type GraphEmulator, startGraphEmulator } from '../../../src/emulators/graph-emulator';
import { type SlackEmulator, startSlackEmulator } from '../../../src/emulators/slack-emulator';
import { DEFAULT_BUSINESS_NUMBER } from '../../../src/emulators/whatsapp-webhooks';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../helpers/env';

/**
 * `threadline doctor` against the emulators: every check once passing, and failing the way a real setup fails
 * (bad token, missing scope, bot not invited, unknown number, app not subscribed, storage down, URL not HTTPS).
 */

const TLS_DIR = path.join(__dirname, '../../fixtures/tls');
const CA = fs.readFileSync(path.join(TLS_DIR, 'localhost-cert.pem'));
const NUMBER = DEFAULT_BUSINESS_NUMBER.phoneNumberId;
const GRAPH_TOKEN = 'doctor-graph-token';
const NOW = new Date('2026-12-06T12:00:00Z');

let slack: SlackEmulator;
let graph: GraphEmulator;
let dataDir: string;
let healthServer: https.Server;
let healthUrl: string;
let healthBody = '{"ok":true}';

beforeAll(async () => {
  slack = await startSlackEmulator({
    channels: [
      { id: 'C0INBOX001', name: 'inbox' },
      { id: 'C0MANAGERS', name: 'managers' },
    ],
  });
  graph = await startGraphEmulator({ accessToken: GRAPH_TOKEN });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-doctor-'));
  const migrated = await openDatabase({ dataDir });
  await migrated.close();
  healthServer = https.createServer(
    { cert: CA, key: fs.readFileSync(path.join(TLS_DIR, 'localhost-key.pem')) },
    (req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(healthBody);
    },
  );
  await new Promise<void>((resolve) => healthServer.listen(0, '127.0.0.1', resolve));
  healthUrl = `https://localhost:${(healthServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await slack.close();
  await graph.close();
  await new Promise((resolve) => healthServer.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  // Meta calls threadline where PUBLIC_URL says (the emulator's default callback is a placeholder).
  graph.setAppWebhook({ callbackUrl: `${healthUrl}/webhooks/whatsapp` });
});

afterEach(() => {
  slack.reset();
  graph.reset();
  graph.setWebhookSubscription(DEFAULT_BUSINESS_NUMBER.wabaId, true);
  healthBody = '{"ok":true}';
});

/** A loopback port nothing listens on (not a fetch-blocked one such as 1). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function env(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    PORT: '1',
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    SLACK_CHANNEL: 'C0INBOX001',
    DIGEST_CHANNEL: 'C0MANAGERS',
    WHATSAPP_ACCESS_TOKEN: GRAPH_TOKEN,
    WHATSAPP_APP_SECRET: graph.appSecret,
    WHATSAPP_VERIFY_TOKEN: 'verify',
    WHATSAPP_API_URL: graph.url,
    WHATSAPP_NUMBER_CHANNELS: `${NUMBER}=C0INBOX001`,
    DATA_DIR: dataDir,
    PUBLIC_URL: healthUrl,
    ...overrides,
  };
}

async function doctor(overrides: Record<string, string | undefined> = {}, options: { ca?: boolean } = {}) {
  let output = '';
  const code = await runDoctor(env(overrides), [], (text) => (output += text), { now: NOW, ...(options.ca === false ? {} : { healthCa: CA }) });
  const lines = output.split('\n').filter((l) => /^[✓✗!] /.test(l));
  return { code, output, lines, line: (name: string) => lines.find((l) => l.slice(2).startsWith(name)) ?? `(no line for ${name})` };
}

describe('threadline doctor against the emulators', () => {
  it('passes every check of a complete setup and exits 0', async () => {
    const report = await doctor();
    expect(report.code).toBe(0);
    expect(report.lines.filter((l) => !l.startsWith('✓'))).toEqual([]);
    expect(report.lines.map((l) => l.slice(2).split(':')[0])).toEqual([
      'configuration',
      'Slack bot token',
      'Slack scopes',
      'Slack signing secret',
      'channel C0INBOX001 (SLACK_CHANNEL, WHATSAPP_NUMBER_CHANNELS)',
      'channel C0MANAGERS (DIGEST_CHANNEL)',
      'Graph API version',
      'WhatsApp access token',
      `number ${NUMBER} → C0INBOX001`,
      `webhooks of WABA ${DEFAULT_BUSINESS_NUMBER.wabaId}`,
      'WhatsApp webhook fields',
      'database',
      'migrations',
      'disk space',
      'public URL',
    ]);
    expect(report.line('number')).toContain('+1 555-000-1111, "threadline emulator", quality GREEN, limit TIER_1K');
    expect(report.line('Slack signing secret')).toContain('cannot be asked');
    expect(report.output).toContain('Everything threadline needs is in place');
  });

  it('names a refused bot token and how to get the right one, and exits 1', async () => {
    const report = await doctor({ SLACK_BOT_TOKEN: 'xoxb-mistyped' });
    expect(report.code).toBe(1);
    expect(report.line('Slack bot token')).toMatch(/^✗ Slack bot token: auth\.test answered invalid_auth → .*Bot User OAuth Token.*SLACK_BOT_TOKEN/);
  });

  it('says when Slack cannot be reached at all', async () => {
    const port = await closedPort();
    const report = await doctor({ SLACK_API_URL: `http://127.0.0.1:${port}/api/` });
    expect(report.line('Slack bot token')).toMatch(/^✗ .*did not answer → .*ECONNREFUSED.*SLACK_API_URL/);
  });

  it('names the scopes the installed app lacks and says to reinstall it', async () => {
    slack.setGrantedScopes(['chat:write', 'channels:read', 'commands']);
    const report = await doctor();
    expect(report.code).toBe(1);
    expect(report.line('Slack scopes')).toMatch(/^✗ Slack scopes: missing chat:write\.customize, .*files:write.* → .*reinstall the app/);
    expect(report.line('Slack scopes')).not.toContain('missing chat:write,');
  });

  it('checks the Socket Mode app token when set, and names a refused one', async () => {
    const good = await doctor({ SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: slack.appToken });
    expect(good.line('Slack app token')).toMatch(/^✓ Slack app token: valid/);
    expect(slack.callsTo('apps.connections.open')).toEqual([expect.objectContaining({ token: slack.appToken, status: 200 })]);
    const bad = await doctor({ SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-1-wrong' });
    expect(bad.code).toBe(1);
    expect(bad.line('Slack app token')).toMatch(/^✗ Slack app token: apps\.connections\.open answered invalid_auth → .*SLACK_APP_TOKEN/);
  });

  it('names the /invite to run for a channel the bot is not in, and an id Slack does not know', async () => {
    slack.addChannel({ id: 'C0SALES001', name: 'sales', botIsMember: false });
    const report = await doctor({ WHATSAPP_NUMBER_CHANNELS: `${NUMBER}=C0SALES001`, DIGEST_CHANNEL: 'C0NOSUCH01' });
    expect(report.code).toBe(1);
    expect(report.line('channel C0SALES001')).toBe('✗ channel C0SALES001 (WHATSAPP_NUMBER_CHANNELS): @threadline is not a member of #sales → run /invite @threadline in #sales');
    expect(report.line('channel C0NOSUCH01')).toMatch(/^✗ channel C0NOSUCH01 \(DIGEST_CHANNEL\): no channel with this id .* → check the id/);
  });

  it('refuses a WhatsApp token Graph does not accept, with where to make a lasting one', async () => {
    const report = await doctor({ WHATSAPP_ACCESS_TOKEN: 'expired-dashboard-token' });
    expect(report.code).toBe(1);
    expect(report.line('WhatsApp access token')).toMatch(/^✗ WhatsApp access token: Graph refused it .* → create a System User token/);
    expect(report.lines.some((l) => l.includes('number '))).toBe(false);
  });

  it('proves the token through the phone number when token debug is not permitted', async () => {
    const refusing = await startGraphEmulator({ accessToken: GRAPH_TOKEN, debugTokenRefused: true });
    try {
      const report = await doctor({ WHATSAPP_API_URL: refusing.url, WHATSAPP_BUSINESS_ACCOUNT_ID: DEFAULT_BUSINESS_NUMBER.wabaId });
      expect(report.code).toBe(0);
      expect(report.line('WhatsApp access token')).toMatch(/^✓ WhatsApp access token: accepted by Graph \(token debug not permitted/);
      expect(report.line(`webhooks of WABA`)).toMatch(/^✓/);
      const bad = await doctor({ WHATSAPP_API_URL: refusing.url, WHATSAPP_ACCESS_TOKEN: 'wrong' });
      expect(bad.line('WhatsApp access token')).toMatch(/^✗ WhatsApp access token: Graph refused it \(.*190.*\) → create a System User token/);
    } finally {
      await refusing.close();
    }
  });

  it('warns about a token that expires within a week', async () => {
    const expiring = await startGraphEmulator({ accessToken: GRAPH_TOKEN, tokenExpiresAt: Math.floor(NOW.getTime() / 1000) + 3600 });
    expiring.setAppWebhook({ callbackUrl: `${healthUrl}/webhooks/whatsapp` });
    try {
      const report = await doctor({ WHATSAPP_API_URL: expiring.url });
      expect(report.code).toBe(0);
      expect(report.line('WhatsApp access token')).toMatch(/^! WhatsApp access token: valid, but expires 2026-12-06 13:00 UTC → create a System User token/);
    } finally {
      await expiring.close();
    }
  });

  it('refuses a phone number id Graph does not know for this token', async () => {
    const report = await doctor({ WHATSAPP_NUMBER_CHANNELS: `${NUMBER}=C0INBOX001,109999999999999=C0MANAGERS` });
    expect(report.code).toBe(1);
    expect(report.line(`number ${NUMBER}`)).toMatch(/^✓/);
    expect(report.line('number 109999999999999')).toMatch(/^✗ number 109999999999999 → C0MANAGERS: Graph knows no phone number .* → copy the Phone number ID/);
  });

  it("says the app is not subscribed to the WABA's webhooks and how to subscribe it", async () => {
    graph.setWebhookSubscription(DEFAULT_BUSINESS_NUMBER.wabaId, false);
    const report = await doctor();
    expect(report.code).toBe(1);
    expect(report.line('webhooks of WABA')).toMatch(/^✗ webhooks of WABA 200000000000002: the app is not subscribed.* → curl -X POST '.*\/v25\.0\/200000000000002\/subscribed_apps'/);
  });

  it('fails the run when the app does not take the `messages` webhook field', async () => {
    graph.setAppWebhook({ fields: ['account_update'] });
    const report = await doctor();
    expect(report.code).toBe(1);
    expect(report.line('WhatsApp webhook fields')).toMatch(/^✗ WhatsApp webhook fields: `messages` is not subscribed \(only account_update\).* → .*Webhook fields, subscribe `messages`$/);
    expect(report.output).not.toContain(graph.appSecret);
  });

  it('refuses an API version past its end date', async () => {
    const report = await doctor({ WHATSAPP_API_VERSION: 'v19.0' });
    expect(report.line('Graph API version')).toMatch(/^✗ Graph API version: v19\.0 is no longer served .* → set WHATSAPP_API_VERSION=v25\.0/);
  });

  it('counts missing migrations in an embedded database', async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-doctor-bare-'));
    try {
      const client = new PGlite(path.join(bare, 'pglite'));
      await client.query('select 1');
      await client.close();
      const report = await doctor({ DATA_DIR: bare });
      expect(report.code).toBe(1);
      expect(report.line('migrations')).toMatch(/^✗ migrations: 0 of \d+ applied → start threadline once/);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it('does not open an embedded database that a threadline running here holds', async () => {
    const running = http.createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((resolve) => running.listen(0, '127.0.0.1', resolve));
    try {
      const report = await doctor({ PORT: String((running.address() as AddressInfo).port) });
      expect(report.line('database')).toMatch(/^✓ database: embedded PGlite in .*, in use by the threadline running here/);
      expect(report.lines.some((l) => l.includes('migrations'))).toBe(false);
    } finally {
      await new Promise((resolve) => running.close(resolve));
    }
  });

  it('says when Postgres or Redis cannot be reached', async () => {
    const report = await doctor({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' });
    expect(report.code).toBe(1);
    expect(report.line('database')).toMatch(/^✗ database: Postgres \(DATABASE_URL\) is not reachable \(ECONNREFUSED.*\) → check DATABASE_URL/);
    expect(report.line('Redis')).toMatch(/^✗ Redis: not reachable \(ECONNREFUSED.*\) → check REDIS_URL/);
    expect(report.lines.some((l) => l.includes('disk space'))).toBe(false);
  });

  (TEST_DATABASE_URL ? it : it.skip)('passes a migrated Postgres and a running Redis (DATABASE_URL / REDIS_URL set)', async () => {
    const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused' });
    await db.close();
    const report = await doctor({ DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL });
    expect(report.line('migrations')).toMatch(/^✓/);
    if (TEST_REDIS_URL) expect(report.line('Redis')).toMatch(/^✓ Redis: reachable/);
  });

  it('refuses a PUBLIC_URL that is not HTTPS, not trusted, or not threadline', async () => {
    expect((await doctor({ PUBLIC_URL: 'http://threadline.example.com' })).line('public URL')).toMatch(/^✗ public URL: http:\/\/threadline\.example\.com is not HTTPS/);
    expect((await doctor({}, { ca: false })).line('public URL')).toMatch(/^✗ public URL: .*certificate not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    healthBody = '<html>welcome to nginx</html>';
    expect((await doctor()).line('public URL')).toMatch(/^✗ public URL: .* answered HTTP 200, not threadline's health check/);
  });

  it('reports a broken configuration with the start-up error and stops there', async () => {
    const report = await doctor({ SLACK_BOT_TOKEN: 'xapp-not-a-bot-token', DIGEST_TIME: '9am' });
    expect(report.code).toBe(1);
    expect(report.lines).toHaveLength(1);
    expect(report.line('configuration')).toMatch(/^✗ configuration: SLACK_BOT_TOKEN: must be a bot token.*; DIGEST_TIME: must be HH:MM/);
  });

  it('says there is nothing to check when no credential is set (the sandbox)', async () => {
    let output = '';
    const code = await runDoctor({}, [], (text) => (output += text));
    expect(code).toBe(1);
    expect(output).toMatch(/^✗ configuration: no Slack or WhatsApp setting is set/);
  });
});
