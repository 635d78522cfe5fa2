import { type ApiHandler, decodeCursor, encodeCursor, fail } from './slack-emulator-core';
import { boolParam, intParam, stringParam } from './slack-http-io';
import type { SeedUser, SlackParams, StoredMessage } from './slack-types';
import { compareTs, type EmulatedChannel, toApiMessage } from './slack-workspace';

/** conversations.*, users.info and auth.test (slack.md §1.1, §9.3). */

/** `oldest`/`latest` bound the range, exclusive unless `inclusive` is set. */
function filterRange(messages: StoredMessage[], params: SlackParams): StoredMessage[] {
  const oldest = stringParam(params, 'oldest');
  const latest = stringParam(params, 'latest');
  const inclusive = boolParam(params, 'inclusive');
  return messages.filter((m) => {
    if (oldest && oldest !== '0') {
      const c = compareTs(m.ts, oldest);
      if (c < 0 || (c === 0 && !inclusive)) return false;
    }
    if (latest) {
      const c = compareTs(m.ts, latest);
      if (c > 0 || (c === 0 && !inclusive)) return false;
    }
    return true;
  });
}

/** One page from an ordered list; the cursor names the ts to resume at, so new messages cannot shift pages. */
function paginate(ordered: StoredMessage[], params: SlackParams, defaultLimit: number) {
  const limit = Math.min(Math.max(intParam(params, 'limit') ?? defaultLimit, 1), 1000);
  const resumeAt = decodeCursor(stringParam(params, 'cursor'));
  const start = resumeAt === undefined ? 0 : Math.max(ordered.findIndex((m) => m.ts === resumeAt), 0);
  const page = ordered.slice(start, start + limit);
  const next = ordered[start + limit];
  return { page, hasMore: next !== undefined, nextCursor: next ? encodeCursor(next.ts) : undefined };
}

function pageResult(params: SlackParams, page: ReturnType<typeof paginate>) {
  const includeMetadata = boolParam(params, 'include_all_metadata');
  return {
    ok: true,
    messages: page.page.map((m) => toApiMessage(m, { includeMetadata })),
    has_more: page.hasMore,
    ...(page.nextCursor ? { response_metadata: { next_cursor: page.nextCursor } } : {}),
  };
}

const replies: ApiHandler = (core, params) => {
  const channel = core.workspace.resolveChannel(stringParam(params, 'channel'));
  if (!channel) return fail('channel_not_found');
  const target = core.workspace.findMessage(channel.id, stringParam(params, 'ts') ?? '');
  if (!target) return fail('thread_not_found');
  const parentTs = target.thread_ts ?? target.ts;
  const thread = filterRange(core.workspace.listThread(channel.id, parentTs), params);
  return pageResult(params, paginate(thread, params, 1000));
};

const history: ApiHandler = (core, params) => {
  const channel = core.workspace.resolveChannel(stringParam(params, 'channel'));
  if (!channel) return fail('channel_not_found');
  const newestFirst = filterRange(core.workspace.listTopLevel(channel.id), params).reverse();
  return { ...pageResult(params, paginate(newestFirst, params, 100)), pin_count: 0 };
};

export function toApiChannel(channel: EmulatedChannel): Record<string, unknown> {
  if (channel.is_im) {
    return { id: channel.id, created: channel.created, is_im: true, is_org_shared: false, user: channel.user, is_user_deleted: false, priority: 0 };
  }
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    created: channel.created,
    is_channel: !channel.is_private,
    is_group: channel.is_private,
    is_im: false,
    is_mpim: false,
    is_private: channel.is_private,
    is_archived: false,
    is_general: false,
    is_member: channel.is_member,
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
  };
}

const info: ApiHandler = (core, params) => {
  const channel = core.workspace.resolveChannel(stringParam(params, 'channel'));
  return channel ? { ok: true, channel: toApiChannel(channel) } : fail('channel_not_found');
};

const open: ApiHandler = (core, params) => {
  const channelParam = stringParam(params, 'channel');
  if (channelParam) {
    const channel = core.workspace.resolveChannel(channelParam);
    return channel ? { ok: true, channel: { id: channel.id } } : fail('channel_not_found');
  }
  const users = (stringParam(params, 'users') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (users.length === 0) return fail('users_list_not_supplied');
  if (users.length > 1) return fail('invalid_arguments', 'the emulator opens one-to-one DMs only');
  const user = users[0] ?? '';
  if (!core.workspace.users.has(user)) return fail('user_not_found');
  const channel = core.workspace.openDm(user);
  return { ok: true, channel: boolParam(params, 'return_im') ? toApiChannel(channel) : { id: channel.id } };
};

export function toApiUser(user: SeedUser, teamId: string): Record<string, unknown> {
  const realName = user.realName ?? user.name;
  const displayName = user.displayName ?? '';
  return {
    id: user.id,
    team_id: teamId,
    name: user.name,
    deleted: false,
    real_name: realName,
    tz: user.tz ?? 'UTC',
    tz_label: user.tz ?? 'Coordinated Universal Time',
    tz_offset: 0,
    is_admin: false,
    is_owner: false,
    is_bot: user.isBot === true,
    is_app_user: false,
    updated: 1700000000,
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: displayName,
      display_name_normalized: displayName,
      image_48: `https://emulator.slack.test/avatars/${user.id}_48.png`,
      team: teamId,
    },
  };
}

const usersInfo: ApiHandler = (core, params) => {
  const user = core.workspace.users.get(stringParam(params, 'user') ?? '');
  return user ? { ok: true, user: toApiUser(user, core.workspace.identity.teamId) } : fail('user_not_found');
};

const authTest: ApiHandler = (core) => {
  const { teamId, teamDomain, botUserId, botId, botName } = core.workspace.identity;
  return {
    ok: true,
    url: `https://${teamDomain}.slack.test/`,
    team: teamDomain,
    user: botName,
    team_id: teamId,
    user_id: botUserId,
    bot_id: botId,
    is_enterprise_install: false,
  };
};

export const conversationHandlers: Record<string, ApiHandler> = {
  'conversations.replies': replies,
  'conversations.history': history,
  'conversations.info': info,
  'conversations.open': open,
  'users.info': usersInfo,
  'auth.test': authTest,
};
