import { ManualClock } from '../../src/clock';
import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';
import { callSlackApi } from '../helpers/slack-api-call';
import { parseInteractionPayload, type RecordingReceiver, startRecordingReceiver } from '../helpers/slack-recording-receiver';

const CHANNEL = 'C0CLICKS01';
const clock = new ManualClock('2026-11-24T10:00:00Z');
let emulator: SlackEmulator;
let receiver: RecordingReceiver;

const api = (method: string, params: Record<string, unknown>) => callSlackApi(emulator.apiUrl, method, params, { token: emulator.token });
const lastPayload = () => {
  const request = receiver.received[receiver.received.length - 1];
  if (!request) throw new Error('the app received nothing');
  return parseInteractionPayload(request);
};

const CARD_BLOCKS = [
  { type: 'section', block_id: 'card:7:1:text', text: { type: 'mrkdwn', text: 'New conversation' } },
  {
    type: 'actions',
    block_id: 'card:7:1',
    elements: [
      { type: 'button', action_id: 'conversation_claim', text: { type: 'plain_text', text: 'Claim' }, value: '7' },
      { type: 'users_select', action_id: 'conversation_reassign', placeholder: { type: 'plain_text', text: 'Assign' } },
    ],
  },
];

const MODAL = {
  type: 'modal',
  callback_id: 'handoff_modal',
  private_metadata: '7',
  title: { type: 'plain_text', text: 'Hand off' },
  submit: { type: 'plain_text', text: 'Hand off' },
  blocks: [
    { type: 'input', block_id: 'to', label: { type: 'plain_text', text: 'To' }, element: { type: 'users_select', action_id: 'user' } },
    { type: 'input', block_id: 'note', label: { type: 'plain_text', text: 'Note' }, element: { type: 'plain_text_input', action_id: 'text' } },
    {
      type: 'input',
      block_id: 'urgency',
      label: { type: 'plain_text', text: 'Urgency' },
      element: { type: 'static_select', action_id: 'level', options: [{ text: { type: 'plain_text', text: 'High' }, value: 'high' }] },
    },
  ],
};

async function postCard(): Promise<string> {
  return (await api('chat.postMessage', { channel: CHANNEL, text: 'New conversation', blocks: CARD_BLOCKS })).body.ts as string;
}

beforeAll(async () => {
  receiver = await startRecordingReceiver();
  emulator = await startSlackEmulator({ channels: [CHANNEL], clock });
  emulator.setAppUrl(receiver.url);
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

describe('simulated people: buttons and selects', () => {
  it('sends block_actions with the block_id and value taken from the clicked message', async () => {
    const ts = await postCard();
    const result = await emulator.clickButton({ user: 'U0ANA', channel: CHANNEL, messageTs: ts, actionId: 'conversation_claim' });
    const payload = lastPayload();
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ANA', username: 'ana', team_id: emulator.teamId },
      team: { id: emulator.teamId },
      api_app_id: emulator.apiAppId,
      trigger_id: result.triggerId,
      response_url: result.responseUrl,
      container: { type: 'message', message_ts: ts, channel_id: CHANNEL, is_ephemeral: false },
      channel: { id: CHANNEL },
      message: { ts, blocks: CARD_BLOCKS },
      actions: [{ type: 'button', action_id: 'conversation_claim', block_id: 'card:7:1', value: '7', action_ts: expect.any(String) }],
    });
    expect(result.responseUrl?.startsWith(emulator.baseUrl)).toBe(true);
  });

  it('sends a users_select action with the selected user', async () => {
    const ts = await postCard();
    await emulator.selectUser({ user: 'U0ANA', channel: CHANNEL, messageTs: ts, actionId: 'conversation_reassign', selectedUser: 'U0CARLA' });
    expect(lastPayload().actions).toEqual([expect.objectContaining({ type: 'users_select', block_id: 'card:7:1', selected_user: 'U0CARLA' })]);
  });

  it('refuses to click an action the message does not have', async () => {
    const ts = await postCard();
    await expect(emulator.clickButton({ user: 'U0ANA', channel: CHANNEL, messageTs: ts, actionId: 'nope' })).rejects.toThrow(/no element/);
  });

  it('applies respond() posts: replace_original edits the message, the default is an ephemeral', async () => {
    const ts = await postCard();
    const { responseUrl } = await emulator.clickButton({ user: 'U0ANA', channel: CHANNEL, messageTs: ts, actionId: 'conversation_claim' });
    const respond = (body: unknown) => fetch(responseUrl ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await respond({ replace_original: true, text: 'Claimed by Ana' })).status).toBe(200);
    await respond({ text: 'only for you' });
    expect(emulator.message(CHANNEL, ts)).toMatchObject({ text: 'Claimed by Ana' });
    expect(emulator.message(CHANNEL, ts)?.blocks).toBeUndefined();
    expect(emulator.ephemerals).toEqual([expect.objectContaining({ user: 'U0ANA', text: 'only for you', via: 'response_url' })]);
    expect(emulator.responses.map((r) => r.body.text)).toEqual(['Claimed by Ana', 'only for you']);
  });
});

