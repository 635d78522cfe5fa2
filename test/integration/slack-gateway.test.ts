import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../src/clock';
import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';
import { createLogger } from '../../src/logger';
import type { SlackGateway } from '../../src/slack/gateway';
import { SlackPermanentError, SlackRateLimitedError, SlackTransientError, SlackUncertainError } from '../../src/slack/gateway';
import { SlackUploadUncertainError } from '../../src/slack/slack-errors';
import { createSlackGateway } from '../../src/slack/web-api-gateway';
import { type RecordingReceiver, startRecordingReceiver } from '../helpers/slack-recording-receiver';

const CHANNEL = 'C0GATEWAY1';
const logger = createLogger({ level: 'silent' });
const clock = new ManualClock('2026-11-24T10:00:00Z');
let emulator: SlackEmulator;
let receiver: RecordingReceiver;
let gateway: SlackGateway;

beforeAll(async () => {
  receiver = await startRecordingReceiver();
  emulator = await startSlackEmulator({ channels: [CHANNEL], appUrl: receiver.url });
  gateway = createSlackGateway({ token: emulator.token, apiUrl: emulator.apiUrl, logger, clock });
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(() => emulator.reset());

describe('SlackGateway over the emulator: happy paths and wire format', () => {
  it('posts form-encoded with a bearer token, JSON-string blocks, our metadata and unfurls off', async () => {
    const blocks = [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*hi*' } }];
    const { ts } = await gateway.postMessage({ channel: CHANNEL, text: 'hi', blocks, username: 'Maria', iconEmoji: ':bust_in_silhouette:', metadata: { opId: 41, conversationId: 9 } });
    expect(typeof ts).toBe('string');
    const [call] = emulator.callsTo('chat.postMessage');
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(call?.token).toBe(emulator.token);
    expect(call?.raw).toMatchObject({
      blocks: JSON.stringify(blocks),
      unfurl_links: 'false',
      unfurl_media: 'false',
      username: 'Maria',
      icon_emoji: ':bust_in_silhouette:',
      metadata: JSON.stringify({ event_type: 'threadline_post', event_payload: { op_id: 41, conversation_id: 9 } }),
    });
    expect(emulator.message(CHANNEL, ts)).toMatchObject({ text: 'hi', username: 'Maria' });
  });

  it('updates, reacts (a repeat reaction is fine), posts ephemerals and builds permalinks', async () => {
    const { ts } = await gateway.postMessage({ channel: CHANNEL, text: 'v1' });
    await gateway.updateMessage({ channel: CHANNEL, ts, text: 'v2' });
    await gateway.addReaction({ channel: CHANNEL, ts, name: 'eyes' });
    await gateway.addReaction({ channel: CHANNEL, ts, name: 'eyes' });
    await gateway.postEphemeral({ channel: CHANNEL, user: 'U0ANA', text: 'psst', threadTs: ts });
    expect(emulator.message(CHANNEL, ts)).toMatchObject({ text: 'v2', reactions: [{ name: 'eyes', count: 1 }] });
    expect(emulator.ephemerals).toEqual([expect.objectContaining({ user: 'U0ANA', text: 'psst', thread_ts: ts })]);
    expect(await gateway.getPermalink({ channel: CHANNEL, ts })).toContain(`/archives/${CHANNEL}/p`);
  });

  it('answers on a slash command’s response_url as an ephemeral where it was run; a used-up URL is a permanent error', async () => {
    const { responseUrl } = await emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/queue', text: 'digest' });
    await gateway.respond({ responseUrl, text: 'later news' });
    expect(emulator.ephemerals).toEqual([expect.objectContaining({ channel: CHANNEL, user: 'U0ANA', text: 'later news', via: 'response_url' })]);
    for (let i = 0; i < 4; i++) await gateway.respond({ responseUrl, text: `again ${i}` });
    // Slack takes 5 answers per URL (slack.md §3); the error names the status, never the URL.
    const refused = await gateway.respond({ responseUrl, text: 'one too many' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SlackPermanentError);
    expect(refused).toMatchObject({ code: 'http_404' });
    expect(String((refused as Error).message)).not.toContain(responseUrl);
  });

  it('answers on no response_url outside Slack’s hooks host (or SLACK_API_URL’s origin)', async () => {
    await expect(gateway.respond({ responseUrl: 'https://hooks.example.com/commands/T1/2/3', text: 'x' })).rejects.toMatchObject({ code: 'host_not_allowed' });
    await expect(gateway.respond({ responseUrl: 'http://hooks.slack.com/commands/T1/2/3', text: 'x' })).rejects.toMatchObject({ code: 'host_not_allowed' });
  });

  it('reads users once per ten minutes', async () => {
    const fresh = createSlackGateway({ token: emulator.token, apiUrl: emulator.apiUrl, logger, clock });
    const ana = await fresh.getUser('U0ANA');
    await fresh.getUser('U0ANA');
    expect(ana).toEqual({ id: 'U0ANA', name: 'ana', realName: 'Ana Souza', displayName: 'Ana', isBot: false, tz: 'America/Sao_Paulo' });
    expect(emulator.callsTo('users.info')).toHaveLength(1);
    clock.advance(10 * 60 * 1000 + 1);
    await fresh.getUser('U0ANA');
    expect(emulator.callsTo('users.info')).toHaveLength(2);
  });

  it('opens DMs, modals and the Home tab', async () => {
    expect(await gateway.openDm('U0BRUNO')).toMatch(/^D/);
    const { triggerId } = await emulator.runSlashCommand({ user: 'U0BRUNO', channel: CHANNEL, command: '/handoff', text: '' });
    const title = { type: 'plain_text' as const, text: 'Hand off' };
    const { viewId } = await gateway.openView({ triggerId, view: { type: 'modal', title, blocks: [] } });
    await gateway.updateView({ viewId, view: { type: 'modal', title, blocks: [{ type: 'divider' }] } });
    await gateway.publishHome({ userId: 'U0BRUNO', view: { type: 'home', blocks: [{ type: 'divider' }] } });
    expect(emulator.openModal('U0BRUNO')).toMatchObject({ id: viewId, blocks: [{ type: 'divider' }] });
    expect(emulator.homeView('U0BRUNO')?.type).toBe('home');
  });
});

describe('SlackGateway over the emulator: finding our own posts again', () => {
  it('finds a reply by op id across pages of a long thread', async () => {
    const { ts: parent } = await gateway.postMessage({ channel: CHANNEL, text: 'card' });
    await Promise.all(Array.from({ length: 205 }, (_, i) => gateway.postMessage({ channel: CHANNEL, threadTs: parent, text: `r${i}`, metadata: { opId: 1000 + i, conversationId: 1 } })));
    const newest = emulator.thread(CHANNEL, parent).at(-1);
    const opId = Number(newest?.metadata?.event_payload.op_id);
    expect(await gateway.findPostedReply({ channel: CHANNEL, threadTs: parent, opId })).toBe(newest?.ts);
    expect(emulator.callsTo('conversations.replies').length).toBeGreaterThan(1);
    expect(await gateway.findPostedReply({ channel: CHANNEL, threadTs: parent, opId: 7 })).toBeUndefined();
  });

  it('finds a top-level message by op id in the channel history', async () => {
    const { ts } = await gateway.postMessage({ channel: CHANNEL, text: 'header', metadata: { opId: 77, conversationId: 3 } });
    await gateway.postMessage({ channel: CHANNEL, text: 'later' });
    expect(await gateway.findPostedMessage({ channel: CHANNEL, opId: 77 })).toBe(ts);
    expect(await gateway.findPostedMessage({ channel: CHANNEL, opId: 77, oldest: ts })).toBeUndefined();
  });
});

describe('SlackGateway over the emulator: every failure mapped', () => {
  it('turns a 429 with Retry-After into SlackRateLimitedError with the wait in ms, making exactly one call', async () => {
    emulator.injectFault({ method: 'chat.postMessage', kind: 'http_429', retryAfterSec: 7 });
    const error = await gateway.postMessage({ channel: CHANNEL, text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackRateLimitedError);
    expect(error).toMatchObject({ method: 'chat.postMessage', retryAfterMs: 7000 });
    expect(emulator.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('turns HTTP 500 into SlackUncertainError without retrying blindly', async () => {
    emulator.injectFault({ method: 'chat.postMessage', kind: 'http_500' });
    await expect(gateway.postMessage({ channel: CHANNEL, text: 'x' })).rejects.toBeInstanceOf(SlackUncertainError);
    expect(emulator.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('turns a timeout after the post took effect into SlackUncertainError, and the post is found by reading the thread', async () => {
    const { ts: parent } = await gateway.postMessage({ channel: CHANNEL, text: 'card' });
    emulator.injectFault({ method: 'chat.postMessage', kind: 'timeout', delayMs: 5000, afterEffect: true });
    const impatient = createSlackGateway({ token: emulator.token, apiUrl: emulator.apiUrl, logger, timeoutMs: 300 });
    await expect(impatient.postMessage({ channel: CHANNEL, threadTs: parent, text: 'hello', metadata: { opId: 5, conversationId: 1 } })).rejects.toBeInstanceOf(SlackUncertainError);
    const stored = emulator.thread(CHANNEL, parent)[1];
    expect(stored?.text).toBe('hello');
    expect(await gateway.findPostedReply({ channel: CHANNEL, threadTs: parent, opId: 5 })).toBe(stored?.ts);
  });

  it('turns a refused connection into SlackTransientError', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const nowhere = createSlackGateway({ token: emulator.token, apiUrl: `http://127.0.0.1:${port}/api/`, logger });
    await expect(nowhere.postMessage({ channel: CHANNEL, text: 'x' })).rejects.toBeInstanceOf(SlackTransientError);
  });

  it('turns channel_not_found and invalid_auth into SlackPermanentError with the code', async () => {
    await expect(gateway.postMessage({ channel: 'C0MISSING1', text: 'x' })).rejects.toMatchObject({ kind: 'permanent', code: 'channel_not_found' });
    const badToken = createSlackGateway({ token: 'xoxb-wrong', apiUrl: emulator.apiUrl, logger });
    await expect(badToken.postMessage({ channel: CHANNEL, text: 'x' })).rejects.toMatchObject({ kind: 'permanent', code: 'invalid_auth' });
  });

  it('turns ok:false internal_error into SlackUncertainError', async () => {
    emulator.injectFault({ method: 'chat.update', kind: 'ok_false', error: 'internal_error' });
    await expect(gateway.updateMessage({ channel: CHANNEL, ts: '1.000000', text: 'x' })).rejects.toBeInstanceOf(SlackUncertainError);
  });
});

describe('SlackGateway over the emulator: files', () => {
  it('uploads into the thread in three steps and downloads the same bytes', async () => {
    const { ts: parent } = await gateway.postMessage({ channel: CHANNEL, text: 'card' });
    const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256));
    const { fileId } = await gateway.uploadFile({ channel: CHANNEL, threadTs: parent, filename: 'voice.ogg', data, initialComment: 'Voice note', username: 'Maria' });
    expect(emulator.callsTo('files.completeUploadExternal')[0]?.params).toMatchObject({ files: [{ id: fileId, title: 'voice.ogg' }], channel_id: CHANNEL, thread_ts: parent, initial_comment: 'Voice note', username: 'Maria' });
    expect(await gateway.isFileShared({ fileId, channel: CHANNEL })).toBe(true);
    const url = (emulator.thread(CHANNEL, parent)[1]?.files?.[0] as { url_private_download: string }).url_private_download;
    expect(await gateway.downloadFile(url)).toEqual(data);
  });

  it('rejects the HTML sign-in page Slack serves instead of the file', async () => {
    await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'doc', files: [{ name: 'a.pdf', data: 'pdf' }] });
    const url = (emulator.messages(CHANNEL)[0]?.files?.[0] as { url_private_download: string }).url_private_download;
    const otherToken = createSlackGateway({ token: 'xoxb-no-files-read', apiUrl: emulator.apiUrl, logger });
    const error = await otherToken.downloadFile(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackPermanentError);
    expect(error).toMatchObject({ method: 'files.download', code: 'file_not_accessible' });
  });

  it('names the file of an uncertain share so the caller can check whether it landed', async () => {
    const { ts: parent } = await gateway.postMessage({ channel: CHANNEL, text: 'card' });
    emulator.injectFault({ method: 'files.completeUploadExternal', kind: 'reset', afterEffect: true });
    const error = await gateway.uploadFile({ channel: CHANNEL, threadTs: parent, filename: 'a.txt', data: Buffer.from('abc') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackUploadUncertainError);
    expect(await gateway.isFileShared({ fileId: (error as SlackUploadUncertainError).fileId, channel: CHANNEL })).toBe(true);
  });

  it('reports a file that is not shared yet', async () => {
    emulator.injectFault({ method: 'files.completeUploadExternal', kind: 'http_503' });
    const error = (await gateway.uploadFile({ channel: CHANNEL, threadTs: '1.000000', filename: 'a.txt', data: Buffer.from('abc') }).catch((e: unknown) => e)) as SlackUploadUncertainError;
    expect(await gateway.isFileShared({ fileId: error.fileId, channel: CHANNEL })).toBe(false);
  });
});
