import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';
import { callSlackApi } from '../helpers/slack-api-call';

/** Posting where the bot is not a member: what Slack answers a bot token (slack.md §2.2, §3). */

const INVITED = 'C0INVITED1';
const OUTSIDE = 'C0OUTSIDE1';
const PRIVATE = 'G0PRIVATE1';
let emulator: SlackEmulator;
const api = (method: string, params: Record<string, unknown>) => callSlackApi(emulator.apiUrl, method, params, { token: emulator.token });

beforeAll(async () => {
  emulator = await startSlackEmulator({
    channels: [
      { id: INVITED, name: 'invited' },
      { id: OUTSIDE, name: 'outside', botIsMember: false },
      { id: PRIVATE, name: 'private', isPrivate: true, members: ['U0ANA'], botIsMember: false },
    ],
  });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
});

describe('chat.postMessage by a bot that is not in the channel', () => {
  it('posts in a public channel with chat:write.public (the manifest grants it)', async () => {
    expect((await api('chat.postMessage', { channel: OUTSIDE, text: 'hello' })).body).toMatchObject({ ok: true, channel: OUTSIDE });
    expect(emulator.messages(OUTSIDE)).toHaveLength(1);
  });

  it('is refused with not_in_channel in a public channel without chat:write.public', async () => {
    emulator.setGrantedScopes(['chat:write', 'channels:read']);
    expect((await api('chat.postMessage', { channel: OUTSIDE, text: 'hello' })).body).toMatchObject({ ok: false, error: 'not_in_channel' });
    expect((await api('chat.postMessage', { channel: INVITED, text: 'hello' })).body).toMatchObject({ ok: true });
    expect(emulator.messages(OUTSIDE)).toEqual([]);
  });

  it('cannot see a private channel it was not invited to, whatever its scopes', async () => {
    expect((await api('chat.postMessage', { channel: PRIVATE, text: 'hello' })).body).toMatchObject({ ok: false, error: 'channel_not_found' });
    expect(emulator.messages(PRIVATE)).toEqual([]);
  });
});

describe('chat.postEphemeral by a bot that is not in the channel', () => {
  it('is refused with not_in_channel in a public channel, even with chat:write.public', async () => {
    expect((await api('chat.postEphemeral', { channel: OUTSIDE, user: 'U0ANA', text: 'psst' })).body).toMatchObject({ ok: false, error: 'not_in_channel' });
    expect((await api('chat.postEphemeral', { channel: INVITED, user: 'U0ANA', text: 'psst' })).body).toMatchObject({ ok: true });
    expect(emulator.ephemerals.map((e) => e.channel)).toEqual([INVITED]);
  });

  it('answers channel_not_found in a private channel it was not invited to', async () => {
    expect((await api('chat.postEphemeral', { channel: PRIVATE, user: 'U0ANA', text: 'psst' })).body).toMatchObject({ ok: false, error: 'channel_not_found' });
  });
});
