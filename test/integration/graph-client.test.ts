import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { type GraphEmulator, startGraphEmulator } from '../../src/emulators/graph-emulator';
import { createLogger } from '../../src/logger';
import { GraphApiError, type WhatsAppGateway } from '../../src/whatsapp/gateway';
import { createGraphClient } from '../../src/whatsapp/graph-client';
import { LOCAL_FAILURE_CODES } from '../../src/whatsapp/local-failures';

const TOKEN = 'client-test-token';
const SECRET = 'client-test-secret';
const NUMBER_ID = '100000000000001';
const ALICE = '15550002222';

let emulator: GraphEmulator;
let logLines: string[];

function clientFor(apiUrl: string, timeoutMs = 2000): WhatsAppGateway {
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  return createGraphClient({ apiUrl, apiVersion: 'v25.0', accessToken: TOKEN, logger: createLogger({ level: 'debug', destination }), timeoutMs });
}

const sendText = (client: WhatsAppGateway, extra: Partial<Parameters<WhatsAppGateway['sendMessage']>[0]> = {}) =>
  client.sendMessage({ phoneNumberId: NUMBER_ID, to: { waId: ALICE }, content: { type: 'text', text: 'hello' }, ...extra });

async function failureOf(promise: Promise<unknown>): Promise<GraphApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GraphApiError)) throw new Error(`expected a GraphApiError, got ${String(err)}`);
  return err;
}

beforeEach(async () => {
  logLines = [];
  emulator = await startGraphEmulator({ accessToken: TOKEN, appSecret: SECRET, apiVersion: 'v25.0' });
});

afterEach(async () => {
  await emulator.close();
});

describe('sendMessage', () => {
  it('posts Graph’s JSON with the bearer token, a +-prefixed number, the quote and the callback data', async () => {
    const client = clientFor(emulator.url);
    const { waMessageId } = await sendText(client, { replyTo: 'wamid.IN', callbackData: 'msg:17' });
    const call = emulator.calls[0];
    expect(call).toMatchObject({ method: 'POST', path: `/v25.0/${NUMBER_ID}/messages`, authorization: `Bearer ${TOKEN}` });
    expect(call?.contentType).toMatch(/^application\/json/);
    expect(call?.json).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: `+${ALICE}`,
      type: 'text',
      text: { body: 'hello' },
      context: { message_id: 'wamid.IN' },
      biz_opaque_callback_data: 'msg:17',
    });
    expect(emulator.sent[0]?.wamid).toBe(waMessageId);
  });

  it('addresses a customer known only by BSUID through `recipient`', async () => {
    await clientFor(emulator.url).sendMessage({ phoneNumberId: NUMBER_ID, to: { userId: 'US.99' }, content: { type: 'text', text: 'hi' } });
    expect(emulator.calls[0]?.json).toMatchObject({ recipient: 'US.99' });
    expect(emulator.calls[0]?.json).not.toHaveProperty('to');
  });

  it('sends media by id with caption and filename, and reactions', async () => {
    const client = clientFor(emulator.url);
    const mediaId = emulator.addMedia({ data: Buffer.from('%PDF-1.4 test'), mimeType: 'application/pdf' });
    await client.sendMessage({
      phoneNumberId: NUMBER_ID,
      to: { waId: ALICE },
      content: { type: 'document', mediaId, filename: 'invoice.pdf', caption: 'Your invoice' },
    });
    await client.sendMessage({ phoneNumberId: NUMBER_ID, to: { waId: ALICE }, content: { type: 'reaction', messageId: 'wamid.IN', emoji: '👍' } });
    expect(emulator.sent.map((s) => s.content)).toEqual([
      { id: mediaId, filename: 'invoice.pdf', caption: 'Your invoice' },
      { message_id: 'wamid.IN', emoji: '👍' },
    ]);
  });

  it('never logs the access token and masks the phone number', async () => {
    await sendText(clientFor(emulator.url));
    const log = logLines.join('');
    expect(log).toContain('WhatsApp message accepted');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(ALICE);
  });
});

