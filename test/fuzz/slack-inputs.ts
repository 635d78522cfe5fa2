import fc from 'fast-check';
import { HandoffModalIds } from '../../blocks/handoff-modal';
import { SavedReplyModalIds } from '../../blocks/saved-reply-modal';
import { TemplateModalIds } from '../../blocks/template-modal';
import { ActionIds, CallbackIds } from '../../src/ids';
import { type Json, nastyString, ref, secretWord, shortNastyString, validIsh } from './nasty-values';

/**
 * Everything Slack can send to /slack/events (slack.md §2–§4), as generated inputs: Events API callbacks, every
 * block action the app registers, every view and shortcut callback, slash commands with any text, and the kinds the
 * app does not take (global shortcuts, block_suggestion, legacy attachments). Ids of real conversations, cards and
 * messages come in as `@@name:n` placeholders the rig fills in when it sends them.
 */

export type SlackInput =
  | { surface: 'event'; kind: string; body: Json }
  | { surface: 'interaction'; kind: string; payload: Json }
  | { surface: 'command'; kind: string; fields: Json }
  | { surface: 'other'; kind: string; contentType: 'application/json' | 'application/x-www-form-urlencoded'; body: string };

/** The people: an admin (ADMIN_USER_IDS), two agents, a stranger, the bot itself, an enterprise id. */
const knownUser = fc.constantFrom('U0ANA', 'U0BRUNO', 'U0CARLA', 'U0NOBODY', '@@bot:0', 'W0ENTERPR1SE');
const user = fc.oneof({ arbitrary: knownUser, weight: 9 }, { arbitrary: nastyString, weight: 1 });
const channel = fc.oneof({ arbitrary: ref('chan'), weight: 9 }, { arbitrary: shortNastyString, weight: 1 });
/** A card's ts (a conversation thread), a fresh ts, or one of nobody's. */
const ts = fc.oneof({ arbitrary: ref('card'), weight: 3 }, { arbitrary: ref('ts', 1_000_000), weight: 3 }, { arbitrary: fc.constantFrom('1.1', '9999999999.999999', '0'), weight: 1 });
const convId = fc.oneof({ arbitrary: ref('conv'), weight: 8 }, { arbitrary: fc.constantFrom('0', '-1', '2147483648', '99999999999', '1e3', ' 1'), weight: 1 });
const msgId = fc.oneof({ arbitrary: ref('msg'), weight: 8 }, { arbitrary: fc.constantFrom('0', '9007199254740993', '1.5'), weight: 1 });

/** What agents write in threads: replies, notes, mentions, each with a secret word the logs must not show. */
const agentText = fc
  .tuple(fc.constantFrom('', 'note: ', 'PRIVATE: ', '<@U0BRUNO> ', '<!here> ', '*bold* '), secretWord, nastyString)
  .map(([prefix, word, rest]) => `${prefix}${word} ${rest}`);

const file = fc
  .tuple(fc.constantFrom('@@file:0', 'https://attacker.invalid/x.png', 'not a url', ''), fc.oneof(fc.nat(), fc.constant(-1), fc.constant(200_000_000)))
  .map(([url, size]) => ({ id: 'F0FUZZ01', name: 'photo.png', mimetype: 'image/png', size, url_private: url, url_private_download: url }));

const inner = fc.tuple(ts, user, agentText, ts).map(([t, u, text, thread]) => ({ ts: t, user: u, text, thread_ts: thread }));

const messageEvent: fc.Arbitrary<Json> = fc
  .tuple(fc.constantFrom(undefined, 'thread_broadcast', 'file_share', 'message_changed', 'message_deleted', 'bot_message', 'channel_join', 'me_message'), channel, user, agentText, ts, ts, fc.array(file, { maxLength: 2 }), inner, inner)
  .map(([subtype, ch, u, text, t, thread, files, message, previous]) => {
    const base: Record<string, Json> = { type: 'message', channel: ch, channel_type: 'channel', event_ts: t };
    switch (subtype) {
      case 'message_changed':
        return { ...base, subtype, hidden: true, ts: t, message, previous_message: previous };
      case 'message_deleted':
        return { ...base, subtype, hidden: true, ts: t, deleted_ts: previous.ts, previous_message: previous };
      case 'bot_message':
        return { ...base, subtype, bot_id: 'B0OTHER1', text, ts: t, thread_ts: thread };
      default:
        return { ...base, ...(subtype ? { subtype } : {}), user: u, text, ts: t, thread_ts: thread, ...(subtype === 'file_share' ? { files } : {}) };
    }
  });

