import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';
import { createLogger } from '../../src/logger';
import { createSlackGateway } from '../../src/slack/web-api-gateway';
import { callSlackApi } from '../helpers/slack-api-call';
import { type RecordingReceiver, startRecordingReceiver } from '../helpers/slack-recording-receiver';

/** Who is in which channel: conversations.members, users.conversations (both paged), and join/leave events. */

const OPEN = 'C0OPEN0001';
const SALES = 'C0SALES001';
const SECRET = 'G0SECRET01';
const HIDDEN = 'G0HIDDEN01';
let emulator: SlackEmulator;
let receiver: RecordingReceiver;
const api = (method: string, params: Record<string, unknown>) => callSlackApi(emulator.apiUrl, method, params, { token: emulator.token });

beforeAll(async () => {
  receiver = await startRecordingReceiver();
  emulator = await startSlackEmulator({
    appUrl: receiver.url,
    channels: [
      { id: OPEN, name: 'open' },
      { id: SALES, name: 'sales', members: ['U0ANA'] },
      { id: SECRET, name: 'secret', isPrivate: true, members: ['U0ANA', 'U0BRUNO'] },
      { id: HIDDEN, name: 'hidden', isPrivate: true, members: ['U0ANA'], botIsMember: false },
    ],
  });
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(() => {
  emulator.reset();
  receiver.received.length = 0;
});

describe('conversations.members', () => {
  it('lists the people and the bot; a channel seeded without members has everyone, people added later too', async () => {
    expect((await api('conversations.members', { channel: SALES })).body).toMatchObject({ ok: true, members: ['U0ANA', emulator.botUserId] });
    emulator.addUser({ id: 'U0DORA', name: 'dora' });
    const open = await api('conversations.members', { channel: OPEN });
    expect(open.body.members).toEqual(['U0ANA', 'U0BRUNO', 'U0CARLA', 'U0DORA', emulator.botUserId]);
  });

  it('pages with a cursor until next_cursor is empty, and refuses bad limits and cursors', async () => {
    const first = await api('conversations.members', { channel: OPEN, limit: 2 });
    expect(first.body.members).toEqual(['U0ANA', 'U0BRUNO']);
    const cursor = (first.body.response_metadata as { next_cursor: string }).next_cursor;
    const second = await api('conversations.members', { channel: OPEN, limit: 2, cursor });
    expect(second.body.members).toEqual(['U0CARLA', emulator.botUserId]);
    expect((second.body.response_metadata as { next_cursor: string }).next_cursor).toBe('');
    expect((await api('conversations.members', { channel: OPEN, limit: 0 })).body).toMatchObject({ ok: false, error: 'invalid_limit' });
    expect((await api('conversations.members', { channel: OPEN, cursor: 'bm9wZQ==' })).body).toMatchObject({ ok: false, error: 'invalid_cursor' });
  });

  it('does not show a private channel the bot is not in', async () => {
    expect((await api('conversations.members', { channel: HIDDEN })).body).toMatchObject({ ok: false, error: 'channel_not_found' });
  });
});

describe('users.conversations', () => {
  it('public channels only by default; private ones when asked, where the bot is too', async () => {
    const publicOnly = await api('users.conversations', { user: 'U0ANA' });
    expect((publicOnly.body.channels as { id: string }[]).map((c) => c.id)).toEqual([OPEN, SALES]);
    const both = await api('users.conversations', { user: 'U0ANA', types: 'public_channel,private_channel' });
    expect((both.body.channels as { id: string }[]).map((c) => c.id)).toEqual([OPEN, SALES, SECRET]);
    expect(both.body.channels).toEqual(expect.arrayContaining([expect.not.objectContaining({ is_member: expect.anything() })]));
  });

  it('pages, and refuses an unknown person or type', async () => {
    const first = await api('users.conversations', { user: 'U0ANA', types: 'public_channel,private_channel', limit: 2 });
    expect((first.body.channels as { id: string }[]).map((c) => c.id)).toEqual([OPEN, SALES]);
    const cursor = (first.body.response_metadata as { next_cursor: string }).next_cursor;
    const rest = await api('users.conversations', { user: 'U0ANA', types: 'public_channel,private_channel', limit: 2, cursor });
    expect((rest.body.channels as { id: string }[]).map((c) => c.id)).toEqual([SECRET]);
    expect((await api('users.conversations', { user: 'U0NOBODY' })).body).toMatchObject({ ok: false, error: 'user_not_found' });
    expect((await api('users.conversations', { user: 'U0ANA', types: 'dm' })).body).toMatchObject({ ok: false, error: 'invalid_types' });
    expect((await api('users.conversations', { user: 'U0ANA', limit: 1000 })).body).toMatchObject({ ok: false, error: 'invalid_limit' });
  });

  it("the gateway reads every page and lists a person's public and private channels", async () => {
    for (let i = 0; i < 450; i++) emulator.addChannel({ id: `C0BULK${String(i).padStart(4, '0')}`, name: `bulk-${i}`, members: ['U0CARLA'] });
    const gateway = createSlackGateway({ token: emulator.token, apiUrl: emulator.apiUrl, logger: createLogger({ level: 'silent' }) });
    const channels = await gateway.listUserChannels('U0CARLA');
    expect(channels).toHaveLength(451);
    expect(channels).toContain(OPEN);
    expect(emulator.callsTo('users.conversations')).toHaveLength(3);
    expect(emulator.callsTo('users.conversations')[0]?.params).toMatchObject({ user: 'U0CARLA', types: 'public_channel,private_channel', limit: '200', exclude_archived: 'true' });
  });
});

describe('joining and leaving', () => {
  it('changes membership and tells the app with member_joined_channel / member_left_channel', async () => {
    const joined = await emulator.joinChannel({ user: 'U0BRUNO', channel: SALES, inviter: 'U0ANA' });
    expect(joined?.response.status).toBe(200);
    expect(emulator.membersOf(SALES)).toEqual(['U0ANA', 'U0BRUNO']);
    const left = await emulator.leaveChannel({ user: 'U0BRUNO', channel: SECRET });
    expect(left).toBeDefined();
    const events = receiver.received.map((r) => (JSON.parse(r.rawBody) as { event: Record<string, unknown> }).event);
    expect(events).toEqual([
      expect.objectContaining({ type: 'member_joined_channel', user: 'U0BRUNO', channel: SALES, channel_type: 'C', inviter: 'U0ANA', team: emulator.teamId }),
      expect.objectContaining({ type: 'member_left_channel', user: 'U0BRUNO', channel: SECRET, channel_type: 'G' }),
    ]);
  });

  it('sends nothing when nothing changed, or when the bot is not in the channel to hear it', async () => {
    expect(await emulator.joinChannel({ user: 'U0ANA', channel: SALES })).toBeUndefined();
    expect(await emulator.leaveChannel({ user: 'U0CARLA', channel: SALES })).toBeUndefined();
    expect(await emulator.joinChannel({ user: 'U0BRUNO', channel: HIDDEN })).toBeUndefined();
    expect(emulator.membersOf(HIDDEN)).toEqual(['U0ANA', 'U0BRUNO']);
    expect(receiver.received).toEqual([]);
  });

  it('an ephemeral reaches only someone in the channel (user_not_in_channel otherwise)', async () => {
    expect((await api('chat.postEphemeral', { channel: SALES, user: 'U0BRUNO', text: 'psst' })).body).toMatchObject({ ok: false, error: 'user_not_in_channel' });
    expect((await api('chat.postEphemeral', { channel: SALES, user: 'U0ANA', text: 'psst' })).body).toMatchObject({ ok: true });
  });

  it('reset brings the seeded membership back', async () => {
    await emulator.joinChannel({ user: 'U0CARLA', channel: SALES });
    emulator.reset();
    expect(emulator.membersOf(SALES)).toEqual(['U0ANA']);
  });
});
