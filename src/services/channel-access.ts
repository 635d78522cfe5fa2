import type { AgentRole } from '../../db/schema';
import type { Deps } from '../deps';
import { ForbiddenError } from '../errors';
import { SlackError } from '../slack/gateway';
import { hasRole, roleOf } from './agents';

/**
 * Who may see and act on which conversations: the conversations of the Slack channels a person is in. Agents and
 * managers alike see the channels they are in (a manager's extra powers apply there); admins see every channel.
 * Membership is Slack's (users.conversations through deps.membership), so a private channel's customers stay with
 * the people Slack lets into that channel.
 */

type AccessDeps = Pick<Deps, 'db' | 'config' | 'membership' | 'logger'>;

/** `all`: every channel (admins). Otherwise only these channels. */
export type ChannelScope = { kind: 'all' } | { kind: 'channels'; channelIds: readonly string[] };

export type AccessCheck = { ok: true; role: AgentRole } | { ok: false; role: AgentRole; message: string };

export function notInChannelMessage(channelId: string): string {
  return `This conversation is in <#${channelId}>, and you are not a member of it. Join <#${channelId}> (or ask to be added, if it is private) to work on it.`;
}

const MEMBERSHIP_UNKNOWN = 'I could not check your channels with Slack just now, so I did not do it. Try again in a moment.';

/** Slack could not say which channels someone is in: nothing is shown or done (it fails closed). */
export class MembershipUnknownError extends ForbiddenError {
  constructor() {
    super(MEMBERSHIP_UNKNOWN);
  }
}

async function channelsOf(deps: AccessDeps, userId: string): Promise<ReadonlySet<string>> {
  try {
    return await deps.membership.channelsOf(userId);
  } catch (err) {
    if (!(err instanceof SlackError)) throw err;
    deps.logger.warn({ err, userId }, 'could not look up channel membership; refusing');
    throw new MembershipUnknownError();
  }
}

/** The channels whose conversations this person may see. Throws MembershipUnknownError when Slack cannot say. */
export async function visibleChannels(deps: AccessDeps, userId: string, role?: AgentRole): Promise<ChannelScope> {
  if (hasRole(role ?? (await roleOf(deps, userId)), 'admin')) return { kind: 'all' };
  return { kind: 'channels', channelIds: [...(await channelsOf(deps, userId))] };
}

/** May this person act on a conversation in `channelId`? The refusal says why and what they can do. */
export async function checkChannelAccess(deps: AccessDeps, userId: string, channelId: string): Promise<AccessCheck> {
  const role = await roleOf(deps, userId);
  if (hasRole(role, 'admin')) return { ok: true, role };
  try {
    if ((await channelsOf(deps, userId)).has(channelId)) return { ok: true, role };
  } catch (err) {
    if (err instanceof MembershipUnknownError) return { ok: false, role, message: err.userMessage };
    throw err;
  }
  return { ok: false, role, message: notInChannelMessage(channelId) };
}

/** Like checkChannelAccess, as a ForbiddenError to throw. */
export async function requireChannelAccess(deps: AccessDeps, userId: string, channelId: string): Promise<AgentRole> {
  const access = await checkChannelAccess(deps, userId, channelId);
  if (!access.ok) throw new ForbiddenError(access.message);
  return access.role;
}

/**
 * Someone is about to be given a conversation (reassign, hand off): they must be able to open its thread, so they
 * must really be in the channel, whatever their role. Returns the refusal, or undefined.
 */
export async function checkCanBeGiven(deps: AccessDeps, targetId: string, channelId: string): Promise<string | undefined> {
  try {
    if ((await deps.membership.channelsOf(targetId)).has(channelId)) return undefined;
  } catch (err) {
    if (!(err instanceof SlackError)) throw err;
    deps.logger.warn({ err, userId: targetId }, 'could not look up the new owner’s channels; refusing');
    return `I could not check with Slack whether <@${targetId}> is in <#${channelId}>. Try again in a moment.`;
  }
  return `<@${targetId}> is not in <#${channelId}>, so they could not open this conversation. Invite them to <#${channelId}> first, or pick someone who is in it.`;
}
