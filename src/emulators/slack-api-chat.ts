import { findBlocksProblem } from './slack-block-checks';
import { type ApiHandler, type ApiResult, type EmulatorCore, fail } from './slack-emulator-core';
import { boolParam, stringParam } from './slack-http-io';
import type { MessageMetadata, SlackParams, StoredMessage } from './slack-types';
import { type EmulatedChannel, toApiMessage } from './slack-workspace';

/** chat.* and reactions.*: answers shaped like Slack's (slack.md §1.2, §4, §5). */

const REACTION_NAME = /^[a-z0-9_+'-]+$/;

/** Validates `blocks`; undefined when absent. */
function readBlocks(params: SlackParams): { blocks?: unknown[]; error?: ApiResult } {
  const blocks = params.blocks;
  if (blocks === undefined || blocks === '') return {};
  if (!Array.isArray(blocks)) return { error: fail('invalid_blocks_format', 'blocks must be a JSON array') };
  const problem = findBlocksProblem(blocks, 'message');
  return problem ? { error: fail('invalid_blocks', problem) } : { blocks };
}

function readMetadata(params: SlackParams): { metadata?: MessageMetadata; error?: ApiResult } {
  const metadata = params.metadata;
  if (metadata === undefined || metadata === '') return {};
  if (typeof metadata !== 'object' || metadata === null) return { error: fail('invalid_metadata_format') };
  const { event_type, event_payload } = metadata as Record<string, unknown>;
  if (typeof event_type !== 'string' || typeof event_payload !== 'object' || event_payload === null) {
    return { error: fail('invalid_metadata_schema', 'metadata needs event_type and event_payload') };
  }
  return { metadata: { event_type, event_payload: event_payload as Record<string, unknown> } };
}

export function permalinkFor(message: StoredMessage): string {
  const base = `https://emulator.slack.test/archives/${message.channel}/p${message.ts.replace('.', '')}`;
  const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  return isReply ? `${base}?thread_ts=${message.thread_ts}&cid=${message.channel}` : base;
}

/** Shared by chat.postMessage and bot file shares: store and tell the app like Slack would. */
export function storeBotMessage(core: EmulatorCore, channelId: string, fields: Omit<StoredMessage, 'type' | 'channel' | 'ts'>): StoredMessage {
  const channel = core.workspace.channels.get(channelId);
  if (!channel) throw new Error(`channel ${channelId} vanished`);
  const message = core.workspace.appendMessage(channel, fields);
  core.onBotMessage(message);
  return message;
}

/**
 * What Slack answers a bot token posting in a channel the bot is not in. A private channel does not exist for it
 * (channel_not_found, as conversations.members answers). A public one takes chat.postMessage only with
 * chat:write.public ("Send messages to channels your Slack app isn't a member of", docs.slack.dev/reference/scopes/
 * chat:write.public; slack.md §2.2), else not_in_channel ("Cannot post user messages to a channel they are not in",
 * chat.postMessage's errors). chat.postEphemeral needs the bot in the channel even with that scope: not_in_channel
 * (observed in slackapi/node-slack-sdk#977 and ifvictr/prox#30; slack.md §3 lists the error).
 */
function refuseOutsider(core: EmulatorCore, channel: EmulatedChannel, method: 'postMessage' | 'postEphemeral'): ApiResult | undefined {
  if (core.workspace.isMember(channel, core.workspace.identity.botUserId)) return undefined;
  if (channel.is_private) return fail('channel_not_found');
  if (method === 'postMessage' && core.grantedScopes.includes('chat:write.public')) return undefined;
  return fail('not_in_channel');
}

const postMessage: ApiHandler = (core, params) => {
  const channel = core.workspace.resolveChannel(stringParam(params, 'channel'));
  if (!channel) return fail('channel_not_found');
  const outsider = refuseOutsider(core, channel, 'postMessage');
  if (outsider) return outsider;
  const text = stringParam(params, 'text') ?? '';
  const { blocks, error: blocksError } = readBlocks(params);
  if (blocksError) return blocksError;
  if (text === '' && !blocks && params.attachments === undefined) return fail('no_text');
  const { metadata, error: metadataError } = readMetadata(params);
  if (metadataError) return metadataError;
  const threadTs = stringParam(params, 'thread_ts');
  if (threadTs && !core.workspace.findParent(channel.id, threadTs)) return fail('thread_not_found');
  const author = core.workspace.botAuthor({
    username: stringParam(params, 'username'),
    iconEmoji: stringParam(params, 'icon_emoji'),
    iconUrl: stringParam(params, 'icon_url'),
  });
  const message = storeBotMessage(core, channel.id, {
    ...author,
    text,
    ...(blocks ? { blocks } : {}),
    ...(metadata ? { metadata } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(threadTs && boolParam(params, 'reply_broadcast') ? { subtype: 'thread_broadcast' } : {}),
  });
  return { ok: true, channel: channel.id, ts: message.ts, message: toApiMessage(message, { includeMetadata: true }) };
};

function findOwnMessage(core: EmulatorCore, params: SlackParams, tsField: string, refusal: string): { message?: StoredMessage; error?: ApiResult } {
  const channel = core.workspace.resolveChannel(stringParam(params, 'channel'));
  if (!channel) return { error: fail('channel_not_found') };
  const message = core.workspace.findMessage(channel.id, stringParam(params, tsField) ?? '');
  if (!message) return { error: fail('message_not_found') };
  // A bot token only edits or deletes what this app posted (slack.md §4).
  if (!core.workspace.isBotMessage(message)) return { error: fail(refusal) };
  return { message };
}

const update: ApiHandler = (core, params) => {
  const { message, error } = findOwnMessage(core, params, 'ts', 'cant_update_message');
  if (!message) return error ?? fail('message_not_found');
  const text = stringParam(params, 'text');
  const { blocks, error: blocksError } = readBlocks(params);
  if (blocksError) return blocksError;
  if (text === undefined && blocks === undefined) return fail('no_text');
  const { metadata, error: metadataError } = readMetadata(params);
  if (metadataError) return metadataError;
  if (text !== undefined) message.text = text;
  // Blocks left out keep the old ones; an empty array removes them.
  if (blocks !== undefined) {
    if (blocks.length === 0) delete message.blocks;
    else message.blocks = blocks;
  }
  if (metadata) message.metadata = metadata;
  message.edited = { user: core.workspace.identity.botUserId, ts: core.workspace.nextTs() };
  return { ok: true, channel: message.channel, ts: message.ts, text: message.text, message: toApiMessage(message, { includeMetadata: true }) };
};

const deleteMessage: ApiHandler = (core, params) => {
  const { message, error } = findOwnMessage(core, params, 'ts', 'cant_delete_message');
  if (!message) return error ?? fail('message_not_found');
  core.workspace.removeMessage(message.channel, message.ts);
  return { ok: true, channel: message.channel, ts: message.ts };
};

const postEphemeral: ApiHandler = (core, params) => {
  const channel = core.workspace.resolveChannel(stringParam(params, 'channel'));
  if (!channel) return fail('channel_not_found');
  const outsider = refuseOutsider(core, channel, 'postEphemeral');
  if (outsider) return outsider;
  const user = stringParam(params, 'user') ?? '';
  if (!core.workspace.users.has(user)) return fail('user_not_found');
  // Slack shows an ephemeral only to someone in the channel (slack.md §3: user_not_in_channel).
  if (!core.workspace.isMember(channel, user)) return fail('user_not_in_channel');
  const text = stringParam(params, 'text') ?? '';
  const { blocks, error } = readBlocks(params);
  if (error) return error;
  if (text === '' && !blocks) return fail('no_text');
  const threadTs = stringParam(params, 'thread_ts');
  const messageTs = core.workspace.nextTs();
  core.ephemerals.push({
    channel: channel.id,
    user,
    text,
    message_ts: messageTs,
    via: 'api',
    ...(blocks ? { blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { ok: true, message_ts: messageTs };
};

const getPermalink: ApiHandler = (core, params) => {
  const channel = core.workspace.resolveChannel(stringParam(params, 'channel'));
  if (!channel) return fail('channel_not_found');
  const message = core.workspace.findMessage(channel.id, stringParam(params, 'message_ts') ?? '');
  if (!message) return fail('message_not_found');
  return { ok: true, channel: channel.id, permalink: permalinkFor(message) };
};

function findReactionTarget(core: EmulatorCore, params: SlackParams): { message?: StoredMessage; error?: ApiResult } {
  const channel = core.workspace.resolveChannel(stringParam(params, 'channel'));
  if (!channel) return { error: fail('channel_not_found') };
  const message = core.workspace.findMessage(channel.id, stringParam(params, 'timestamp') ?? '');
  return message ? { message } : { error: fail('message_not_found') };
}

const addReaction: ApiHandler = (core, params) => {
  const name = stringParam(params, 'name') ?? '';
  if (!REACTION_NAME.test(name)) return fail('invalid_name');
  const { message, error } = findReactionTarget(core, params);
  if (!message) return error ?? fail('message_not_found');
  const reactor = core.workspace.identity.botUserId;
  const reactions = (message.reactions ??= []);
  const existing = reactions.find((r) => r.name === name);
  if (existing?.users.includes(reactor)) return fail('already_reacted');
  if (existing) {
    existing.users.push(reactor);
    existing.count += 1;
  } else {
    reactions.push({ name, users: [reactor], count: 1 });
  }
  return { ok: true };
};

const removeReaction: ApiHandler = (core, params) => {
  const { message, error } = findReactionTarget(core, params);
  if (!message) return error ?? fail('message_not_found');
  const name = stringParam(params, 'name') ?? '';
  const reactor = core.workspace.identity.botUserId;
  const existing = message.reactions?.find((r) => r.name === name);
  if (!existing?.users.includes(reactor)) return fail('no_reaction');
  existing.users = existing.users.filter((u) => u !== reactor);
  existing.count -= 1;
  message.reactions = message.reactions?.filter((r) => r.count > 0);
  if (message.reactions?.length === 0) delete message.reactions;
  return { ok: true };
};

const getReactions: ApiHandler = (core, params) => {
  const { message, error } = findReactionTarget(core, params);
  if (!message) return error ?? fail('message_not_found');
  return { ok: true, type: 'message', channel: message.channel, message: toApiMessage(message, { includeMetadata: false }) };
};

export const chatHandlers: Record<string, ApiHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': deleteMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
  'reactions.add': addReaction,
  'reactions.remove': removeReaction,
  'reactions.get': getReactions,
};
