import { createHmac } from 'node:crypto';
import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';
import { callSlackApi } from '../helpers/slack-api-call';
import { type ReceivedRequest, type RecordingReceiver, startRecordingReceiver } from '../helpers/slack-recording-receiver';

const CHANNEL = 'C0PEOPLE01';
let emulator: SlackEmulator;
let receiver: RecordingReceiver;

const api = (method: string, params: Record<string, unknown>) => callSlackApi(emulator.apiUrl, method, params, { token: emulator.token });
const lastRequest = (): ReceivedRequest => {
  const request = receiver.received[receiver.received.length - 1];
  if (!request) throw new Error('the app received nothing');
  return request;
};
const lastEnvelope = () => JSON.parse(lastRequest().rawBody) as { event: Record<string, unknown> } & Record<string, unknown>;

beforeAll(async () => {
  receiver = await startRecordingReceiver();
  emulator = await startSlackEmulator({ channels: [CHANNEL], appUrl: receiver.url, signingSecret: 'people-secret' });
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(() => {
  emulator.reset();
  receiver.received.length = 0;
  receiver.answerWith({ status: 200 });
});

describe('simulated people: message events', () => {
  it('signs each request with v0 HMAC-SHA256 over the exact body', async () => {
    await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'hello' });
    const { headers, rawBody } = lastRequest();
    const timestamp = headers['x-slack-request-timestamp'] as string;
    const expected = `v0=${createHmac('sha256', 'people-secret').update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
    expect(headers['x-slack-signature']).toBe(expected);
    expect(headers['content-type']).toBe('application/json');
  });

  it('delivers a person’s post as an event_callback with a message event like Slack’s', async () => {
    const first = await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'a question' });
    const envelope = lastEnvelope();
    expect(envelope).toMatchObject({
      type: 'event_callback',
      event_id: first.eventId,
      team_id: emulator.teamId,
      api_app_id: emulator.apiAppId,
      event_time: expect.any(Number),
      authorizations: [expect.objectContaining({ user_id: emulator.botUserId, is_bot: true })],
    });
    expect(envelope.event).toMatchObject({ type: 'message', channel: CHANNEL, channel_type: 'channel', user: 'U0ANA', text: 'a question', ts: first.ts, client_msg_id: expect.any(String) });
    expect(envelope.event).not.toHaveProperty('bot_id');
    const second = await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'again' });
    expect(second.eventId).not.toBe(first.eventId);
    expect(first.response.status).toBe(200);
  });

  it('threads a reply under its parent and counts it there', async () => {
    const parent = (await api('chat.postMessage', { channel: CHANNEL, text: 'card' })).body.ts as string;
    const reply = await emulator.userPosts({ user: 'U0BRUNO', channel: CHANNEL, text: 'on it', threadTs: parent });
    expect(lastEnvelope().event).toMatchObject({ thread_ts: parent, parent_user_id: emulator.botUserId, ts: reply.ts });
    expect(emulator.message(CHANNEL, parent)).toMatchObject({ reply_count: 1, latest_reply: reply.ts });
  });

  it('shares files as a file_share message whose url_private_download serves the bytes with the token', async () => {
    const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await emulator.userPosts({ user: 'U0CARLA', channel: CHANNEL, text: 'photo', files: [{ name: 'photo.png', data }] });
    const event = lastEnvelope().event as { subtype: string; files: Array<Record<string, unknown>> };
    expect(event.subtype).toBe('file_share');
    expect(event.files[0]).toMatchObject({ name: 'photo.png', mimetype: 'image/png', size: data.length });
    const download = await fetch(event.files[0]?.url_private_download as string, { headers: { authorization: `Bearer ${emulator.token}` } });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(data);
  });

  it('sends message_changed and message_deleted with the previous message', async () => {
    const { ts } = await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'typo' });
    await emulator.userEdits({ user: 'U0ANA', channel: CHANNEL, ts, text: 'fixed' });
    expect(lastEnvelope().event).toMatchObject({ subtype: 'message_changed', hidden: true, message: { ts, text: 'fixed', edited: { user: 'U0ANA' } }, previous_message: { text: 'typo' } });
    await emulator.userDeletes({ user: 'U0ANA', channel: CHANNEL, ts });
    expect(lastEnvelope().event).toMatchObject({ subtype: 'message_deleted', hidden: true, deleted_ts: ts, previous_message: { text: 'fixed' } });
    expect(emulator.message(CHANNEL, ts)).toBeUndefined();
  });

  it('redelivers the same body with Slack’s retry headers', async () => {
    const { eventId } = await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'once' });
    const original = lastRequest().rawBody;
    await emulator.redeliverEvent(eventId, 1);
    expect(lastRequest().rawBody).toBe(original);
    expect(lastRequest().headers).toMatchObject({ 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
  });

  it('refuses chat.update on a person’s message', async () => {
    const { ts } = await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'mine' });
    expect((await api('chat.update', { channel: CHANNEL, ts, text: 'the bot edits' })).body).toEqual({ ok: false, error: 'cant_update_message' });
  });

  it('tells the app about the bot’s own posts only when asked to', async () => {
    const echoing = await startSlackEmulator({ channels: [CHANNEL], appUrl: receiver.url, deliverBotMessageEvents: true });
    try {
      await callSlackApi(echoing.apiUrl, 'chat.postMessage', { channel: CHANNEL, text: 'bot post' }, { token: echoing.token });
      while (echoing.deliveries.length === 0) await new Promise((r) => setTimeout(r, 5));
      expect(lastEnvelope().event).toMatchObject({ text: 'bot post', bot_id: echoing.botId, user: echoing.botUserId });
    } finally {
      await echoing.close();
    }
    await api('chat.postMessage', { channel: CHANNEL, text: 'quiet' });
    await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'a person' });
    const delivered = emulator.deliveries.map((d) => (JSON.parse(d.body) as { event: { text: string } }).event.text);
    expect(delivered).toEqual(['a person']);
  });

  it('sends app_home_opened for the Home tab', async () => {
    await emulator.openAppHome('U0BRUNO');
    expect(lastEnvelope().event).toMatchObject({ type: 'app_home_opened', user: 'U0BRUNO', tab: 'home', channel: expect.stringMatching(/^D/) });
  });
});