describe('simulated people: trigger ids and modals', () => {
  it('lets a trigger id open one modal, once, within 3 seconds', async () => {
    const ts = await postCard();
    const first = await emulator.clickButton({ user: 'U0ANA', channel: CHANNEL, messageTs: ts, actionId: 'conversation_claim' });
    const opened = await api('views.open', { trigger_id: first.triggerId, view: MODAL });
    expect(opened.body).toMatchObject({ ok: true, view: { id: expect.stringMatching(/^V/), callback_id: 'handoff_modal', hash: expect.any(String) } });
    expect((await api('views.open', { trigger_id: first.triggerId, view: MODAL })).body.error).toBe('exchanged_trigger_id');
    const late = await emulator.clickButton({ user: 'U0ANA', channel: CHANNEL, messageTs: ts, actionId: 'conversation_claim' });
    clock.advance(3001);
    expect((await api('views.open', { trigger_id: late.triggerId, view: MODAL })).body.error).toBe('expired_trigger_id');
    expect((await api('views.open', { trigger_id: '123.456.abc', view: MODAL })).body.error).toBe('invalid_trigger_id');
  });

  it('stacks at most two pushed views on an open modal', async () => {
    const trigger = async () => (await emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/handoff', text: '' })).triggerId;
    const simple = { type: 'modal', title: { type: 'plain_text', text: 'Step' }, blocks: [] };
    expect((await api('views.open', { trigger_id: await trigger(), view: simple })).body.ok).toBe(true);
    expect((await api('views.push', { trigger_id: await trigger(), view: simple })).body.ok).toBe(true);
    const second = await api('views.push', { trigger_id: await trigger(), view: simple });
    expect((await api('views.push', { trigger_id: await trigger(), view: simple })).body.error).toBe('push_limit_reached');
    expect(emulator.openModal('U0ANA')?.id).toBe((second.body.view as { id: string }).id);
  });

  it('refuses a modal over Slack’s limits before using the trigger', async () => {
    const { triggerId } = await emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/queue', text: '' });
    const tooLongTitle = { ...MODAL, title: { type: 'plain_text', text: 'A title far longer than the limit' } };
    expect((await api('views.open', { trigger_id: triggerId, view: tooLongTitle })).body.error).toBe('invalid_arguments');
    expect((await api('views.open', { trigger_id: triggerId, view: MODAL })).body.ok).toBe(true);
  });

  it('submits state values shaped like Slack’s and closes the modal on an empty ack', async () => {
    const { triggerId } = await emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/handoff', text: '' });
    const view = (await api('views.open', { trigger_id: triggerId, view: MODAL })).body.view as { id: string };
    await emulator.submitView({ user: 'U0ANA', view, values: { to: { user: 'U0BRUNO' }, note: { text: 'VIP' }, urgency: { level: 'high' } } });
    expect(lastPayload()).toMatchObject({
      type: 'view_submission',
      user: { id: 'U0ANA' },
      view: {
        id: view.id,
        callback_id: 'handoff_modal',
        private_metadata: '7',
        state: {
          values: {
            to: { user: { type: 'users_select', selected_user: 'U0BRUNO' } },
            note: { text: { type: 'plain_text_input', value: 'VIP' } },
            urgency: { level: { type: 'static_select', selected_option: { value: 'high', text: { type: 'plain_text', text: 'High' } } } },
          },
        },
      },
    });
    expect(emulator.openModal('U0ANA')).toBeUndefined();
  });

  it('keeps the modal open when the ack carries errors', async () => {
    const { triggerId } = await emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/handoff', text: '' });
    const view = (await api('views.open', { trigger_id: triggerId, view: MODAL })).body.view as { id: string };
    receiver.answerWith({ status: 200, json: { response_action: 'errors', errors: { to: 'Pick someone on shift' } } });
    const result = await emulator.submitView({ user: 'U0ANA', view, values: { to: { user: 'U0ANA' } } });
    expect(result.json).toEqual({ response_action: 'errors', errors: { to: 'Pick someone on shift' } });
    expect(emulator.openModal('U0ANA')?.id).toBe(view.id);
  });

  it('carries a file_input as Slack does: the uploaded files, downloadable with the bot token only', async () => {
    const { triggerId } = await emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/handoff', text: '' });
    const upload = {
      type: 'input',
      block_id: 'header',
      label: { type: 'plain_text', text: 'Image' },
      element: { type: 'file_input', action_id: 'file', filetypes: ['png'], max_files: 1 },
    };
    const tooMany = { ...MODAL, blocks: [{ ...upload, element: { ...upload.element, max_files: 11 } }] };
    expect((await api('views.open', { trigger_id: triggerId, view: tooMany })).body.error).toBe('invalid_arguments');
    const view = (await api('views.open', { trigger_id: triggerId, view: { ...MODAL, blocks: [upload] } })).body.view as { id: string };
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const { fileId } = emulator.uploadForFileInput({ user: 'U0ANA', name: 'sale.png', data: png });
    await emulator.submitView({ user: 'U0ANA', view, values: { header: { file: [fileId] } } });
    const state = (lastPayload() as { view: { state: { values: Record<string, Record<string, { type: string; files: Record<string, unknown>[] }>> } } }).view.state.values;
    const file = state.header?.file?.files[0];
    expect(state.header?.file?.type).toBe('file_input');
    expect(file).toMatchObject({ id: fileId, name: 'sale.png', mimetype: 'image/png', size: png.length, user: 'U0ANA', url_private: expect.stringContaining(emulator.baseUrl) });
    const url = String(file?.url_private_download);
    const withToken = await fetch(url, { headers: { authorization: `Bearer ${emulator.token}` } });
    expect(Buffer.from(await withToken.arrayBuffer())).toEqual(png);
    emulator.setGrantedScopes(['chat:write']);
    const noScope = await fetch(url, { headers: { authorization: `Bearer ${emulator.token}` } });
    expect(noScope.headers.get('content-type')).toMatch(/^text\/html/);
    // Someone else's upload is not theirs to submit.
    const other = emulator.uploadForFileInput({ user: 'U0BRUNO', name: 'x.png', data: png });
    const { triggerId: again } = await emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/handoff', text: '' });
    const second = (await api('views.open', { trigger_id: again, view: { ...MODAL, blocks: [upload] } })).body.view as { id: string };
    await expect(emulator.submitView({ user: 'U0ANA', view: second, values: { header: { file: [other.fileId] } } })).rejects.toThrow(/no uploaded file/);
  });

  it('refuses values for inputs the view does not have', async () => {
    const { triggerId } = await emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/handoff', text: '' });
    const view = (await api('views.open', { trigger_id: triggerId, view: MODAL })).body.view as { id: string };
    await expect(emulator.submitView({ user: 'U0ANA', view, values: { missing: { x: 'y' } } })).rejects.toThrow(/no input block missing/);
  });
});

describe('simulated people: slash commands', () => {
  it('sends the form fields Slack sends and returns the ack body', async () => {
    receiver.answerWith({ status: 200, json: { response_type: 'ephemeral', text: '3 waiting' } });
    const result = await emulator.runSlashCommand({ user: 'U0BRUNO', channel: CHANNEL, command: '/queue', text: 'mine' });
    const form = new URLSearchParams(receiver.received[0]?.rawBody);
    expect(Object.fromEntries(form)).toMatchObject({
      team_id: emulator.teamId,
      channel_id: CHANNEL,
      user_id: 'U0BRUNO',
      user_name: 'bruno',
      command: '/queue',
      text: 'mine',
      api_app_id: emulator.apiAppId,
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
    });
    expect(form.has('thread_ts')).toBe(false);
    expect([result.status, result.json]).toEqual([200, { response_type: 'ephemeral', text: '3 waiting' }]);
  });
});