const otherEvent: fc.Arbitrary<Json> = fc.oneof(
  fc.tuple(user, channel, agentText, ts).map(([u, ch, text, t]) => ({ type: 'app_mention', user: u, text: `<@@@bot:0> ${text}`, channel: ch, ts: t, event_ts: t })),
  fc.tuple(user, fc.oneof(fc.constantFrom('home', 'messages'), shortNastyString)).map(([u, tab]) => ({ type: 'app_home_opened', user: u, channel: 'D0000001', tab, event_ts: '1.1' })),
  fc
    .tuple(fc.constantFrom('member_joined_channel', 'member_left_channel'), user, channel)
    .map(([type, u, ch]) => ({ type, user: u, channel: ch, channel_type: 'C', team: '@@team:0', inviter: 'U0ANA', event_ts: '1.1' })),
  fc
    .tuple(fc.constantFrom('reaction_added', 'reaction_removed'), user, fc.oneof(fc.constantFrom('eyes', 'white_check_mark', '+1::skin-tone-2'), shortNastyString), channel, ts)
    .map(([type, u, reaction, ch, t]) => ({ type, user: u, reaction, item: { type: 'message', channel: ch, ts: t }, item_user: 'U0BOT00001', event_ts: t })),
  fc.constantFrom<Json>(
    { type: 'app_uninstalled' },
    { type: 'tokens_revoked', tokens: { oauth: ['U0ANA'], bot: ['U0BOT00001'] } },
    { type: 'user_change', user: { id: 'U0ANA', name: 'ana', deleted: true } },
    { type: 'team_join', user: { id: 'U0NEWBIE1', name: 'new' } },
    { type: 'channel_rename', channel: { id: 'C0FUZZ', name: 'renamed' } },
    { type: 'channel_archive', channel: 'C0FUZZ', user: 'U0ANA' },
    { type: 'link_shared', links: [{ url: 'https://x.invalid', domain: 'x.invalid' }] },
  ),
  shortNastyString.map((type) => ({ type, user: 'U0ANA' })),
);

const eventId = fc.oneof({ arbitrary: fc.stringMatching(/^Ev0FZ[A-Z0-9]{10}$/), weight: 9 }, { arbitrary: fc.constant('Ev0FZREPEATED'), weight: 1 });

