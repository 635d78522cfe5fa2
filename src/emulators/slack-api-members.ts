import { type ApiHandler, fail } from './slack-emulator-core';
import { intParam, stringParam } from './slack-http-io';
import type { SlackParams } from './slack-types';
import { toApiChannel } from './slack-api-conversations';
import type { EmulatedChannel } from './slack-workspace';

/**
 * conversations.members and users.conversations: who is in a channel, and which channels a person is in, both
 * cursor-paged (slack.md §1.2; Slack's method reference: conversations.members Tier 4, default limit 100;
 * users.conversations Tier 3, default limit 100, at most 999, types default `public_channel`).
 */

const CURSOR_PREFIX = 'next_index:';

function encodeIndexCursor(index: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${index}`).toString('base64');
}

/** undefined: start at the top; null: a cursor Slack would not recognise. */
function decodeIndexCursor(cursor: string | undefined): number | undefined | null {
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX)) return null;
  const index = Number(decoded.slice(CURSOR_PREFIX.length));
  return Number.isInteger(index) && index >= 0 ? index : null;
}

/** One page of `items`, or the error Slack gives for a bad limit or cursor. */
function pageOf<T>(items: T[], params: SlackParams, maxLimit: number): { page: T[]; nextCursor: string } | { error: string } {
  const limit = intParam(params, 'limit') ?? 100;
  if (limit < 1 || limit > maxLimit) return { error: 'invalid_limit' };
  const start = decodeIndexCursor(stringParam(params, 'cursor'));
  if (start === null || (start !== undefined && start > items.length)) return { error: 'invalid_cursor' };
  const from = start ?? 0;
  const page = items.slice(from, from + limit);
  return { page, nextCursor: from + limit < items.length ? encodeIndexCursor(from + limit) : '' };
}

const members: ApiHandler = (core, params) => {
  const channel = core.workspace.resolveChannel(stringParam(params, 'channel'));
  // A private channel the bot is not in does not exist as far as its token can tell.
  if (!channel || (channel.is_private && !channel.is_member)) return fail('channel_not_found');
  const ids = [...channel.members].sort();
  if (channel.is_member) ids.push(core.workspace.identity.botUserId);
  const page = pageOf(ids, params, 1000);
  if ('error' in page) return fail(page.error);
  return { ok: true, members: page.page, response_metadata: { next_cursor: page.nextCursor } };
};

function typeOf(channel: EmulatedChannel): 'public_channel' | 'private_channel' | 'im' {
  if (channel.is_im) return 'im';
  return channel.is_private ? 'private_channel' : 'public_channel';
}

const userConversations: ApiHandler = (core, params) => {
  const { workspace } = core;
  const user = stringParam(params, 'user') ?? workspace.identity.botUserId;
  if (!workspace.users.has(user)) return fail('user_not_found');
  const types = (stringParam(params, 'types') ?? 'public_channel').split(',').map((t) => t.trim());
  if (types.some((t) => !['public_channel', 'private_channel', 'mpim', 'im'].includes(t))) return fail('invalid_types');
  const listed = [...workspace.channels.values()]
    .filter((c) => types.includes(typeOf(c)) && workspace.isMember(c, user))
    // Private channels only where the calling bot shares membership; the emulator archives nothing, so
    // exclude_archived changes nothing.
    .filter((c) => !c.is_private || c.is_im || c.is_member)
    .sort((a, b) => a.id.localeCompare(b.id));
  const page = pageOf(listed, params, 999);
  if ('error' in page) return fail(page.error);
  // This method leaves out is_member and num_members.
  const channels = page.page.map((c) => {
    const { is_member: _isMember, ...rest } = toApiChannel(c);
    return rest;
  });
  return { ok: true, channels, response_metadata: { next_cursor: page.nextCursor } };
};

export const memberHandlers: Record<string, ApiHandler> = {
  'conversations.members': members,
  'users.conversations': userConversations,
};
