import { SocketModeClient } from '@slack/socket-mode';
import { LogLevel } from '@slack/web-api';
import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';
import { callSlackApi } from '../helpers/slack-api-call';
import { connectSocketModeApp, openSocketUrl, openWebSocket, type SocketModeTestApp } from '../helpers/socket-mode-app';
import { waitFor } from '../helpers/wait';

const CHANNEL = 'C0SOCKET01';
let emulator: SlackEmulator;
let app: SocketModeTestApp | undefined;

const api = (method: string, params: Record<string, unknown>, token: string | null) => callSlackApi(emulator.apiUrl, method, params, { token });
const connect = async () => {
  app = await connectSocketModeApp(emulator.apiUrl, emulator.appToken);
  return app;
};

beforeAll(async () => {
  emulator = await startSlackEmulator({ channels: [CHANNEL], socketPingIntervalMs: 50 });
});
afterAll(async () => {
  await emulator.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await waitFor('sockets closed', () => emulator.socketConnections() === 0);
  emulator.reset();
});

describe('apps.connections.open', () => {
  it('gives the app-level token a one-time ws:// URL on the emulator', async () => {
    const opened = await api('apps.connections.open', {}, emulator.appToken);
    expect(opened.body).toEqual({ ok: true, url: expect.stringMatching(new RegExp(`^ws://127\\.0\\.0\\.1:${emulator.port}/socket\\?ticket=[0-9a-f]+`)) });
  });

  it('refuses the bot token as the wrong type, an unknown token as invalid and no token as not authed', async () => {
    expect((await api('apps.connections.open', {}, emulator.token)).body).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect((await api('apps.connections.open', {}, 'xapp-1-A0OTHER-1-nope')).body).toEqual({ ok: false, error: 'invalid_auth' });
    expect((await api('apps.connections.open', {}, null)).body).toEqual({ ok: false, error: 'not_authed' });
  });

  it('does not let the app-level token call the Web API methods that need the bot token', async () => {
    const posted = await api('chat.postMessage', { channel: CHANNEL, text: 'hi' }, emulator.appToken);
    expect(posted.body).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(emulator.messages(CHANNEL)).toEqual([]);
  });
});

describe('the Socket Mode WebSocket', () => {
  it('says hello first, with the connection count and the app id', async () => {
    const { messages } = await connect();
    expect(messages[0]).toEqual({
      type: 'hello',
      num_connections: 1,
      debug_info: expect.objectContaining({ host: expect.any(String) }),
      connection_info: { app_id: emulator.apiAppId },
    });
    expect(emulator.socketConnections()).toBe(1);
  });

  it('refuses a spent ticket and a made-up one', async () => {
    const url = await openSocketUrl(emulator.apiUrl, emulator.appToken);
    const first = await openWebSocket(url);
    await expect(openWebSocket(url)).rejects.toThrow('HTTP 401');
    await expect(openWebSocket(url.replace(/ticket=[0-9a-f]+/, 'ticket=deadbeef'))).rejects.toThrow('HTTP 401');
    first.close();
  });

  it('answers pings with pongs and pings the app itself', async () => {
    const { ws } = await connect();
    const pong = new Promise<string>((resolve) => ws.once('pong', (data) => resolve(String(data))));
    ws.ping('are you there');
    expect(await pong).toBe('are you there');
    await new Promise<void>((resolve) => ws.once('ping', () => resolve()));
  });
});

