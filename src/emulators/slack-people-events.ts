import { randomBytes, randomUUID } from 'node:crypto';
import { toApiView } from './slack-api-views';
import { sendToApp } from './slack-app-client';
import type { EmulatorCore } from './slack-emulator-core';
import { buildEventCallbackBody } from './slack-signing';
import type { AppResponse, StoredMessage } from './slack-types';
import { type EmulatedChannel, toApiMessage } from './slack-workspace';

/**
 * People doing things in Slack, delivered to our app as Events API callbacks (slack.md §2.1, §2.3): posting,
 * editing and deleting messages, opening the App Home, and Slack's redeliveries.
 */

export interface UserFile {
  name: string;
  data: Buffer | string;
  mimetype?: string;
  title?: string;
}

export interface UserPostArgs {
  user: string;
  channel: string;
  text: string;
  threadTs?: string;
  files?: UserFile[];
}

export interface EventDelivery {
  eventId: string;
  response: AppResponse;
}

function newEventId(): string {
  return `Ev0${randomBytes(5).toString('hex').toUpperCase()}`;
}

function channelType(channel: EmulatedChannel): string {
  if (channel.is_im) return 'im';
  return channel.is_private ? 'group' : 'channel';
}

/** What Slack clients attach to typed messages. */
function richTextBlocks(text: string): unknown[] {
  return [
    {
      type: 'rich_text',
      block_id: randomBytes(3).toString('base64url'),
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
    },
  ];
}

async function deliverEvent(core: EmulatorCore, event: Record<string, unknown>): Promise<EventDelivery> {
  const eventId = newEventId();
  const request = buildEventCallbackBody(core.sender, event, { eventId, eventTimeSec: core.workspace.nowSec() });
  core.eventBodies.set(eventId, request.body);
  const response = await sendToApp(core, 'event', request, { eventId });
  return { eventId, response };
}

/** Slack sends the same body again, with retry headers or, over Socket Mode, retry_attempt in the envelope (slack.md §2.1). */
export async function redeliverEvent(core: EmulatorCore, eventId: string, retryNum: number, reason = 'http_timeout'): Promise<AppResponse> {
  const body = core.eventBodies.get(eventId);
  if (body === undefined) throw new Error(`no event ${eventId} was delivered`);
  return sendToApp(core, 'event', { body, contentType: 'application/json' }, { retry: { attempt: retryNum, reason }, eventId });
}

function requireChannel(core: EmulatorCore, ref: string): EmulatedChannel {
  const channel = core.workspace.resolveChannel(ref);
  if (!channel) throw new Error(`unknown channel ${ref}`);
  return channel;
}

function requireUser(core: EmulatorCore, user: string): void {
  if (!core.workspace.users.has(user)) throw new Error(`unknown user ${user}`);
}

function eventOf(message: StoredMessage, channel: EmulatedChannel): Record<string, unknown> {
  return { ...toApiMessage(message, { includeMetadata: false }), channel: channel.id, event_ts: message.ts, channel_type: channelType(channel) };
}

/**
 * A person types a message (with files: a file_share) in a channel or thread; the app gets the message event. Slack
 * would not let someone outside the channel post there; the emulator does, to stand for a replayed or forged event
 * that the app must refuse.
 */
export async function simulateUserPost(core: EmulatorCore, args: UserPostArgs): Promise<EventDelivery & { ts: string }> {
  requireUser(core, args.user);
  const channel = requireChannel(core, args.channel);
  if (args.threadTs && !core.workspace.findParent(channel.id, args.threadTs)) throw new Error(`no thread ${args.threadTs} in ${channel.id}`);
  const files = (args.files ?? []).map((f) =>
    core.files.createUploaded({
      name: f.name,
      bytes: Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data),
      user: args.user,
      ...(f.mimetype ? { mimetype: f.mimetype } : {}),
      ...(f.title ? { title: f.title } : {}),
    }),
  );
  const message = core.workspace.appendMessage(channel, {
    user: args.user,
    text: args.text,
    client_msg_id: randomUUID(),
    team: core.workspace.identity.teamId,
    blocks: richTextBlocks(args.text),
    ...(args.threadTs ? { thread_ts: args.threadTs } : {}),
    ...(files.length > 0
      ? { subtype: 'file_share', upload: false, files: files.map((f) => core.files.toApiFile(f, { includeShares: false })) }
      : {}),
  });
  for (const file of files) {
    core.files.addShare(file, channel, { ts: message.ts, ...(args.threadTs ? { thread_ts: args.threadTs } : {}) });
  }
  const delivery = await deliverEvent(core, eventOf(message, channel));
  return { ts: message.ts, ...delivery };
}

