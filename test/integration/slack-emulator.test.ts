import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';
import { parseTs } from '../../src/emulators/slack-workspace';
import { callSlackApi } from '../helpers/slack-api-call';

const CHANNEL = 'C0TEST0001';
let emulator: SlackEmulator;

const api = (method: string, params: Record<string, unknown>, opts: { token?: string | null; as?: 'form' | 'json' } = {}) =>
  callSlackApi(emulator.apiUrl, method, params, { token: opts.token === undefined ? emulator.token : opts.token, ...(opts.as ? { as: opts.as } : {}) });

async function post(params: Record<string, unknown>): Promise<string> {
  const answer = await api('chat.postMessage', { channel: CHANNEL, ...params });
  if (answer.body.ok !== true) throw new Error(`post failed: ${JSON.stringify(answer.body)}`);
  return answer.body.ts as string;
}

beforeAll(async () => {
  emulator = await startSlackEmulator({ channels: [CHANNEL, { id: 'C0OTHER001', name: 'other' }] });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('Slack emulator: authentication and the wire format', () => {
  it('answers not_authed without a token and invalid_auth with a wrong one, both with HTTP 200', async () => {
    const missing = await api('auth.test', {}, { token: null });
    const wrong = await api('auth.test', {}, { token: 'xoxb-wrong' });
    expect([missing.status, missing.body]).toEqual([200, { ok: false, error: 'not_authed' }]);
    expect([wrong.status, wrong.body]).toEqual([200, { ok: false, error: 'invalid_auth' }]);
  });

  it('answers auth.test with the bot identity Bolt needs', async () => {
    const { body } = await api('auth.test', {});
    expect(body).toMatchObject({ ok: true, team_id: emulator.teamId, user_id: emulator.botUserId, bot_id: emulator.botId });
    expect(body.url).toEqual(expect.stringMatching(/^https:\/\//));
  });

  it('answers unknown_method for a method it does not know', async () => {
    expect((await api('chat.doesNotExist', {})).body).toEqual({ ok: false, error: 'unknown_method' });
  });

  it('records form fields as sent and parses the JSON-string fields', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];
    await post({ text: 'hi', blocks });
    const [call] = emulator.callsTo('chat.postMessage');
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(call?.raw.blocks).toBe(JSON.stringify(blocks));
    expect(call?.params.blocks).toEqual(blocks);
    expect(call?.token).toBe(emulator.token);
  });

  it('accepts a JSON body too', async () => {
    const answer = await api('chat.postMessage', { channel: CHANNEL, text: 'json body' }, { as: 'json' });
    expect(answer.body.ok).toBe(true);
    expect(emulator.messages(CHANNEL).map((m) => m.text)).toEqual(['json body']);
  });
});

describe('Slack emulator: messages and threads', () => {
  it('gives every message a ts that is strictly greater than the one before', async () => {
    const tss = [await post({ text: 'a' }), await post({ text: 'b' }), await post({ text: 'c' })];
    expect(tss.every((ts) => /^\d{10}\.\d{6}$/.test(ts))).toBe(true);
    const micros = tss.map((ts) => parseTs(ts) ?? 0);
    expect(micros[1]! > micros[0]! && micros[2]! > micros[1]!).toBe(true);
  });

  it('refuses an unknown channel and a thread_ts that is not a parent in that channel', async () => {
    const parent = await post({ text: 'parent' });
    const reply = await post({ text: 'reply', thread_ts: parent });
    expect((await api('chat.postMessage', { channel: 'C0NOPE', text: 'x' })).body).toEqual({ ok: false, error: 'channel_not_found' });
    expect((await api('chat.postMessage', { channel: CHANNEL, text: 'x', thread_ts: reply })).body).toMatchObject({ error: 'thread_not_found' });
    expect((await api('chat.postMessage', { channel: 'C0OTHER001', text: 'x', thread_ts: parent })).body).toMatchObject({ error: 'thread_not_found' });
  });

  it('stores a customised bot post with username, icon and metadata, and counts replies on the parent', async () => {
    const parent = await post({ text: 'card' });
    const metadata = { event_type: 'threadline_post', event_payload: { op_id: 5, conversation_id: 2 } };
    await post({ text: 'from the customer', thread_ts: parent, username: 'Maria (WhatsApp)', icon_emoji: ':speech_balloon:', metadata });
    const [stored, reply] = emulator.thread(CHANNEL, parent);
    expect(stored).toMatchObject({ reply_count: 1, thread_ts: parent });
    expect(reply).toMatchObject({ username: 'Maria (WhatsApp)', icons: { emoji: ':speech_balloon:' }, bot_id: emulator.botId, metadata, thread_ts: parent });
  });

  it('refuses a message with too many blocks the way Slack does', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const { body } = await api('chat.postMessage', { channel: CHANNEL, text: 'x', blocks });
    expect(body).toMatchObject({ ok: false, error: 'invalid_blocks' });
  });

  it('updates the bot’s message and keeps the blocks an update leaves out', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'v1' } }];
    const ts = await post({ text: 'v1', blocks });
    const updated = await api('chat.update', { channel: CHANNEL, ts, text: 'v2' });
    expect(updated.body).toMatchObject({ ok: true, ts, text: 'v2' });
    expect(emulator.message(CHANNEL, ts)).toMatchObject({ text: 'v2', blocks, edited: { user: emulator.botUserId } });
    expect((await api('chat.update', { channel: CHANNEL, ts: '1.000000', text: 'x' })).body.error).toBe('message_not_found');
  });

  it('builds permalinks like Slack, with thread_ts and cid for replies', async () => {
    const parent = await post({ text: 'p' });
    const reply = await post({ text: 'r', thread_ts: parent });
    const top = await api('chat.getPermalink', { channel: CHANNEL, message_ts: parent });
    const nested = await api('chat.getPermalink', { channel: CHANNEL, message_ts: reply });
    expect(top.body.permalink).toBe(`https://emulator.slack.test/archives/${CHANNEL}/p${parent.replace('.', '')}`);
    expect(nested.body.permalink).toBe(`https://emulator.slack.test/archives/${CHANNEL}/p${reply.replace('.', '')}?thread_ts=${parent}&cid=${CHANNEL}`);
  });

  it('deletes the bot’s reply and takes it off the parent’s reply count', async () => {
    const parent = await post({ text: 'p' });
    const reply = await post({ text: 'r', thread_ts: parent });
    expect((await api('chat.delete', { channel: CHANNEL, ts: reply })).body).toEqual({ ok: true, channel: CHANNEL, ts: reply });
    expect(emulator.message(CHANNEL, reply)).toBeUndefined();
    expect(emulator.message(CHANNEL, parent)?.reply_count).toBeUndefined();
  });

  it('records ephemerals and answers with a message_ts', async () => {
    const { body } = await api('chat.postEphemeral', { channel: CHANNEL, user: 'U0ANA', text: 'only you' });
    expect(body).toEqual({ ok: true, message_ts: expect.any(String) });
    expect(emulator.ephemerals).toEqual([expect.objectContaining({ channel: CHANNEL, user: 'U0ANA', text: 'only you', via: 'api' })]);
  });
});

