import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config';
import { createDoctorProbes } from '../../../src/doctor-probes';
import { type GraphEmulator, startGraphEmulator } from '../../../src/emulators/graph-emulator';
import { type SlackEmulator, startSlackEmulator } from '../../../src/emulators/slack-emulator';
import { DEFAULT_BUSINESS_NUMBER } from '../../../src/emulators/whatsapp-webhooks';
import { createLogger } from '../../../src/logger';
import type { CheckResult } from '../../../src/services/doctor/check-result';
import { formatCheckLine } from '../../../src/services/doctor/format-report';
import { warnAboutSetup } from '../../../src/services/doctor/startup-warnings';
import { checkWhatsApp } from '../../../src/services/doctor/whatsapp-checks';
import { createGraphSetupProbe } from '../../../src/whatsapp/setup-probe';

/**
 * The "WhatsApp webhook fields" check against the Graph emulator's GET /<APP_ID>/subscriptions, read with the app
 * token built from WHATSAPP_APP_SECRET: `messages` subscribed at PUBLIC_URL's webhook passes; a missing field or a
 * callback URL elsewhere fails with the dashboard fix; an answer that cannot be read warns. Neither the secret nor
 * the app token is ever printed.
 */

const TOKEN = 'fields-graph-token';
const SECRET = 'fields-app-secret-5f1c';
const APP_ID = '300000000000003';
const PUBLIC = 'https://inbox.example.com';
const NOW = new Date('2026-12-06T12:00:00Z');

let graph: GraphEmulator;
let slack: SlackEmulator;

beforeAll(async () => {
  graph = await startGraphEmulator({ accessToken: TOKEN, appSecret: SECRET, appId: APP_ID });
  slack = await startSlackEmulator({ channels: [{ id: 'C0INBOX001', name: 'inbox' }] });
});

afterAll(async () => {
  await graph.close();
  await slack.close();
});

beforeEach(() => {
  graph.reset();
  graph.setAppWebhook({ callbackUrl: `${PUBLIC}/webhooks/whatsapp` });
});

function config(overrides: Record<string, string | undefined> = {}) {
  return loadConfig(
    {
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL: 'C0INBOX001',
      WHATSAPP_ACCESS_TOKEN: TOKEN,
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify',
      WHATSAPP_API_URL: graph.url,
      PUBLIC_URL: PUBLIC,
      ...overrides,
    },
    [],
  );
}

/** The WhatsApp family's lines, as the doctor builds its Graph probe from the configuration. */
async function whatsAppLines(overrides: Record<string, string | undefined> = {}): Promise<string[]> {
  const c = config(overrides);
  const { apiUrl, apiVersion, accessToken, appSecret } = c.whatsapp;
  const probe = createGraphSetupProbe({ apiUrl, apiVersion, accessToken, appSecret, timeoutMs: 5_000 });
  const results: CheckResult[] = await checkWhatsApp(c, probe, NOW);
  const lines = results.map(formatCheckLine);
  for (const line of lines) expect(line).not.toContain(appSecret);
  return lines;
}

async function fieldsLine(overrides: Record<string, string | undefined> = {}): Promise<string> {
  const lines = await whatsAppLines(overrides);
  return lines.find((l) => l.slice(2).startsWith('WhatsApp webhook fields')) ?? `(no line in ${lines.join(' | ')})`;
}