describe('sendMessage failures', () => {
  it('reports a closed 24-hour window (131047) as permanent with Meta’s details', async () => {
    emulator.closeWindow(ALICE);
    const err = await failureOf(sendText(clientFor(emulator.url)));
    expect(err).toMatchObject({ kind: 'permanent', code: 131047, title: 'Re-engagement message', httpStatus: 400 });
    expect(err.details).toMatch(/24 hours/);
  });

  it.each([
    [130429, 429, 'throttled'],
    [131056, 400, 'throttled'],
    [131000, 500, 'transient'],
    [131026, 400, 'permanent'],
  ] as const)('classifies Graph error %i (HTTP %i) as %s', async (code, httpStatus, kind) => {
    emulator.injectFault({ route: 'messages', kind: 'graph_error', code, httpStatus, title: 'Injected', details: 'details here' });
    const err = await failureOf(sendText(clientFor(emulator.url)));
    expect(err).toMatchObject({ kind, code, httpStatus, details: 'details here' });
  });

  it('hits the real pair limit as throttled 131056', async () => {
    await emulator.close();
    emulator = await startGraphEmulator({ accessToken: TOKEN, limits: { perRecipient: { per6s: 1, burst: 1 } } });
    const client = clientFor(emulator.url);
    await sendText(client);
    expect(await failureOf(sendText(client))).toMatchObject({ kind: 'throttled', code: 131056 });
  });

  it('reports an expired or wrong token (190) as permanent', async () => {
    const client = createGraphClient({
      apiUrl: emulator.url,
      apiVersion: 'v25.0',
      accessToken: 'expired',
      logger: createLogger({ level: 'silent' }),
    });
    expect(await failureOf(sendText(client))).toMatchObject({ kind: 'permanent', code: 190, httpStatus: 401 });
  });

  it('reports a non-JSON 500 as uncertain: the send may have happened', async () => {
    emulator.injectFault({ route: 'messages', kind: 'http_500' });
    expect(await failureOf(sendText(clientFor(emulator.url)))).toMatchObject({ kind: 'uncertain', code: LOCAL_FAILURE_CODES.graph_unreadable_answer, httpStatus: 500 });
  });

  it('reports a timeout after the send took effect as uncertain, and the send did happen', async () => {
    emulator.injectFault({ route: 'messages', kind: 'timeout', delayMs: 60_000, afterEffect: true });
    const err = await failureOf(sendText(clientFor(emulator.url, 150)));
    expect(err).toMatchObject({ kind: 'uncertain', code: LOCAL_FAILURE_CODES.graph_timeout });
    expect(emulator.sent).toHaveLength(1);
  });

  it('reports a dropped connection during a send as uncertain', async () => {
    emulator.injectFault({ route: 'messages', kind: 'reset', afterEffect: true });
    expect(await failureOf(sendText(clientFor(emulator.url)))).toMatchObject({ kind: 'uncertain' });
  });

  it('reports a refused connection as transient: nothing was sent', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe: Server = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const err = await failureOf(sendText(clientFor(`http://127.0.0.1:${closedPort}`)));
    expect(err).toMatchObject({ kind: 'transient', code: LOCAL_FAILURE_CODES.graph_unreachable });
    expect(err.title).toMatch(/ECONNREFUSED/);
  });

  it('refuses to send without any recipient id', async () => {
    const err = await failureOf(clientFor(emulator.url).sendMessage({ phoneNumberId: NUMBER_ID, to: {}, content: { type: 'text', text: 'x' } }));
    expect(err.kind).toBe('permanent');
    expect(emulator.calls).toHaveLength(0);
  });
});