function requireOwnMessage(core: EmulatorCore, args: { user: string; channel: string; ts: string }): { channel: EmulatedChannel; message: StoredMessage } {
  const channel = requireChannel(core, args.channel);
  const message = core.workspace.findMessage(channel.id, args.ts);
  if (!message) throw new Error(`no message ${args.ts} in ${channel.id}`);
  if (message.user !== args.user || message.bot_id) throw new Error(`message ${args.ts} was not written by ${args.user}`);
  return { channel, message };
}

/** message_changed: hidden, with the new `message` and the `previous_message` (slack.md §2.3). */
export async function simulateUserEdit(core: EmulatorCore, args: { user: string; channel: string; ts: string; text: string }): Promise<EventDelivery> {
  const { channel, message } = requireOwnMessage(core, args);
  const previous = toApiMessage(message, { includeMetadata: false });
  const eventTs = core.workspace.nextTs();
  message.text = args.text;
  message.blocks = richTextBlocks(args.text);
  message.edited = { user: args.user, ts: eventTs };
  return deliverEvent(core, {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: channel.id,
    channel_type: channelType(channel),
    ts: eventTs,
    event_ts: eventTs,
    message: toApiMessage(message, { includeMetadata: false }),
    previous_message: previous,
  });
}

/** message_deleted: hidden, with `deleted_ts` and the `previous_message` (slack.md §2.3). */
export async function simulateUserDelete(core: EmulatorCore, args: { user: string; channel: string; ts: string }): Promise<EventDelivery> {
  const { channel, message } = requireOwnMessage(core, args);
  const previous = toApiMessage(message, { includeMetadata: false });
  core.workspace.removeMessage(channel.id, message.ts);
  const eventTs = core.workspace.nextTs();
  return deliverEvent(core, {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: channel.id,
    channel_type: channelType(channel),
    ts: eventTs,
    event_ts: eventTs,
    deleted_ts: message.ts,
    previous_message: previous,
  });
}

export async function simulateAppHomeOpened(core: EmulatorCore, user: string): Promise<EventDelivery> {
  requireUser(core, user);
  const dm = core.workspace.openDm(user);
  const home = core.views.homeViewOf(user);
  return deliverEvent(core, {
    type: 'app_home_opened',
    user,
    channel: dm.id,
    tab: 'home',
    event_ts: core.workspace.nextTs(),
    ...(home ? { view: toApiView(home) } : {}),
  });
}

/** Real Slack tells the app about its own posts too; the app must ignore them (slack.md §2.4). Fire and forget. */
export function deliverBotMessageEvent(core: EmulatorCore, message: StoredMessage): void {
  if (!core.deliverBotMessageEvents || (!core.appUrl && !core.socket.isConnected())) return;
  const channel = core.workspace.channels.get(message.channel);
  if (!channel) return;
  // A failed delivery is already recorded in `deliveries` with status 0; nobody awaits this one.
  deliverEvent(core, eventOf(message, channel)).catch(() => undefined);
}

/**
 * Someone joins or leaves a channel: member_joined_channel / member_left_channel, which Slack sends only for
 * channels the bot is in (`channel_type` is `C` for public and `G` for private channels). Nothing is sent when the
 * membership did not change, or when the bot is not there to hear it.
 */
export async function simulateMembershipChange(
  core: EmulatorCore,
  args: { user: string; channel: string; joined: boolean; inviter?: string },
): Promise<EventDelivery | undefined> {
  requireUser(core, args.user);
  const channel = requireChannel(core, args.channel);
  const changed = args.joined ? core.workspace.join(channel.id, args.user) : core.workspace.leave(channel.id, args.user);
  if (!changed || !channel.is_member) return undefined;
  return deliverEvent(core, {
    type: args.joined ? 'member_joined_channel' : 'member_left_channel',
    user: args.user,
    channel: channel.id,
    channel_type: channel.is_private ? 'G' : 'C',
    team: core.workspace.identity.teamId,
    ...(args.joined && args.inviter ? { inviter: args.inviter } : {}),
    event_ts: core.workspace.nextTs(),
  });
}