describe('the WhatsApp webhook fields check', () => {
  it('passes when the app takes `messages` at PUBLIC_URL/webhooks/whatsapp, read with the app token', async () => {
    expect(await fieldsLine()).toBe(`✓ WhatsApp webhook fields: \`messages\` subscribed (v25.0 payloads), delivered to ${PUBLIC}/webhooks/whatsapp`);
    const read = graph.calls.find((c) => c.route === 'app_subscriptions');
    expect(read).toMatchObject({ method: 'GET', path: `/v25.0/${APP_ID}/subscriptions`, authorization: `Bearer ${APP_ID}|${SECRET}`, status: 200 });
    expect(read?.path).not.toContain('access_token');
  });

  it('passes any callback URL when PUBLIC_URL is unset (nothing to compare with)', async () => {
    graph.setAppWebhook({ callbackUrl: 'https://elsewhere.example.net/hook' });
    expect(await fieldsLine({ PUBLIC_URL: undefined })).toMatch(/^✓ WhatsApp webhook fields: `messages` subscribed .*elsewhere\.example\.net\/hook$/);
  });

  it('fails with the dashboard fix when `messages` is not subscribed', async () => {
    graph.setAppWebhook({ fields: ['message_template_status_update'] });
    expect(await fieldsLine()).toBe(
      '✗ WhatsApp webhook fields: `messages` is not subscribed (only message_template_status_update): no customer message will arrive' +
        ' → in the Meta app dashboard → WhatsApp → Configuration → Webhook fields, subscribe `messages`',
    );
    graph.setAppWebhook({ fields: [] });
    expect(await fieldsLine()).toMatch(/^✗ WhatsApp webhook fields: `messages` is not subscribed \(no field is\)/);
  });

  it('fails when the app has no WhatsApp webhook at all, or an inactive one', async () => {
    graph.setAppWebhook({ configured: false });
    expect(await fieldsLine()).toMatch(
      new RegExp(`^✗ WhatsApp webhook fields: app ${APP_ID} has no WhatsApp webhook: .* → .*set the Callback URL to ${PUBLIC}/webhooks/whatsapp and the verify token`),
    );
    graph.setAppWebhook({ configured: true, active: false });
    expect(await fieldsLine()).toMatch(/^✗ WhatsApp webhook fields: the webhook is not active → .*verify and save the Callback URL again/);
  });

  it('fails naming both URLs when Meta calls another address than PUBLIC_URL', async () => {
    graph.setAppWebhook({ callbackUrl: 'https://old-host.example.com/webhooks/whatsapp' });
    expect(await fieldsLine()).toBe(
      `✗ WhatsApp webhook fields: Meta sends webhooks to https://old-host.example.com/webhooks/whatsapp, not to PUBLIC_URL's ${PUBLIC}/webhooks/whatsapp` +
        ` → in the Meta app dashboard → WhatsApp → Configuration → Webhook, set the Callback URL to ${PUBLIC}/webhooks/whatsapp (or correct PUBLIC_URL)`,
    );
    graph.setAppWebhook({ callbackUrl: `${PUBLIC}/whatsapp/webhook`, fields: [] });
    const both = await fieldsLine();
    expect(both).toMatch(/^✗ .*`messages` is not subscribed .*; Meta sends webhooks to https:\/\/inbox\.example\.com\/whatsapp\/webhook, not to/);
    expect(both).toMatch(/→ .*subscribe `messages`; .*set the Callback URL to/);
  });

  it('treats a trailing slash or a query on the callback URL as the same endpoint', async () => {
    graph.setAppWebhook({ callbackUrl: `${PUBLIC.toUpperCase().replace('HTTPS', 'https')}/webhooks/whatsapp/?src=meta` });
    expect(await fieldsLine()).toMatch(/^✓ /);
  });

  it('warns, naming the secret as the likely cause, when Graph refuses the app token', async () => {
    const fields = await fieldsLine({ WHATSAPP_APP_SECRET: 'not-the-secret' });
    expect(fields).toMatch(
      new RegExp(`^! WhatsApp webhook fields: not read: Graph refused app ${APP_ID}'s subscriptions \\(190: Invalid OAuth access token signature\\.\\) → check that WHATSAPP_APP_SECRET is app ${APP_ID}'s`),
    );
    expect(fields).toContain('Webhook fields, check that `messages` is subscribed');
  });

  it('warns when Graph will not let the app read its subscriptions', async () => {
    graph.injectFault({ route: 'app_subscriptions', kind: 'graph_error', code: 200, httpStatus: 403, title: 'Permissions error' });
    expect(await fieldsLine()).toMatch(/^! WhatsApp webhook fields: not read: Graph refused app 300000000000003's subscriptions \(200: .*Permissions error\) → in the Meta app dashboard/);
  });

  it('warns when the app is unknown because token debug is not permitted', async () => {
    const refusing = await startGraphEmulator({ accessToken: TOKEN, appSecret: SECRET, debugTokenRefused: true });
    try {
      const line = await fieldsLine({ WHATSAPP_API_URL: refusing.url, WHATSAPP_NUMBER_CHANNELS: `${DEFAULT_BUSINESS_NUMBER.phoneNumberId}=C0INBOX001` });
      expect(line).toMatch(/^! WhatsApp webhook fields: not read: the Meta app is unknown \(Graph does not permit token debug/);
      expect(refusing.calls.some((c) => c.route === 'app_subscriptions')).toBe(false);
    } finally {
      await refusing.close();
    }
  });
});

describe('the start-up check', () => {
  it('logs a missing `messages` field as a warning with its fix, and never the secret', async () => {
    graph.setAppWebhook({ fields: ['account_update'] });
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const c = config();
    const results = await warnAboutSetup(
      { config: c, logger: createLogger({ level: 'info', destination }), clock: { now: () => NOW } },
      createDoctorProbes(c, { embeddedInUse: () => Promise.resolve(true), timeoutMs: 5_000 }),
    );
    expect(results.find((r) => r.name === 'WhatsApp webhook fields')).toMatchObject({ status: 'fail' });
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; check?: string });
    expect(logged).toContainEqual(
      expect.objectContaining({ check: 'WhatsApp webhook fields', msg: expect.stringMatching(/^setup: ✗ WhatsApp webhook fields: `messages` is not subscribed \(only account_update\)/) }),
    );
    expect(lines.join('')).not.toContain(SECRET);
  });
});