describe('Slack emulator: reactions', () => {
  it('adds a reaction once, then answers already_reacted; bad names are invalid_name', async () => {
    const ts = await post({ text: 'm' });
    expect((await api('reactions.add', { channel: CHANNEL, timestamp: ts, name: 'white_check_mark' })).body).toEqual({ ok: true });
    expect((await api('reactions.add', { channel: CHANNEL, timestamp: ts, name: 'white_check_mark' })).body.error).toBe('already_reacted');
    expect((await api('reactions.add', { channel: CHANNEL, timestamp: ts, name: ':eyes:' })).body.error).toBe('invalid_name');
    expect((await api('reactions.add', { channel: CHANNEL, timestamp: '1.000000', name: 'eyes' })).body.error).toBe('message_not_found');
    const got = await api('reactions.get', { channel: CHANNEL, timestamp: ts });
    expect(got.body.message).toMatchObject({ reactions: [{ name: 'white_check_mark', users: [emulator.botUserId], count: 1 }] });
  });
});

describe('Slack emulator: reading conversations', () => {
  it('pages through a thread with cursors, parent first, metadata only when asked', async () => {
    const parent = await post({ text: 'p' });
    const metadata = { event_type: 'threadline_post', event_payload: { op_id: 1 } };
    for (const text of ['r1', 'r2', 'r3']) await post({ text, thread_ts: parent, metadata });
    const first = await api('conversations.replies', { channel: CHANNEL, ts: parent, limit: 2, include_all_metadata: true });
    const cursor = (first.body.response_metadata as { next_cursor: string }).next_cursor;
    const second = await api('conversations.replies', { channel: CHANNEL, ts: parent, limit: 2, cursor });
    const texts = [...(first.body.messages as Array<{ text: string }>), ...(second.body.messages as Array<{ text: string }>)].map((m) => m.text);
    expect(texts).toEqual(['p', 'r1', 'r2', 'r3']);
    expect(first.body.has_more).toBe(true);
    expect(second.body.has_more).toBe(false);
    expect((first.body.messages as Array<Record<string, unknown>>)[1]?.metadata).toEqual(metadata);
    expect((second.body.messages as Array<Record<string, unknown>>)[0]).not.toHaveProperty('metadata');
  });

  it('lists channel history newest first, without replies, after `oldest`', async () => {
    const a = await post({ text: 'a' });
    await post({ text: 'reply', thread_ts: a });
    await post({ text: 'b' });
    await post({ text: 'c' });
    const all = await api('conversations.history', { channel: CHANNEL });
    const after = await api('conversations.history', { channel: CHANNEL, oldest: a });
    expect((all.body.messages as Array<{ text: string }>).map((m) => m.text)).toEqual(['c', 'b', 'a']);
    expect((after.body.messages as Array<{ text: string }>).map((m) => m.text)).toEqual(['c', 'b']);
  });

  it('describes channels with conversations.info and refuses unknown ones', async () => {
    expect((await api('conversations.info', { channel: 'C0OTHER001' })).body.channel).toMatchObject({ id: 'C0OTHER001', name: 'other', is_channel: true, is_member: true });
    expect((await api('conversations.info', { channel: 'C0NOPE' })).body).toEqual({ ok: false, error: 'channel_not_found' });
  });

  it('opens one DM per person and answers users.info in Slack’s shape', async () => {
    const first = await api('conversations.open', { users: 'U0BRUNO' });
    const again = await api('conversations.open', { users: 'U0BRUNO' });
    expect((first.body.channel as { id: string }).id).toMatch(/^D/);
    expect(again.body.channel).toEqual(first.body.channel);
    const info = await api('users.info', { user: 'U0CARLA' });
    expect(info.body.user).toMatchObject({ id: 'U0CARLA', name: 'carla', real_name: 'Carla Mendes', is_bot: false, profile: { display_name: 'Carla' } });
    expect((await api('users.info', { user: 'U0NOBODY' })).body).toEqual({ ok: false, error: 'user_not_found' });
  });
});

