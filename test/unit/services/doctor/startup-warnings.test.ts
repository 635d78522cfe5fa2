import { Writable } from 'node:stream';
import { loadConfig } from '../../../../src/config';
import { createLogger } from '../../../../src/logger';
import type { DoctorProbes } from '../../../../src/services/doctor/run-checks';
import { warnAboutSetup } from '../../../../src/services/doctor/startup-warnings';
import { MANIFEST_BOT_SCOPES } from '../../../../src/services/doctor/manifest-scopes';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

const config = loadConfig(
  {
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_APP_TOKEN: 'xapp-1',
    WHATSAPP_ACCESS_TOKEN: 't',
    WHATSAPP_APP_SECRET: 'a',
    WHATSAPP_VERIFY_TOKEN: 'v',
    SLACK_CHANNEL: 'C0INBOX',
    WHATSAPP_NUMBER_CHANNELS: '100000000000001=C0SALES',
    DATABASE_URL: 'postgres://db/threadline',
  },
  [],
);

function probes(overrides: { notMember?: string; socketCalls?: string[]; webhookFields?: string[] } = {}): DoctorProbes {
  return {
    slack: {
      authTest: () => Promise.resolve({ kind: 'ok', value: { team: 'acme', botUser: 'threadline', botUserId: 'U0BOT', scopes: [...MANIFEST_BOT_SCOPES] } }),
      channelInfo: (channel) => Promise.resolve({ kind: 'ok', value: { name: channel.toLowerCase(), isMember: channel !== overrides.notMember, isPrivate: false } }),
      openSocketUrl: (token) => {
        overrides.socketCalls?.push(token);
        return Promise.resolve({ kind: 'ok', value: { url: 'wss://x' } });
      },
    },
    graph: {
      debugToken: () => Promise.resolve({ kind: 'ok', value: { isValid: true, appId: '3', expiresAt: 0, scopes: ['whatsapp_business_messaging'], wabaIds: ['2'] } }),
      phoneNumber: () => Promise.resolve({ kind: 'ok', value: { displayPhoneNumber: '+1 555', verifiedName: undefined, qualityRating: 'GREEN', messagingLimitTier: undefined } }),
      subscribedApps: () => Promise.resolve({ kind: 'ok', value: ['3'] }),
      appSubscriptions: () =>
        Promise.resolve({
          kind: 'ok',
          value: [
            {
              object: 'whatsapp_business_account',
              callbackUrl: 'https://inbox.example.com/webhooks/whatsapp',
              active: true,
              fields: (overrides.webhookFields ?? ['messages']).map((name) => ({ name, version: 'v25.0' })),
            },
          ],
        }),
    },
    storage: {
      database: () => Promise.resolve({ kind: 'ok', value: { applied: 2, expected: 2 } }),
      redis: () => Promise.resolve({ kind: 'ok', value: undefined }),
      freeBytes: () => Promise.resolve({ kind: 'ok', value: 1e12 }),
    },
    health: () => Promise.resolve({ kind: 'ok', status: 200, body: '{"ok":true}' }),
  };
}

const clock = { now: () => new Date('2026-12-06T12:00:00Z') };

describe('the setup check at start-up', () => {
  it('logs each failing check as a warning with its fix, and nothing for a good setup', async () => {
    const bad = capture();
    await warnAboutSetup({ config, logger: bad.logger, clock }, probes({ notMember: 'C0SALES' }));
    const messages = bad.lines.map((l) => (JSON.parse(l) as { msg: string; level: number }));
    expect(messages.every((m) => m.level === 40)).toBe(true);
    expect(messages.map((m) => m.msg)).toEqual([
      'setup: ✗ channel C0SALES (WHATSAPP_NUMBER_CHANNELS): @threadline is not a member of #c0sales → run /invite @threadline in #c0sales',
      expect.stringContaining('npm run doctor'),
    ]);

    const good = capture();
    await warnAboutSetup({ config, logger: good.logger, clock }, probes());
    expect(good.lines).toEqual([]);
  });

  it('warns at start-up when the app does not take the messages webhook field', async () => {
    const log = capture();
    await warnAboutSetup({ config, logger: log.logger, clock }, probes({ webhookFields: ['message_template_status_update'] }));
    const messages = log.lines.map((l) => (JSON.parse(l) as { msg: string; check?: string }));
    expect(messages[0]).toMatchObject({
      check: 'WhatsApp webhook fields',
      msg: expect.stringMatching(/^setup: ✗ WhatsApp webhook fields: `messages` is not subscribed \(only message_template_status_update\).* → .*Webhook fields, subscribe `messages`$/),
    });
  });

  it('does not open a second Socket Mode connection: start-up just opened one', async () => {
    const socketCalls: string[] = [];
    const results = await warnAboutSetup({ config, logger: capture().logger, clock }, probes({ socketCalls }));
    expect(socketCalls).toEqual([]);
    expect(results.map((r) => r.name)).not.toContain('Slack app token');
  });
});
