import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ManualClock } from '../../src/clock';
import { type GraphEmulator, type GraphEmulatorOptions, startGraphEmulator } from '../../src/emulators/graph-emulator';

const TOKEN = 'emulator-token';
const SECRET = 'emulator-secret';
const NUMBER_ID = '100000000000001';
const ALICE = '15550002222';

interface Received {
  raw: string;
  signature: string | undefined;
  body: { entry: { changes: { value: Record<string, unknown> }[] }[] };
}

/** A stand-in for the app's webhook route: keeps each raw body and checks its signature. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const app = express();
  app.post('/webhooks/whatsapp', express.raw({ type: 'application/json' }), (req, res) => {
    const raw = (req.body as Buffer).toString('utf8');
    received.push({ raw, signature: req.header('x-hub-signature-256'), body: JSON.parse(raw) as Received['body'] });
    res.sendStatus(200);
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const valueOf = (r: Received | undefined) => r?.body.entry[0]?.changes[0]?.value ?? {};
const statusesOf = (received: Received[]) =>
  received.flatMap((r) => (valueOf(r)['statuses'] as Record<string, unknown>[] | undefined) ?? []);

let emulator: GraphEmulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

async function start(options: GraphEmulatorOptions = {}): Promise<void> {
  emulator = await startGraphEmulator({ accessToken: TOKEN, appSecret: SECRET, webhookUrl: receiver.url, ...options });
}

function post(path: string, body: unknown, token = TOKEN): Promise<Response> {
  return fetch(`${emulator.url}/v25.0/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const text = (body: string, extra: Record<string, unknown> = {}) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: `+${ALICE}`,
  type: 'text',
  text: { body },
  ...extra,
});

async function errorOf(res: Response): Promise<{ code: number; message: string; error_data?: { details?: string }; error_subcode?: number }> {
  return ((await res.json()) as { error: { code: number; message: string } }).error;
}

const JPEG = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(64, 2)]);

beforeEach(async () => {
  receiver = await startReceiver();
});

afterEach(async () => {
  await emulator?.close();
  await receiver.close();
});

describe('sending messages', () => {
  it('refuses a wrong access token with OAuth error 190', async () => {
    await start();
    const res = await post(`${NUMBER_ID}/messages`, text('hi'), 'wrong');
    expect(res.status).toBe(401);
    const error = await errorOf(res);
    expect(error).toMatchObject({ code: 190, type: 'OAuthException' });
    expect(error.message).toMatch(/^\(#190\)/);
    expect(emulator.sent).toHaveLength(0);
  });

  it('accepts a text send, answers like Graph and records it with its callback data and quote', async () => {
    await start();
    const res = await post(`${NUMBER_ID}/messages`, text('hello', { biz_opaque_callback_data: 'msg:7', context: { message_id: 'wamid.IN' } }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { contacts: unknown[]; messages: { id: string }[] };
    expect(body.contacts).toEqual([{ input: `+${ALICE}`, wa_id: ALICE }]);
    expect(body.messages[0]?.id).toMatch(/^wamid\./);
    expect(emulator.sent[0]).toMatchObject({
      wamid: body.messages[0]?.id,
      waId: ALICE,
      text: 'hello',
      callbackData: 'msg:7',
      contextMessageId: 'wamid.IN',
    });
    expect(emulator.calls[0]).toMatchObject({ route: 'messages', authorization: `Bearer ${TOKEN}`, status: 200 });
  });

  it('answers a BSUID-only send with the user id instead of a wa_id', async () => {
    await start();
    const res = await post(`${NUMBER_ID}/messages`, { messaging_product: 'whatsapp', recipient: 'US.123456', type: 'text', text: { body: 'hi' } });
    const body = (await res.json()) as { contacts: unknown[] };
    expect(body.contacts).toEqual([{ input: 'US.123456', user_id: 'US.123456' }]);
    expect(emulator.sent[0]).toMatchObject({ recipient: 'US.123456', userId: 'US.123456', waId: undefined });
  });

  it.each([
    ['a text over 4096 characters', text('x'.repeat(4097)), /4096/],
    ['a missing messaging_product', { ...text('hi'), messaging_product: undefined }, /messaging_product/],
    ['an unknown type', { ...text('hi'), type: 'poll' }, /type must be one of/],
    ['a missing recipient', { ...text('hi'), to: undefined }, /to is required/],
    ['a caption over 1024 characters', { ...text(''), type: 'image', image: { link: 'https://x.test/a.png', caption: 'c'.repeat(1025) } }, /1024/],
    ['an unknown media id', { ...text(''), type: 'image', image: { id: '999' } }, /not a valid whatsapp business account media/],
    ['callback data over 512 bytes', text('hi', { biz_opaque_callback_data: 'é'.repeat(257) }), /512 bytes/],
    ['a quoted reaction', { ...text(''), type: 'reaction', reaction: { message_id: 'wamid.A', emoji: '👍' }, context: { message_id: 'wamid.A' } }, /reaction/],
  ])('rejects %s with code 100 and details', async (_name, body, details) => {
    await start();
    const res = await post(`${NUMBER_ID}/messages`, body);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe(100);
    expect(error.error_data?.details).toMatch(details);
    expect(emulator.stats.messagesRejected).toBe(1);
  });

  it('refuses a template whose header image id was never uploaded (100, naming the parameter), and takes one that was', async () => {
    await start();
    const saleWith = (id: string) => ({
      ...text(''),
      type: 'template',
      template: {
        name: 'spring_sale',
        language: { code: 'en_US' },
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { id } }] },
          { type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: '20%' }] },
        ],
      },
    });

    const refused = await post(`${NUMBER_ID}/messages`, saleWith('424242'));
    expect(refused.status).toBe(400);
    const error = await errorOf(refused);
    expect(error.code).toBe(100);
    expect(error.error_data?.details).toBe(
      "Param template['components'][0]['parameters'][0]['image']['id'] is not a valid whatsapp business account media attachment ID.",
    );
    expect(emulator.sent).toEqual([]);

    const uploaded = emulator.addMedia({ data: Buffer.from([0xff, 0xd8, 0xff, 0xe0]), mimeType: 'image/jpeg' });
    expect((await post(`${NUMBER_ID}/messages`, saleWith(uploaded))).status).toBe(200);
    expect(emulator.sent).toHaveLength(1);
  });

  it('refuses an unknown phone number id like Graph (100, subcode 33)', async () => {
    await start();
    const error = await errorOf(await post('999/messages', text('hi')));
    expect(error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('accepts mark-as-read without a recipient', async () => {
    await start();
    const res = await post(`${NUMBER_ID}/messages`, { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN' });
    expect(await res.json()).toEqual({ success: true });
    expect(emulator.reads[0]).toMatchObject({ messageId: 'wamid.IN', typingIndicator: false });
  });
});

describe('the 24-hour window', () => {
  it('fails free-form sends with 131047 once closed, lets templates through, and reopens when the customer writes', async () => {
    await start();
    emulator.closeWindow(ALICE);
    const closed = await post(`${NUMBER_ID}/messages`, text('hi'));
    expect(closed.status).toBe(400);
    expect((await errorOf(closed)).code).toBe(131047);
    const template = await post(`${NUMBER_ID}/messages`, {
      ...text(''),
      type: 'template',
      template: { name: 'follow_up', language: { code: 'en_US' } },
    });
    expect(template.status).toBe(200);
    await emulator.customerSends({ from: ALICE, text: 'back again' });
    expect((await post(`${NUMBER_ID}/messages`, text('hi'))).status).toBe(200);
    expect(emulator.stats.windowClosed).toBe(1);
  });

  it('closes the window for a customer named by BSUID whichever id the send uses', async () => {
    await start();
    await emulator.customerSends({ from: ALICE, userId: 'US.42' });
    emulator.closeWindow('US.42');
    expect((await errorOf(await post(`${NUMBER_ID}/messages`, text('hi')))).code).toBe(131047);
  });

  it('in async mode accepts the send and then posts a signed failed status with 131047', async () => {
    await start({ windowFailureMode: 'async', autoStatuses: ['sent', 'delivered'] });
    emulator.closeWindow(ALICE);
    const res = await post(`${NUMBER_ID}/messages`, text('hi', { biz_opaque_callback_data: 'msg:9' }));
    expect(res.status).toBe(200);
    await emulator.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery?.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(delivery?.raw ?? '').digest('hex')}`);
    const value = valueOf(delivery);
    expect(value).not.toHaveProperty('contacts');
    expect(statusesOf(receiver.received)[0]).toMatchObject({
      status: 'failed',
      recipient_id: ALICE,
      biz_opaque_callback_data: 'msg:9',
      errors: [expect.objectContaining({ code: 131047 })],
    });
  });
});

describe('send limits', () => {
  it('answers 131056 past the per-recipient burst and counts it, while other customers still get through', async () => {
    const clock = new ManualClock();
    await start({ clock, limits: { perRecipient: { per6s: 1, burst: 2 } } });
    const codes: number[] = [];
    for (let i = 0; i < 3; i += 1) codes.push((await post(`${NUMBER_ID}/messages`, text(`m${i}`))).status);
    expect(codes).toEqual([200, 200, 400]);
    expect((await post(`${NUMBER_ID}/messages`, { ...text('other'), to: '+15550003333' })).status).toBe(200);
    clock.advance(6000);
    expect((await post(`${NUMBER_ID}/messages`, text('later'))).status).toBe(200);
    expect(emulator.stats.pairLimited).toBe(1);
  });

  it('answers 130429 past the per-number throughput', async () => {
    const clock = new ManualClock();
    await start({ clock, limits: { perNumberPerSecond: 2 } });
    await post(`${NUMBER_ID}/messages`, text('1'));
    await post(`${NUMBER_ID}/messages`, { ...text('2'), to: '+15550003333' });
    const third = await post(`${NUMBER_ID}/messages`, { ...text('3'), to: '+15550004444' });
    expect((await errorOf(third)).code).toBe(130429);
    expect(emulator.stats.throughputLimited).toBe(1);
  });
});

describe('status webhooks', () => {
  it('posts sent, delivered and read in order, signed, with callback data, pricing on sent and the contacts block', async () => {
    await start({ autoStatuses: ['sent', 'delivered', 'read'], statusDelayMs: 1 });
    const res = await post(`${NUMBER_ID}/messages`, text('hi', { biz_opaque_callback_data: 'msg:1' }));
    const wamid = ((await res.json()) as { messages: { id: string }[] }).messages[0]?.id;
    await emulator.flushWebhooks();
    const statuses = statusesOf(receiver.received);
    expect(statuses.map((s) => s['status'])).toEqual(['sent', 'delivered', 'read']);
    expect(statuses.every((s) => s['id'] === wamid && s['biz_opaque_callback_data'] === 'msg:1')).toBe(true);
    expect(statuses[0]?.['pricing']).toMatchObject({ pricing_model: 'PMP' });
    expect(statuses[1]).not.toHaveProperty('pricing');
    expect(statuses[0]).toMatchObject({ recipient_id: ALICE, recipient_user_id: expect.stringMatching(/^US\./) });
    expect(valueOf(receiver.received[0])['contacts']).toEqual([{ wa_id: ALICE, user_id: statuses[0]?.['recipient_user_id'] }]);
    for (const r of receiver.received) {
      expect(r.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(r.raw).digest('hex')}`);
    }
    expect(emulator.stats.webhooksPosted).toBe(3);
  });

  it('gives a reaction only a sent status', async () => {
    await start({ autoStatuses: ['sent', 'delivered', 'read'], statusDelayMs: 1 });
    await post(`${NUMBER_ID}/messages`, { ...text(''), type: 'reaction', reaction: { message_id: 'wamid.IN', emoji: '👍' } });
    await emulator.flushWebhooks();
    expect(statusesOf(receiver.received).map((s) => s['status'])).toEqual(['sent']);
  });

  it('posts a status by hand with errors', async () => {
    await start();
    const res = await post(`${NUMBER_ID}/messages`, text('hi', { biz_opaque_callback_data: 'msg:3' }));
    const wamid = ((await res.json()) as { messages: { id: string }[] }).messages[0]?.id ?? '';
    const posted = await emulator.sendStatus({ wamid, status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable' }] });
    expect(posted.status).toBe(200);
    expect(statusesOf(receiver.received)[0]).toMatchObject({ id: wamid, status: 'failed', biz_opaque_callback_data: 'msg:3' });
  });
});

describe('customer messages', () => {
  it('posts a signed text webhook with wa_id, BSUID, profile and quote', async () => {
    await start();
    const result = await emulator.customerSends({ from: ALICE, name: 'Alice', text: 'Grüße / hi', contextId: 'wamid.OUT' });
    expect(result.status).toBe(200);
    const [delivery] = receiver.received;
    expect(delivery?.raw).toContain(String.raw`Gr\u00fc\u00dfe \/ hi`);
    expect(delivery?.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(delivery?.raw ?? '').digest('hex')}`);
    const value = valueOf(delivery) as { contacts: Record<string, unknown>[]; messages: Record<string, unknown>[] };
    expect(value.contacts[0]).toMatchObject({ wa_id: ALICE, profile: { name: 'Alice' }, user_id: expect.stringMatching(/^US\./) });
    expect(value.messages[0]).toMatchObject({
      id: result.wamid,
      from: ALICE,
      type: 'text',
      text: { body: 'Grüße / hi' },
      context: { from: '15550001111', id: 'wamid.OUT' },
    });
  });

  it('sends a username user with no phone number', async () => {
    await start();
    await emulator.customerSends({ userId: 'US.7300000000000000003', username: 'carol', text: 'hey' });
    const value = valueOf(receiver.received[0]) as { contacts: Record<string, unknown>[]; messages: Record<string, unknown>[] };
    expect(value.contacts[0]).not.toHaveProperty('wa_id');
    expect(value.messages[0]).not.toHaveProperty('from');
    expect(value.messages[0]).toMatchObject({ from_user_id: 'US.7300000000000000003' });
  });

  it('fills in the envelope around a raw message object', async () => {
    await start();
    const mediaId = emulator.addMedia({ data: JPEG, mimeType: 'image/jpeg' });
    await emulator.customerSends({ from: ALICE, message: { type: 'image', image: { id: mediaId, mime_type: 'image/jpeg' } } });
    const message = (valueOf(receiver.received[0])['messages'] as Record<string, unknown>[])[0];
    expect(message).toMatchObject({ from: ALICE, type: 'image', image: { id: mediaId }, id: expect.stringMatching(/^wamid\./) });
  });
});