describe('people over Socket Mode', () => {
  it('delivers a post as an events_api envelope holding the event_callback body, and returns once it is acked', async () => {
    await connect();
    const post = await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'over the socket' });
    const [envelope] = app?.envelopes() ?? [];
    expect(envelope).toEqual({
      envelope_id: expect.any(String),
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
      payload: expect.objectContaining({ type: 'event_callback', event_id: post.eventId, api_app_id: emulator.apiAppId }),
    });
    expect(envelope?.payload.event).toMatchObject({ type: 'message', channel: CHANNEL, user: 'U0ANA', text: 'over the socket', ts: post.ts });
    expect(post.response).toEqual({ status: 200, text: '' });
    expect(emulator.deliveries).toEqual([expect.objectContaining({ kind: 'event', transport: 'socket', envelopeId: envelope?.envelope_id, status: 200 })]);
    expect(emulator.socketMessages).toEqual([{ envelope_id: envelope?.envelope_id }]);
  });

  it('redelivers an event in a new envelope with retry_attempt and retry_reason', async () => {
    await connect();
    const post = await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'again' });
    await emulator.redeliverEvent(post.eventId, 1, 'timeout');
    const [first, retry] = app?.envelopes() ?? [];
    expect(retry).toMatchObject({ type: 'events_api', retry_attempt: 1, retry_reason: 'timeout', payload: { event_id: post.eventId } });
    expect(retry?.envelope_id).not.toBe(first?.envelope_id);
  });

  it('delivers a slash command as an object and returns the ack payload as the answer', async () => {
    const socket = await connect();
    socket.answerWith(() => ({ response_type: 'ephemeral', text: 'Your queue is empty' }));
    const result = await emulator.runSlashCommand({ user: 'U0BRUNO', channel: CHANNEL, command: '/queue', text: 'mine' });
    expect(socket.envelopes()[0]).toMatchObject({
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { command: '/queue', text: 'mine', user_id: 'U0BRUNO', channel_id: CHANNEL, response_url: result.responseUrl, trigger_id: result.triggerId },
    });
    expect(result).toMatchObject({ status: 200, json: { response_type: 'ephemeral', text: 'Your queue is empty' } });
  });

  it('delivers a button click as an interactive envelope with the block_actions payload as JSON', async () => {
    const socket = await connect();
    const blocks = [{ type: 'actions', block_id: 'card', elements: [{ type: 'button', action_id: 'conversation_claim', text: { type: 'plain_text', text: 'Claim' }, value: '7' }] }];
    const ts = (await api('chat.postMessage', { channel: CHANNEL, text: 'card', blocks }, emulator.token)).body.ts as string;
    await emulator.clickButton({ user: 'U0ANA', channel: CHANNEL, messageTs: ts, actionId: 'conversation_claim' });
    expect(socket.envelopes()[0]).toMatchObject({
      type: 'interactive',
      accepts_response_payload: false,
      payload: { type: 'block_actions', user: { id: 'U0ANA' }, actions: [{ action_id: 'conversation_claim', value: '7' }] },
    });
  });

  it('applies a view_submission ack: errors keep the modal open, an empty ack closes it', async () => {
    const socket = await connect();
    const { triggerId } = await emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/handoff', text: '' });
    const modal = { type: 'modal', title: { type: 'plain_text', text: 'Hand off' }, submit: { type: 'plain_text', text: 'Go' }, blocks: [] };
    const view = (await api('views.open', { trigger_id: triggerId, view: modal }, emulator.token)).body.view as { id: string };
    socket.answerWith(() => ({ response_action: 'errors', errors: { to: 'Pick someone' } }));
    await emulator.submitView({ user: 'U0ANA', view, values: {} });
    expect(socket.envelopes().at(-1)).toMatchObject({ type: 'interactive', accepts_response_payload: true, payload: { type: 'view_submission', view: { id: view.id } } });
    expect(emulator.openModal('U0ANA')?.id).toBe(view.id);
    socket.answerWith(() => undefined);
    await emulator.submitView({ user: 'U0ANA', view, values: {} });
    expect(emulator.openModal('U0ANA')).toBeUndefined();
  });

  it('fails a delivery whose connection closes before the ack, and records it with status 0', async () => {
    const socket = await connect();
    socket.answerWith(() => 'no-ack');
    const posting = emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'lost' });
    await waitFor('the envelope', () => socket.envelopes()[0]);
    const failed = expect(posting).rejects.toThrow('closed before envelope');
    await socket.close();
    await failed;
    expect(emulator.deliveries).toEqual([expect.objectContaining({ transport: 'socket', status: 0 })]);
  });

  it('sends disconnect on request and delivers nothing more to that connection', async () => {
    const socket = await connect();
    emulator.disconnectSocket('refresh_requested');
    await waitFor('disconnect', () => socket.messages.find((m) => m.type === 'disconnect'));
    expect(socket.messages.at(-1)).toEqual({ type: 'disconnect', reason: 'refresh_requested', debug_info: expect.any(Object) });
    await expect(emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'nobody listening' })).rejects.toThrow('no Socket Mode connection');
  });
});

describe('@slack/socket-mode against the emulator', () => {
  it('connects with the app-level token and acks what it receives', async () => {
    const client = new SocketModeClient({ appToken: emulator.appToken, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: emulator.apiUrl } });
    const received: string[] = [];
    client.on('slack_event', ({ ack, body }: { ack: () => Promise<void>; body: { event: { text: string } } }) => {
      received.push(body.event.text);
      void ack();
    });
    await client.start();
    try {
      const post = await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'via the SDK' });
      expect(post.response.status).toBe(200);
      expect(received).toEqual(['via the SDK']);
      expect(emulator.callsTo('apps.connections.open')).toEqual([expect.objectContaining({ token: emulator.appToken, status: 200 })]);
    } finally {
      await client.disconnect();
    }
  });
});
