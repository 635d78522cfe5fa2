import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig, SANDBOX_CHANNEL } from '../../src/config';
import { createPlayground } from '../../src/playground/playground';
import type { PlaygroundState } from '../../src/playground/state-types';
import { SandboxClock } from '../../src/sandbox/sandbox-clock';
import { DIGEST_CHANNEL } from '../../src/sandbox/sandbox-world';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox';
import { startHarness } from '../helpers/harness';
import { waitFor } from '../helpers/wait';

/**
 * The sandbox as `npm start` runs it with no credentials: local only, on its own database, loud about what it is,
 * its curl helpers and the playground's API working; and none of it served when credentials are set (issue 8 #4).
 */

const MIN = 60_000;
/** Nothing listens here: a sandbox that used these would fail to start. */
const UNREACHABLE = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/production', REDIS_URL: 'redis://127.0.0.1:1' };

async function api(sandbox: Sandbox, method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sandbox.url.replace(/\/$/, '')}${route}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const state = async (sandbox: Sandbox) => (await api(sandbox, 'GET', '/playground/api/state')).json as unknown as PlaygroundState;

describe('the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...UNREACHABLE }, []));
    // A fresh in-memory PGlite is migrated at start: seconds alone, far longer on a machine shared by several runs.
  }, 60_000);
  afterAll(async () => {
    await sandbox.running.stop(2_000);
    await sandbox.close();
  });

  it('binds 127.0.0.1 only, on its own embedded database, ignoring DATABASE_URL and REDIS_URL, and says so loudly', () => {
    expect((sandbox.running.server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(sandbox.running.deps.database.kind).toBe('pglite');
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(sandbox.banner).toContain('SANDBOX MODE: not connected to Slack or WhatsApp');
    expect(sandbox.banner).toContain(`Open the playground:  ${sandbox.url}`);
    expect(sandbox.banner).toContain('DATABASE_URL and REDIS_URL are set but not used');
    expect(sandbox.banner.match(/https?:\/\//g)).toHaveLength(1);
  });

  it('keeps the curl helpers: a customer writes, an agent replies, /sandbox/state shows both sides', async () => {
    expect((await api(sandbox, 'POST', '/sandbox/customer', { text: 'Hi, where is my order?' })).json).toMatchObject({ ok: true });
    await waitFor('the card and the customer post', () => sandbox.slack.messages(SANDBOX_CHANNEL).length >= 2);
    expect((await api(sandbox, 'POST', '/sandbox/agent', { text: 'On its way!' })).json).toMatchObject({ ok: true });
    await waitFor('the reply on WhatsApp', () => sandbox.graph.sent.find((s) => s.text === 'On its way!'));
    const seen = (await api(sandbox, 'GET', '/sandbox/state')).json as { slack: { text: string }[]; whatsappSent: { text?: string }[] };
    expect(seen.slack.map((m) => m.text)).toEqual(expect.arrayContaining(['Hi, where is my order?', 'On its way!']));
    expect(seen.whatsappSent.map((s) => s.text)).toContain('On its way!');
  });

  it('lets a customer edit and delete their messages, with curl and on the phone, and Slack shows both', async () => {
    const from = '15550008881';
    const sent = (await api(sandbox, 'POST', '/sandbox/customer', { from, name: 'Eda', text: 'two boxes please' })).json as { wamid: string };
    const post = await waitFor('the customer post', () => sandbox.slack.messages(SANDBOX_CHANNEL).find((m) => m.text === 'two boxes please'));
    expect((await api(sandbox, 'POST', '/sandbox/customer/edit', { from, name: 'Eda', wamid: sent.wamid, text: 'three boxes please' })).json).toMatchObject({ ok: true });
    await waitFor('the edited post', () => sandbox.slack.message(SANDBOX_CHANNEL, post.ts)?.text.includes('three boxes please'));
    expect(sandbox.slack.message(SANDBOX_CHANNEL, post.ts)?.text).toContain('was: two boxes please');
    expect((await api(sandbox, 'POST', '/sandbox/customer/delete', { from, name: 'Eda' })).status).toBe(400);

    const line = (await state(sandbox)).lines[0]!;
    const deleted = await api(sandbox, 'POST', '/playground/api/customer', { waId: from, name: 'Eda', phoneNumberId: line.phoneNumberId, message: { kind: 'revoke', messageId: sent.wamid } });
    expect(deleted.json).toMatchObject({ ok: true });
    await waitFor('the deleted mark', () => sandbox.slack.message(SANDBOX_CHANNEL, post.ts)?.text.includes('Deleted by the customer'));
    const phone = (await state(sandbox)).phone.find((c) => c.waId === from);
    expect(phone?.messages.find((m) => m.id === sent.wamid)).toMatchObject({ edited: true, deleted: true });
    expect(phone?.messages.some((m) => m.type === 'edit' || m.type === 'revoke')).toBe(false);
  });

  it("lets an agent edit their own message through the page: Slack's message_changed reaches threadline", async () => {
    const reply = sandbox.slack.messages(SANDBOX_CHANNEL).find((m) => m.text === 'On its way!');
    const answer = await api(sandbox, 'POST', '/playground/api/slack', { kind: 'edit', user: 'U0ANA', channel: SANDBOX_CHANNEL, ts: reply?.ts, text: 'On its way, arriving Friday!' });
    expect(answer.json).toMatchObject({ ok: true, status: 200 });
    expect(sandbox.slack.message(SANDBOX_CHANNEL, reply?.ts ?? '')?.text).toBe('On its way, arriving Friday!');
    const edited = await api(sandbox, 'POST', '/playground/api/slack', { kind: 'edit', user: 'U0BRUNO', channel: SANDBOX_CHANNEL, ts: reply?.ts, text: 'mine now' });
    expect(edited.status).toBe(409);
  });

  it('answers a curl helper that names nobody with a 400 that says why, not a 500', async () => {
    const answer = await api(sandbox, 'POST', '/sandbox/agent', { user: 'U0NOBODY', text: 'hi' });
    expect(answer.status).toBe(400);
    expect(String(answer.json.error)).toContain('unknown user U0NOBODY');
  });

  it("shows the phone's chat with ticks and the team with their roles", async () => {
    const s = await waitFor('the reply read on the phone', async () => {
      const now = await state(sandbox);
      const reply = now.phone.flatMap((c) => c.messages).find((m) => m.text === 'On its way!');
      return reply?.tick === 'read' ? now : undefined;
    });
    expect(s.personas.map((p) => `${p.name}:${p.role}`)).toEqual(['ana:agent', 'bruno:agent', 'carla:agent', 'maya:manager', 'sam:admin']);
    expect(s.slack.commands.map((c) => c.command)).toEqual(['/queue', '/handoff', '/shift', '/threadline']);
  });

  it('made Maya a manager through /threadline, so her /queue digest posts the digest now', async () => {
    const before = sandbox.slack.messages(DIGEST_CHANNEL).length;
    const answer = await api(sandbox, 'POST', '/playground/api/slack', { kind: 'command', user: 'U0MAYA', channel: SANDBOX_CHANNEL, command: '/queue', text: 'digest' });
    expect(answer.json).toMatchObject({ ok: true, status: 200 });
    await waitFor('the digest in #support-leads', () => sandbox.slack.messages(DIGEST_CHANNEL).length > before);
  });

  it("escapes @names in commands the way Slack does, so /handoff @bruno reaches threadline as Bruno's mention", async () => {
    await api(sandbox, 'POST', '/playground/api/slack', { kind: 'command', user: 'U0ANA', channel: SANDBOX_CHANNEL, command: '/handoff', text: '@bruno' });
    const delivery = sandbox.slack.deliveries.filter((d) => d.kind === 'command').at(-1);
    expect(new URLSearchParams(delivery?.body ?? '').get('text')).toBe('<@U0BRUNO|bruno>');
  });

  it('moves threadline and both emulators forward together on the clock control, and never back', async () => {
    const before = sandbox.running.deps.clock.now().getTime();
    expect((await api(sandbox, 'POST', '/playground/api/clock', { advanceMinutes: 30 })).json).toMatchObject({ ok: true });
    expect(sandbox.running.deps.clock.now().getTime() - before).toBeGreaterThanOrEqual(30 * MIN);
    expect((await state(sandbox)).aheadMs).toBeGreaterThanOrEqual(30 * MIN);
    const sent = await sandbox.graph.customerSends({ from: '15550007777', text: 'later' });
    const delivery = sandbox.graph.webhookDeliveries.find((d) => JSON.stringify(d.payload).includes(sent.wamid));
    const stamped = /"timestamp":"(\d+)"/.exec(JSON.stringify(delivery?.payload))?.[1];
    expect(Number(stamped) * 1000).toBeGreaterThanOrEqual(before + 30 * MIN - 1000);
    expect((await api(sandbox, 'POST', '/playground/api/clock', { advanceMinutes: -5 })).status).toBe(400);
  });

  it('injects the faults the page asks for, lists them, and clears them', async () => {
    await api(sandbox, 'POST', '/playground/api/faults', { target: 'whatsapp', code: 131026, times: 2 });
    await api(sandbox, 'POST', '/playground/api/faults', { target: 'slack', method: 'chat.postMessage', kind: 'http_429', retryAfterSec: 1 });
    expect((await state(sandbox)).faults).toEqual([
      { target: 'slack', description: 'chat.postMessage answers 429 (Retry-After 1 s)', remaining: 1 },
      { target: 'whatsapp', description: 'sends fail with 131026 (Message undeliverable)', remaining: 2 },
    ]);
    await api(sandbox, 'POST', '/playground/api/faults', { target: 'clear' });
    expect((await state(sandbox)).faults).toEqual([]);
  });

  it('refuses malformed actions with a 400 naming the field, and what an emulator refuses with a 409', async () => {
    const bad = await api(sandbox, 'POST', '/playground/api/customer', { waId: 'not-a-number', name: 'X', phoneNumberId: '1', message: { kind: 'text', text: 'hi' } });
    expect(bad.status).toBe(400);
    expect(String(bad.json.error)).toContain('waId');
    expect((await api(sandbox, 'POST', '/playground/api/slack', { kind: 'launch_rockets' })).status).toBe(400);
    const refused = await api(sandbox, 'POST', '/playground/api/slack', { kind: 'click', user: 'U0ANA', channel: SANDBOX_CHANNEL, messageTs: '1.000000', actionId: 'x' });
    expect(refused.status).toBe(409);
  });

  it('streams the state to the page and again when something happens', async () => {
    const res = await fetch(`${sandbox.url}playground/api/events`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const readUntil = async (count: number) => {
      while ((received.match(/event: state/g) ?? []).length < count) received += decoder.decode((await reader.read()).value);
    };
    await readUntil(1);
    await sandbox.graph.customerSends({ from: '15550008888', name: 'Streamy', text: 'live?' });
    await readUntil(2);
    expect(received).toContain('Streamy');
    await reader.cancel();
  });
});

describe('the playground is never served with real credentials', () => {
  it('answers 404 on the page, its API and the curl helpers when threadline runs against real platforms', async () => {
    const h = await startHarness();
    try {
      expect((h.app.server.address() as AddressInfo).address).toBe('0.0.0.0');
      for (const route of ['/', '/playground/api/state', '/playground/js/app.js', '/sandbox/state']) {
        expect({ route, status: (await fetch(`${h.app.url}${route}`)).status }).toEqual({ route, status: 404 });
      }
      const faults = await fetch(`${h.app.url}/playground/api/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"target":"clear"}' });
      expect(faults.status).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('refuses to be created for a configuration with credentials', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', WHATSAPP_ACCESS_TOKEN: 't', WHATSAPP_APP_SECRET: 'a', WHATSAPP_VERIFY_TOKEN: 'v', SLACK_CHANNEL: 'C0LIVE0001' }, []);
    expect(() => createPlayground({ config, clock: new SandboxClock(), personas: [], lines: [], slack: undefined as never, graph: undefined as never })).toThrow(/never be mounted with real credentials/);
  });
});

describe('npm start with a half-filled .env', () => {
  it('refuses to start and says in one message what is missing, instead of starting a sandbox', async () => {
    const root = path.resolve(__dirname, '../..');
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/index.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, SLACK_CHANNEL: 'C0LIVE0001', PORT: '0' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('threadline cannot start');
    expect(output).toContain('SLACK_BOT_TOKEN');
    expect(output).toContain('SLACK_CHANNEL given');
    expect(output).not.toContain('SANDBOX MODE');
  }, 30_000);
});
