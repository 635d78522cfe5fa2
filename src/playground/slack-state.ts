import type { SlackEmulator } from '../emulators/slack-emulator';
import type { StoredMessage, StoredView } from '../emulators/slack-types';
import { compareTs } from '../emulators/slack-workspace';
import manifest from '../../manifest.json';
import type { EphemeralView, SlackFileView, SlackMessageView, SlackState, ViewView } from './state-types';

/**
 * What the playground shows of the emulated Slack workspace: channels, every message with the Block Kit threadline
 * posted, ephemerals (the page shows each only to its user), modals, App Home tabs, and the app's commands and
 * shortcuts as its manifest declares them. Read from the emulator only, never from threadline.
 */

export const SLACK_COMMANDS: SlackState['commands'] = manifest.features.slash_commands.map((c) => ({
  command: c.command,
  description: c.description,
  usageHint: c.usage_hint,
  shouldEscape: c.should_escape,
}));

export const SLACK_SHORTCUTS: SlackState['shortcuts'] = manifest.features.shortcuts
  .filter((s) => s.type === 'message')
  .map((s) => ({ name: s.name, callbackId: s.callback_id, description: s.description }));

export const slackFileUrl = (fileId: string) => `/playground/api/slack-files/${encodeURIComponent(fileId)}`;

function toFileView(file: Record<string, unknown>): SlackFileView {
  const str = (key: string) => (typeof file[key] === 'string' ? (file[key] as string) : '');
  return { id: str('id'), name: str('name'), title: str('title'), mimetype: str('mimetype'), url: slackFileUrl(str('id')) };
}

function toMessageView(message: StoredMessage, botId: string): SlackMessageView {
  const threadTs = message.thread_ts !== undefined && message.thread_ts !== message.ts ? message.thread_ts : undefined;
  return {
    ts: message.ts,
    threadTs,
    user: message.user,
    isBot: message.bot_id === botId,
    username: message.username,
    iconEmoji: message.icons?.emoji,
    text: message.text,
    blocks: message.blocks,
    reactions: (message.reactions ?? []).map((r) => ({ name: r.name, users: [...r.users], count: r.count })),
    files: (message.files ?? []).map(toFileView),
    replyCount: message.reply_count ?? 0,
    // chat.update marks bot messages edited too, but Slack's clients only show "(edited)" on people's messages.
    edited: message.edited !== undefined && message.bot_id !== botId,
  };
}

function toViewView(view: StoredView): ViewView {
  return {
    id: view.id,
    type: view.type,
    callbackId: view.callback_id,
    title: view.title,
    submit: view.submit,
    close: view.close,
    blocks: view.blocks,
    hash: view.hash,
  };
}

/** `extraEphemerals`: answers the app gave in the HTTP ack (slash commands), which Slack shows as ephemerals too. */
export function buildSlackState(slack: SlackEmulator, extraEphemerals: readonly EphemeralView[]): SlackState {
  const users = slack.users().map((u) => ({
    id: u.id,
    name: u.name,
    displayName: u.displayName ?? u.realName ?? u.name,
    realName: u.realName ?? u.name,
    isBot: u.isBot === true,
  }));
  const channels = slack.channels().map((c) => ({ id: c.id, name: c.name, kind: c.isIm ? ('dm' as const) : ('channel' as const), user: c.user }));
  const messages: SlackState['messages'] = {};
  for (const channel of channels) messages[channel.id] = slack.messages(channel.id).map((m) => toMessageView(m, slack.botId));
  const ephemerals: EphemeralView[] = [
    ...slack.ephemerals.map((e) => ({ channel: e.channel, user: e.user, text: e.text, blocks: e.blocks, threadTs: e.thread_ts, ts: e.message_ts })),
    ...extraEphemerals,
  ].sort((a, b) => compareTs(a.ts, b.ts));
  const modals: SlackState['modals'] = {};
  const homes: SlackState['homes'] = {};
  for (const user of users) {
    const modal = slack.openModal(user.id);
    if (modal) modals[user.id] = toViewView(modal);
    const home = slack.homeView(user.id);
    if (home) homes[user.id] = toViewView(home);
  }
  return { botUserId: slack.botUserId, users, channels, messages, ephemerals, modals, homes, commands: SLACK_COMMANDS, shortcuts: SLACK_SHORTCUTS };
}