function envelope(event: Json, id: string): Json {
  return {
    token: 'emulator-verification-token',
    team_id: '@@team:0',
    api_app_id: '@@app:0',
    event,
    type: 'event_callback',
    event_id: id,
    event_time: 1_700_000_000,
    authorizations: [{ enterprise_id: null, team_id: '@@team:0', user_id: '@@bot:0', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

const eventKind = (body: Json): string => {
  const event = (body as { event?: { type?: unknown; subtype?: unknown } } | null)?.event;
  const type = typeof event?.type === 'string' ? event.type.slice(0, 30) : 'junk';
  return typeof event?.subtype === 'string' && type === 'message' ? `message/${event.subtype.slice(0, 20)}` : type;
};

export const slackEvent: fc.Arbitrary<SlackInput> = fc
  .tuple(validIsh(fc.tuple(fc.oneof({ arbitrary: messageEvent, weight: 2 }, { arbitrary: otherEvent, weight: 1 }), eventId).map(([event, id]) => envelope(event, id))))
  .map(([body]) => ({ surface: 'event', kind: eventKind(body), body }));

// Interactivity (slack.md §4): payload=<json>, form-encoded.

const userObject = (id: string): Json => ({ id, username: 'ana', name: 'ana', team_id: '@@team:0' });

const buttonAction = (actionId: string, value: fc.Arbitrary<string>) =>
  fc.tuple(value, fc.oneof(fc.constant('b1'), convId.map((c) => `card:${c}:1`))).map(([v, blockId]) => ({ action_id: actionId, block_id: blockId, type: 'button', value: v, action_ts: '1.1' }));
const usersSelect = (actionId: string, blockId: fc.Arbitrary<string>) =>
  fc.tuple(user, blockId).map(([selected, b]) => ({ action_id: actionId, block_id: b, type: 'users_select', selected_user: selected, action_ts: '1.1' }));

const templateMetadata = fc.tuple(convId, ref('tpl')).map(([c, t]) => `{"c":${c},"t":${t}}`);
const templateState = fc.tuple(ref('tpl'), agentText).map(([t, value]) => ({
  values: {
    [TemplateModalIds.pickBlock]: { [ActionIds.templatePick]: { type: 'static_select', selected_option: { value: t } } },
    [`tpl_field:${t}:body_1`]: { [ActionIds.templateValue]: { type: 'plain_text_input', value } },
  },
}));
const savedReplyState = ref('reply').map((r) => ({ values: { [SavedReplyModalIds.pickBlock]: { [ActionIds.savedReplyPick]: { type: 'static_select', selected_option: { value: r } } } } }));
const handoffMetadata = fc.tuple(user, convId, fc.oneof(user, fc.constant(null)), fc.boolean()).map(([from, c, owner, single]) => `{"v":1,"f":${JSON.stringify(from)},"c":[[${c},${JSON.stringify(owner)}]],"s":${single}}`);
const handoffState = fc.tuple(fc.constantFrom('user', 'pool', 'channel', 'x'), user, channel, convId, agentText).map(([kind, target, ch, c, note]) => ({
  values: {
    [HandoffModalIds.targetKindBlock]: { [HandoffModalIds.action]: { type: 'radio_buttons', selected_option: { value: kind } } },
    [HandoffModalIds.targetUserBlock]: { [HandoffModalIds.action]: { type: 'users_select', selected_user: target } },
    [HandoffModalIds.targetChannelBlock]: { [HandoffModalIds.action]: { type: 'conversations_select', selected_conversation: ch } },
    [`handoff_include:${c}`]: { [HandoffModalIds.action]: { type: 'checkboxes', selected_options: [{ value: HandoffModalIds.includeValue }] } },
    [`handoff_note:${c}`]: { [HandoffModalIds.action]: { type: 'plain_text_input', value: note } },
  },
}));

/** A modal as Slack sends it back: our callback id, its private_metadata and its state. */
const modalView = fc.oneof(
  fc.tuple(templateMetadata, templateState).map(([metadata, state]) => ({ callback_id: CallbackIds.templateModal, private_metadata: metadata, state })),
  fc.tuple(convId, savedReplyState).map(([c, state]) => ({ callback_id: CallbackIds.savedReplyModal, private_metadata: c, state })),
  fc.tuple(handoffMetadata, handoffState).map(([metadata, state]) => ({ callback_id: CallbackIds.handoffModal, private_metadata: metadata, state })),
  fc.tuple(fc.constantFrom(CallbackIds.handoffShortcut, CallbackIds.templateShortcut, CallbackIds.savedReplyShortcut, 'not_ours'), nastyString).map(([callback, metadata]) => ({ callback_id: callback, private_metadata: metadata, state: { values: {} } })),
);
const view = fc.tuple(ref('view'), modalView).map(([id, v]) => ({ id, type: 'modal', team_id: '@@team:0', hash: '1.abc', ...v }));

/** One valid-ish action for every action id the app registers (src/ids.ts ActionIds). */
const blockAction = fc.oneof(
  ...[ActionIds.claim, ActionIds.resolve, ActionIds.handoff, ActionIds.queueClaim, ActionIds.sendTemplate].map((id) => buttonAction(id, convId)),
  usersSelect(ActionIds.reassign, convId.map((c) => `card:${c}:1`)),
  ...[ActionIds.takeOverAndSend, ActionIds.keepAsNote, ActionIds.resend].map((id) => buttonAction(id, msgId)),
  buttonAction(ActionIds.homeShiftToggle, fc.oneof(fc.constantFrom('on', 'off'), shortNastyString)),
  ...[ActionIds.homeMakeAgent, ActionIds.homeMakeManager, ActionIds.homeMakeAdmin].map((id) => buttonAction(id, user)),
  usersSelect(ActionIds.homeAddTeammate, fc.constant('home_team')),
  buttonAction(ActionIds.inboxRetry, fc.oneof(ref('inboxrow'), msgId)),
  ...[ActionIds.templatePick, ActionIds.templateValue, ActionIds.savedReplyPick].map((id) => ref('tpl').map((t) => ({ action_id: id, block_id: 'tpl_pick', type: 'static_select', selected_option: { value: t }, action_ts: '1.1' }))),
  shortNastyString.map((id) => ({ action_id: id, block_id: 'b', type: 'button', value: '1' })),
);

const blockActions = fc.tuple(user, channel, ts, ts, blockAction, fc.option(view, { nil: undefined }), fc.constantFrom('message', 'view', 'ephemeral')).map(([u, ch, cardTs, thread, action, v, containerType]) => ({
  type: 'block_actions',
  user: userObject(u),
  api_app_id: '@@app:0',
  token: 'emulator-verification-token',
  trigger_id: '@@trigger:0',
  team: { id: '@@team:0', domain: 'threadline-emulator' },
  enterprise: null,
  is_enterprise_install: false,
  response_url: '@@resp:0',
  container: containerType === 'view' ? { type: 'view', view_id: '@@view:0' } : { type: 'message', message_ts: cardTs, channel_id: ch, is_ephemeral: containerType === 'ephemeral' },
  ...(containerType === 'view' && v ? { view: v } : { channel: { id: ch, name: 'fuzz' }, message: { type: 'message', ts: cardTs, thread_ts: thread, user: '@@bot:0', text: 'card' } }),
  actions: [action],
}));

const viewPayload = fc.tuple(fc.constantFrom('view_submission', 'view_closed'), user, view, fc.boolean()).map(([type, u, v, cleared]) => ({
  type,
  team: { id: '@@team:0', domain: 'threadline-emulator' },
  user: userObject(u),
  api_app_id: '@@app:0',
  token: 'emulator-verification-token',
  trigger_id: '@@trigger:0',
  view: v,
  ...(type === 'view_closed' ? { is_cleared: cleared } : { response_urls: [] }),
}));

const messageShortcut = fc
  .tuple(fc.constantFrom(CallbackIds.handoffShortcut, CallbackIds.templateShortcut, CallbackIds.savedReplyShortcut), user, channel, ts, fc.option(ts, { nil: undefined }))
  .map(([callback, u, ch, t, thread]) => ({
    type: 'message_action',
    callback_id: callback,
    trigger_id: '@@trigger:0',
    response_url: '@@resp:0',
    user: userObject(u),
    team: { id: '@@team:0', domain: 'threadline-emulator' },
    channel: { id: ch, name: 'fuzz' },
    message_ts: t,
    message: { type: 'message', ts: t, ...(thread ? { thread_ts: thread } : {}), user: 'U0ANA', text: 'hi' },
  }));

/** Kinds the app does not register: answered and dropped, never a 404 after Bolt's 3 s. */
const unregistered = fc.oneof(
  fc.tuple(user, shortNastyString).map(([u, callback]) => ({ type: 'shortcut', callback_id: callback, trigger_id: '@@trigger:0', user: userObject(u), team: { id: '@@team:0' } })),
  fc.tuple(user, nastyString).map(([u, value]) => ({ type: 'block_suggestion', action_id: ActionIds.templatePick, block_id: 'tpl_pick', value, user: userObject(u), team: { id: '@@team:0' }, view: { id: 'V1', callback_id: CallbackIds.templateModal } })),
  fc.tuple(user, channel).map(([u, ch]) => ({ type: 'interactive_message', callback_id: 'legacy', actions: [{ name: 'x', value: 'y', type: 'button' }], user: userObject(u), channel: { id: ch }, team: { id: '@@team:0' } })),
  fc.tuple(user, channel).map(([u, ch]) => ({ type: 'dialog_submission', callback_id: 'legacy', submission: { a: 'b' }, user: userObject(u), channel: { id: ch }, team: { id: '@@team:0' } })),
);

const interactionKind = (payload: Json): string => {
  const p = payload as { type?: unknown; actions?: { action_id?: unknown }[]; view?: { callback_id?: unknown }; callback_id?: unknown } | null;
  const type = typeof p?.type === 'string' ? p.type.slice(0, 30) : 'junk';
  const detail = Array.isArray(p?.actions) ? p.actions[0]?.action_id : (p?.view?.callback_id ?? p?.callback_id);
  return typeof detail === 'string' ? `${type}/${detail.slice(0, 30)}` : type;
};

export const slackInteraction: fc.Arbitrary<SlackInput> = validIsh(
  fc.oneof({ arbitrary: blockActions, weight: 5 }, { arbitrary: viewPayload, weight: 3 }, { arbitrary: messageShortcut, weight: 2 }, { arbitrary: unregistered, weight: 1 }),
).map((payload) => ({ surface: 'interaction', kind: interactionKind(payload), payload }));

// Slash commands (slack.md §3): flat form fields, text as the person typed it (mentions escaped).

const mention = user.map((u) => `<@${u}|someone>`);
const commandText: Record<string, fc.Arbitrary<string>> = {
  '/queue': fc.oneof(fc.constantFrom('', 'mine', 'unassigned', 'all', 'digest', 'MINE  '), mention),
  '/handoff': fc.oneof(fc.constantFrom('', 'pool', '<#C0FUZZ|fuzz>', '<#C0NOPE|x>'), mention, fc.tuple(mention, mention).map(([a, b]) => `from ${a} to ${b}`)),
  '/shift': fc.constantFrom('', 'on', 'off', 'status', 'ON', 'of'),
  '/threadline': fc.oneof(
    fc.constantFrom('', 'help', 'inbox', 'inbox retry all', 'routing manual', 'routing round_robin', 'routing least-open', 'timeouts default', 'timeouts 5 30', 'timeouts 0 99999999', 'replies'),
    fc.tuple(mention, fc.constantFrom('agent', 'manager', 'admin', 'king')).map(([m, role]) => `role ${m} ${role}`),
    ref('inboxrow').map((id) => `inbox retry ${id}`),
    fc.tuple(secretWord, agentText).map(([title, body]) => `replies add ${title} | ${body}`),
    ref('reply').map((id) => `replies remove ${id}`),
  ),
};
const commandName = fc.constantFrom('/queue', '/handoff', '/shift', '/threadline');

const commandFields = fc
  .tuple(commandName, user, channel)
  .chain(([command, u, ch]) =>
    fc.tuple(fc.constant(command), fc.constant(u), fc.constant(ch), fc.oneof({ arbitrary: commandText[command] ?? fc.constant(''), weight: 4 }, { arbitrary: nastyString, weight: 1 })),
  )
  .map(([command, u, ch, text]) => ({
    token: 'emulator-verification-token',
    team_id: '@@team:0',
    team_domain: 'threadline-emulator',
    channel_id: ch,
    channel_name: 'fuzz',
    user_id: u,
    user_name: 'someone',
    command,
    text,
    api_app_id: '@@app:0',
    is_enterprise_install: 'false',
    response_url: '@@resp:0',
    trigger_id: '@@trigger:0',
  }));

export const slackCommand: fc.Arbitrary<SlackInput> = validIsh(commandFields).map((fields) => {
  const command = (fields as { command?: unknown } | null)?.command;
  return { surface: 'command', kind: typeof command === 'string' ? command.slice(0, 20) : 'junk', fields };
});

/** Bodies that are not events, interactions or commands: the URL check, rate-limit notices, SSL checks, junk. */
export const slackOther: fc.Arbitrary<SlackInput> = fc.oneof(
  fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{10,40}$/), nastyString).map(
    (challenge): SlackInput => ({ surface: 'other', kind: 'url_verification', contentType: 'application/json', body: JSON.stringify({ token: 'emulator-verification-token', challenge, type: 'url_verification' }) }),
  ),
  fc.constant<SlackInput>({ surface: 'other', kind: 'app_rate_limited', contentType: 'application/json', body: JSON.stringify({ token: 'x', type: 'app_rate_limited', team_id: '@@team:0', minute_rate_limited: 1_700_000_000, api_app_id: '@@app:0' }) }),
  fc.constant<SlackInput>({ surface: 'other', kind: 'ssl_check', contentType: 'application/x-www-form-urlencoded', body: 'ssl_check=1&token=emulator-verification-token' }),
  fc
    .tuple(fc.constantFrom<'application/json' | 'application/x-www-form-urlencoded'>('application/json', 'application/x-www-form-urlencoded'), fc.oneof(nastyString, fc.constantFrom('payload=%7B', 'payload=', 'payload=null', 'payload=[]', '{"type":"event_callback","event":"x"}', '@@deep:5000:a', 'payload=@@deep:5000:o')))
    .map(([contentType, body]): SlackInput => ({ surface: 'other', kind: 'junk body', contentType, body })),
);