describe('media', () => {
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2048, 7)]);

  it('uploads, describes and downloads media with the same bytes, with the token and its own User-Agent', async () => {
    const client = clientFor(emulator.url);
    const { mediaId } = await client.uploadMedia({ phoneNumberId: NUMBER_ID, data: png, mimeType: 'image/png', filename: 'pic.png' });
    expect(emulator.findMedia(mediaId)?.filename).toBe('pic.png');
    const info = await client.getMedia(mediaId);
    expect(info).toMatchObject({ mimeType: 'image/png', fileSize: png.length });
    const bytes = await client.downloadMedia(info.url, 10_000);
    expect(bytes.equals(png)).toBe(true);
    const download = emulator.calls.find((c) => c.route === 'media_download');
    expect(download?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(download?.userAgent).toMatch(/^threadline\//);
  });

  it('reports rejected media (131053) as permanent', async () => {
    const err = await failureOf(
      clientFor(emulator.url).uploadMedia({ phoneNumberId: NUMBER_ID, data: Buffer.from('GIF89a'), mimeType: 'image/gif', filename: 'a.gif' }),
    );
    expect(err).toMatchObject({ kind: 'permanent', code: 131053 });
  });

  it('refuses a download past maxBytes as too_large', async () => {
    const client = clientFor(emulator.url);
    const info = await client.getMedia(emulator.addMedia({ data: png, mimeType: 'image/png' }));
    expect(await failureOf(client.downloadMedia(info.url, 1000))).toMatchObject({ kind: 'too_large', code: 131052 });
  });

  it('stops reading a download without content-length once it passes maxBytes', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png', 'transfer-encoding': 'chunked' });
      res.write(Buffer.alloc(800));
      res.end(Buffer.alloc(800));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await failureOf(clientFor(base).downloadMedia(`${base}/file`, 1000))).toMatchObject({ kind: 'too_large' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  describe('the access token goes only to Meta’s media hosts (or WHATSAPP_API_URL), never along a redirect', () => {
    let server: Server;
    let base: string;
    const seen: { url: string; authorization: string | undefined }[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
        if (req.url === '/moved') {
          res.writeHead(302, { location: '/file' }).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(10));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));
    beforeEach(() => {
      seen.length = 0;
    });

    it('refuses a media URL on another host without sending anything', async () => {
      const err = await failureOf(clientFor(emulator.url).downloadMedia(`${base}/file`, 1000));
      expect(err).toMatchObject({ kind: 'permanent', title: 'Media URL is not on a Meta media host' });
      expect(seen).toEqual([]);
    });

    it('does not follow a redirect with the token', async () => {
      const err = await failureOf(clientFor(base).downloadMedia(`${base}/moved`, 1000));
      expect(err).toMatchObject({ kind: 'permanent', httpStatus: 302 });
      expect(seen).toEqual([{ url: '/moved', authorization: `Bearer ${TOKEN}` }]);
    });
  });

  it('treats a media_get failure from a dropped connection as transient, since reading is safe to repeat', async () => {
    emulator.injectFault({ route: 'media_get', kind: 'reset' });
    expect(await failureOf(clientFor(emulator.url).getMedia('123'))).toMatchObject({ kind: 'transient', code: LOCAL_FAILURE_CODES.graph_connection_lost });
  });

  it('reports an expired or unknown download URL as transient so a fresh URL is fetched', async () => {
    const err = await failureOf(clientFor(emulator.url).downloadMedia(`${emulator.url}/whatsapp_business/attachments/?mid=1`, 1000));
    expect(err).toMatchObject({ kind: 'transient', httpStatus: 404 });
  });
});

describe('window failures reported after a 200', () => {
  it('accepts the send, then delivers a signed failed status with 131047 to the app', async () => {
    const received: { raw: Buffer; signature: string | undefined }[] = [];
    const app = express();
    app.post('/webhooks/whatsapp', express.raw({ type: 'application/json' }), (req, res) => {
      received.push({ raw: req.body as Buffer, signature: req.header('x-hub-signature-256') });
      res.sendStatus(200);
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      await emulator.close();
      emulator = await startGraphEmulator({
        accessToken: TOKEN,
        appSecret: SECRET,
        windowFailureMode: 'async',
        webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`,
      });
      emulator.closeWindow(ALICE);
      const { waMessageId } = await sendText(clientFor(emulator.url), { callbackData: 'msg:5' });
      await emulator.flushWebhooks();

      expect(received).toHaveLength(1);
      const [delivery] = received;
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(delivery?.raw ?? '').digest('hex')}`);
      const actual = Buffer.from(delivery?.signature ?? '');
      expect(actual.length === expected.length && timingSafeEqual(actual, expected)).toBe(true);
      const status = (JSON.parse(delivery?.raw.toString() ?? '{}') as { entry: { changes: { value: { statuses: unknown[] } }[] }[] })
        .entry[0]?.changes[0]?.value.statuses[0];
      expect(status).toMatchObject({
        id: waMessageId,
        status: 'failed',
        biz_opaque_callback_data: 'msg:5',
        errors: [expect.objectContaining({ code: 131047 })],
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