describe('Slack emulator: files', () => {
  it('uploads in three steps, shares into the thread without returning a ts, and serves the bytes with the token only', async () => {
    const parent = await post({ text: 'p' });
    const bytes = Buffer.from('%PDF-1.7 fake pdf');
    const step1 = await api('files.getUploadURLExternal', { filename: 'invoice.pdf', length: bytes.length });
    const uploadUrl = step1.body.upload_url as string;
    expect(uploadUrl.startsWith(emulator.baseUrl)).toBe(true);
    expect((await fetch(uploadUrl, { method: 'POST', body: new Uint8Array(bytes) })).status).toBe(200);
    const fileId = step1.body.file_id as string;
    const step3 = await api('files.completeUploadExternal', { files: [{ id: fileId, title: 'Invoice' }], channel_id: CHANNEL, thread_ts: parent, initial_comment: 'here' });
    expect(step3.body).toEqual({ ok: true, files: [{ id: fileId, title: 'Invoice' }] });
    const info = await api('files.info', { file: fileId });
    const file = info.body.file as { mimetype: string; url_private_download: string; shares: { public: Record<string, Array<{ ts: string; thread_ts: string }>> } };
    const shareTs = file.shares.public[CHANNEL]?.[0]?.ts;
    expect(file.shares.public[CHANNEL]?.[0]?.thread_ts).toBe(parent);
    expect(emulator.message(CHANNEL, shareTs ?? '')).toMatchObject({ text: 'here', thread_ts: parent, upload: true });
    const withToken = await fetch(file.url_private_download, { headers: { authorization: `Bearer ${emulator.token}` } });
    expect(Buffer.from(await withToken.arrayBuffer())).toEqual(bytes);
    expect(withToken.headers.get('content-type')).toBe('application/pdf');
    const withoutToken = await fetch(file.url_private_download);
    expect([withoutToken.status, withoutToken.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  });

  it('refuses an upload whose size differs from the declared length', async () => {
    const step1 = await api('files.getUploadURLExternal', { filename: 'a.txt', length: 10 });
    const answer = await fetch(step1.body.upload_url as string, { method: 'POST', body: 'short' });
    expect(answer.status).toBe(400);
    expect((await api('files.getUploadURLExternal', { filename: 'a.txt' })).body.error).toBe('invalid_arguments');
    expect((await api('files.getUploadURLExternal', { filename: 'a.txt', length: 0 })).body.error).toBe('missing_argument');
  });
});
