import { ManualClock } from '../../src/clock';
import { type GraphEmulator, type GraphEmulatorOptions, startGraphEmulator } from '../../src/emulators/graph-emulator';

const TOKEN = 'emulator-token';
const NUMBER_ID = '100000000000001';
const ALICE = '15550002222';

let emulator: GraphEmulator;

async function start(options: GraphEmulatorOptions = {}): Promise<void> {
  emulator = await startGraphEmulator({ accessToken: TOKEN, ...options });
}

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${emulator.url}/v25.0/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const text = (body: string) => ({ messaging_product: 'whatsapp', to: `+${ALICE}`, type: 'text', text: { body } });

async function errorOf(res: Response): Promise<{ code: number; error_data?: { details?: string }; error_subcode?: number }> {
  return ((await res.json()) as { error: { code: number } }).error;
}

async function upload(data: Buffer, mimeType: string): Promise<Response> {
  const form = new FormData();
  form.append('messaging_product', 'whatsapp');
  form.append('type', mimeType);
  form.append('file', new Blob([new Uint8Array(data)], { type: mimeType }), 'file.bin');
  return fetch(`${emulator.url}/v25.0/${NUMBER_ID}/media`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
}

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(64, 2)]);

afterEach(async () => {
  await emulator?.close();
});

describe('media', () => {
  it('stores an upload, describes it and serves its bytes to the bearer of the token', async () => {
    await start();
    const res = await upload(PNG, 'image/png');
    const { id } = (await res.json()) as { id: string };
    const info = (await (await fetch(`${emulator.url}/v25.0/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Record<string, string>;
    expect(info).toMatchObject({ messaging_product: 'whatsapp', mime_type: 'image/png', file_size: String(PNG.length), id });
    expect(Buffer.from(info['sha256'] ?? '', 'base64')).toHaveLength(32);
    expect((await fetch(info['url'] ?? '')).status).toBe(401);
    const download = await fetch(info['url'] ?? '', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
    expect(emulator.stats).toMatchObject({ mediaUploaded: 1, mediaDownloaded: 1 });
  });

  it.each([
    ['an unsupported type', Buffer.from('GIF89a'), 'image/gif', /supported media types/],
    ['content that does not match the MIME type', JPEG, 'image/png', /does not match/],
    ['an image over 5 MB', Buffer.concat([JPEG, Buffer.alloc(5 * 1024 * 1024)]), 'image/jpeg', /exceeds the image limit/],
    ['a static sticker over 100 KB', Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 '), Buffer.alloc(101 * 1024)]), 'image/webp', /sticker limit/],
  ])('refuses %s with 131053', async (_name, data, mimeType, details) => {
    await start();
    const error = await errorOf(await upload(data, mimeType));
    expect(error.code).toBe(131053);
    expect(error.error_data?.details).toMatch(details);
  });

  it('lets a download URL expire after five minutes', async () => {
    const clock = new ManualClock();
    await start({ clock });
    const id = emulator.addMedia({ data: JPEG, mimeType: 'image/jpeg' });
    const info = (await (await fetch(`${emulator.url}/v25.0/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { url: string };
    clock.advance(5 * 60 * 1000 + 1000);
    expect((await fetch(info.url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('forgets deleted media', async () => {
    await start();
    const id = emulator.addMedia({ data: JPEG, mimeType: 'image/jpeg' });
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect(await (await fetch(`${emulator.url}/v25.0/${id}`, { method: 'DELETE', headers: auth })).json()).toEqual({ success: true });
    expect((await errorOf(await fetch(`${emulator.url}/v25.0/${id}`, { headers: auth }))).error_subcode).toBe(33);
  });
});

describe('faults', () => {
  it('answers an injected Graph error the given number of times, then recovers', async () => {
    await start();
    emulator.injectFault({ route: 'messages', kind: 'graph_error', code: 131000, httpStatus: 500, title: 'Something went wrong', times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await post(`${NUMBER_ID}/messages`, text('hi'))).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(emulator.sent).toHaveLength(1);
    expect(emulator.stats.faultsInjected).toBe(2);
  });

  it('answers a non-JSON 500', async () => {
    await start();
    emulator.injectFault({ route: 'messages', kind: 'http_500' });
    const res = await post(`${NUMBER_ID}/messages`, text('hi'));
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('drops the connection on reset, after the send took effect when asked', async () => {
    await start();
    emulator.injectFault({ route: 'messages', kind: 'reset', afterEffect: true });
    await expect(post(`${NUMBER_ID}/messages`, text('hi'))).rejects.toThrow();
    expect(emulator.sent).toHaveLength(1);
    expect(emulator.calls[0]?.status).toBe(0);
  });

  it('holds the answer on timeout and does not perform a send the client gave up on', async () => {
    await start();
    emulator.injectFault({ route: 'messages', kind: 'timeout', delayMs: 60_000 });
    const res = fetch(`${emulator.url}/v25.0/${NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(text('hi')),
      signal: AbortSignal.timeout(100),
    });
    await expect(res).rejects.toThrow();
    await emulator.settle();
    expect(emulator.sent).toHaveLength(0);
    expect(emulator.calls[0]).toMatchObject({ fault: 'timeout', status: 0 });
  });

  it('holds the answer after the send took effect: the uncertain send', async () => {
    await start();
    emulator.injectFault({ route: 'messages', kind: 'timeout', delayMs: 60_000, afterEffect: true });
    const res = fetch(`${emulator.url}/v25.0/${NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(text('hi')),
      signal: AbortSignal.timeout(100),
    });
    await expect(res).rejects.toThrow();
    await emulator.settle();
    expect(emulator.sent).toHaveLength(1);
    expect(emulator.calls[0]?.status).toBe(0);
  });

  it('forgets calls, sends and faults on reset', async () => {
    await start();
    emulator.injectFault({ route: 'messages', kind: 'http_500' });
    await post(`${NUMBER_ID}/messages`, text('hi'));
    await post(`${NUMBER_ID}/messages`, text('hi'));
    emulator.injectFault({ route: 'messages', kind: 'http_500' });
    emulator.reset();
    expect(emulator.calls).toHaveLength(0);
    expect(emulator.sent).toHaveLength(0);
    expect(emulator.stats.messagesAccepted).toBe(0);
    expect((await post(`${NUMBER_ID}/messages`, text('hi'))).status).toBe(200);
  });
});
