import { ManualClock } from '../../src/clock';
import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';
import { callSlackApi } from '../helpers/slack-api-call';

const CHANNEL = 'C0BUSY0001';
const QUIET = 'C0QUIET001';

describe('Slack emulator: per-channel rate limit', () => {
  let emulator: SlackEmulator;
  const clock = new ManualClock('2026-11-24T10:00:00Z');
  const post = (channel: string) => callSlackApi(emulator.apiUrl, 'chat.postMessage', { channel, text: 'x' }, { token: emulator.token });

  beforeAll(async () => {
    emulator = await startSlackEmulator({
      clock,
      channels: [CHANNEL, QUIET],
      rateLimits: { postMessagePerChannel: { perSecond: 1, burst: 2 }, perMethod: { 'reactions.add': { perSecond: 1, burst: 1 } } },
    });
  });
  afterAll(() => emulator.close());

  it('answers 429 with Retry-After once the burst is spent, counts it per channel, and leaves other channels alone', async () => {
    expect((await post(CHANNEL)).status).toBe(200);
    expect((await post(CHANNEL)).status).toBe(200);
    const limited = await post(CHANNEL);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body).toEqual({ ok: false, error: 'ratelimited' });
    expect(emulator.stats.rateLimited).toEqual({ [CHANNEL]: 1 });
    expect((await post(QUIET)).status).toBe(200);
    expect(emulator.messages(CHANNEL)).toHaveLength(2);
  });

  it('lets the channel post again once a token has refilled', async () => {
    clock.advance(1000);
    expect((await post(CHANNEL)).status).toBe(200);
    expect((await post(CHANNEL)).status).toBe(429);
  });

  it('counts a file share as a post in the channel', async () => {
    clock.advance(10_000);
    const token = { token: emulator.token };
    for (let i = 0; i < 2; i += 1) expect((await post(QUIET)).status).toBe(200);
    const step1 = await callSlackApi(emulator.apiUrl, 'files.getUploadURLExternal', { filename: 'a.txt', length: 1 }, token);
    await fetch(step1.body.upload_url as string, { method: 'POST', body: 'a' });
    const share = await callSlackApi(emulator.apiUrl, 'files.completeUploadExternal', { files: [{ id: step1.body.file_id }], channel_id: QUIET }, token);
    expect(share.status).toBe(429);
  });

  it('applies a workspace-wide Tier bucket per method', async () => {
    const ts = emulator.messages(CHANNEL)[0]?.ts;
    const react = (name: string) => callSlackApi(emulator.apiUrl, 'reactions.add', { channel: CHANNEL, timestamp: ts, name }, { token: emulator.token });
    expect((await react('eyes')).status).toBe(200);
    expect((await react('tada')).status).toBe(429);
    expect(emulator.stats.rateLimitedByMethod['reactions.add']).toBe(1);
  });
});

describe('Slack emulator: fault injection', () => {
  let emulator: SlackEmulator;
  const post = (text: string) => callSlackApi(emulator.apiUrl, 'chat.postMessage', { channel: CHANNEL, text }, { token: emulator.token });

  beforeAll(async () => {
    emulator = await startSlackEmulator({ channels: [CHANNEL] });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('fails the next call with the injected HTTP status, without effect, then behaves again', async () => {
    emulator.injectFault({ method: 'chat.postMessage', kind: 'http_503' });
    expect((await post('lost')).status).toBe(503);
    expect((await post('kept')).status).toBe(200);
    expect(emulator.messages(CHANNEL).map((m) => m.text)).toEqual(['kept']);
    expect(emulator.callsTo('chat.postMessage').map((c) => c.fault)).toEqual(['http_503', undefined]);
  });

  it('hits as many calls as `times` says and answers a 429 with the given Retry-After', async () => {
    emulator.injectFault({ method: 'chat.postMessage', kind: 'http_429', retryAfterSec: 12, times: 2 });
    const answers = [await post('a'), await post('b'), await post('c')];
    expect(answers.map((a) => a.status)).toEqual([429, 429, 200]);
    expect(answers[0]?.headers.get('retry-after')).toBe('12');
  });

  it('answers ok:false with the injected error', async () => {
    emulator.injectFault({ method: 'chat.postMessage', kind: 'ok_false', error: 'not_in_channel' });
    expect((await post('x')).body).toEqual({ ok: false, error: 'not_in_channel' });
  });

  it('drops the connection on reset; with afterEffect the message is stored first', async () => {
    emulator.injectFault({ method: 'chat.postMessage', kind: 'reset' });
    await expect(post('never')).rejects.toThrow();
    emulator.injectFault({ method: 'chat.postMessage', kind: 'reset', afterEffect: true });
    await expect(post('stored anyway')).rejects.toThrow();
    expect(emulator.messages(CHANNEL).map((m) => m.text)).toEqual(['stored anyway']);
  });

  it('holds the answer on timeout; with afterEffect the late answer carries the stored message', async () => {
    emulator.injectFault({ method: 'chat.postMessage', kind: 'timeout', delayMs: 50, afterEffect: true });
    const answer = await post('slow');
    expect(answer.body).toMatchObject({ ok: true, ts: emulator.messages(CHANNEL)[0]?.ts });
  });

  it('closes while an answer is held, so the process can exit', async () => {
    const held = await startSlackEmulator({ channels: [CHANNEL] });
    held.injectFault({ method: 'chat.postMessage', kind: 'timeout' });
    const pending = callSlackApi(held.apiUrl, 'chat.postMessage', { channel: CHANNEL, text: 'x' }, { token: held.token });
    while (held.callsTo('chat.postMessage').length === 0) await new Promise((r) => setTimeout(r, 5));
    await held.close();
    await expect(pending).rejects.toThrow();
    expect(held.messages(CHANNEL)).toEqual([]);
  });

  it('fails the upload URL too, leaving the file without bytes', async () => {
    emulator.injectFault({ method: 'files.upload_bytes', kind: 'http_500' });
    const step1 = await callSlackApi(emulator.apiUrl, 'files.getUploadURLExternal', { filename: 'a.txt', length: 1 }, { token: emulator.token });
    expect((await fetch(step1.body.upload_url as string, { method: 'POST', body: 'a' })).status).toBe(500);
    expect(emulator.file(step1.body.file_id as string)?.bytes).toBeUndefined();
  });
});
