import { buildCommandRefused, buildCommandReply, buildThreadlineHelp } from '../../blocks/command-replies';
import { ROUTING_LABELS } from '../../blocks/app-home';
import type { SlackMessage } from '../../blocks/types';
import { upsertOwnerTimeouts } from '../../db/queries/channel-settings';
import { type AgentRole, type RoutingMode, agentRoles, routingModes } from '../../db/schema';
import type { Deps } from '../deps';
import { requireRole, setRole } from './agents';
import { describeInbox, retryParked } from './inbox-parked';
import { setRoutingMode } from './routing';
import { ESCAPED_USER_MENTION } from '../ids';
import { type RepliesRequest, parseRepliesRequest, runRepliesCommand } from './saved-replies';

/**
 * `/threadline role @user agent|manager|admin`, `/threadline routing <mode>`, `/threadline timeouts <remind> <release>`
 * and `/threadline help`. Settings are admin-only (requireRole throws a ForbiddenError the handler shows).
 */

export type ThreadlineRequest =
  | { kind: 'help' }
  | { kind: 'role'; userId: string; role: AgentRole }
  | { kind: 'routing'; mode: RoutingMode }
  | { kind: 'timeouts'; reminder: number | null; release: number | null }
  | { kind: 'inbox' }
  | { kind: 'inbox_retry'; which: number | 'all' }
  | { kind: 'replies'; request: RepliesRequest }
  | { kind: 'invalid'; usage: string };

const ESCAPED_USER = ESCAPED_USER_MENTION;
/** A week: anything longer is a typo, not an ownership timeout. */
const MAX_TIMEOUT_MINUTES = 7 * 24 * 60;

const USAGE = {
  role: '`/threadline role @teammate agent|manager|admin` (pick the teammate from the list Slack offers)',
  routing: '`/threadline routing manual|round_robin|least_open`, run in the channel it applies to',
  inbox: '`/threadline inbox` (what is waiting or parked) or `/threadline inbox retry <id>|all`',
  timeouts: `\`/threadline timeouts <remind-min> <release-min>\` (1–${MAX_TIMEOUT_MINUTES}) or \`/threadline timeouts default\``,
} as const;

const isRole = (v: string): v is AgentRole => (agentRoles as readonly string[]).includes(v);
const isMode = (v: string): v is RoutingMode => (routingModes as readonly string[]).includes(v);

export function parseThreadlineRequest(text: string): ThreadlineRequest {
  // A saved reply's text keeps its own spacing and line breaks: parsed from the raw text, not the split words.
  const replies = /^\s*replies\b([\s\S]*)$/i.exec(text);
  if (replies) return { kind: 'replies', request: parseRepliesRequest(replies[1] ?? '') };
  const [verb = '', ...rest] = text.trim().split(/\s+/).filter(Boolean);
  switch (verb.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'role': {
      const user = ESCAPED_USER.exec(rest[0] ?? '');
      const role = (rest[1] ?? '').toLowerCase();
      return user && isRole(role) && rest.length === 2 ? { kind: 'role', userId: user[1]!, role } : { kind: 'invalid', usage: USAGE.role };
    }
    case 'routing': {
      const mode = (rest[0] ?? '').toLowerCase().replace(/-/g, '_');
      return isMode(mode) && rest.length === 1 ? { kind: 'routing', mode } : { kind: 'invalid', usage: USAGE.routing };
    }
    case 'timeouts': {
      if (rest.length === 1 && rest[0]?.toLowerCase() === 'default') return { kind: 'timeouts', reminder: null, release: null };
      const minutes = rest.map((r) => (/^\d+$/.test(r) ? Number(r) : NaN));
      const valid = minutes.length === 2 && minutes.every((m) => m >= 1 && m <= MAX_TIMEOUT_MINUTES);
      return valid ? { kind: 'timeouts', reminder: minutes[0]!, release: minutes[1]! } : { kind: 'invalid', usage: USAGE.timeouts };
    }
    case 'inbox': {
      if (rest.length === 0) return { kind: 'inbox' };
      const target = (rest[1] ?? '').toLowerCase().replace(/^#/, '');
      if (rest.length === 2 && rest[0]?.toLowerCase() === 'retry') {
        if (target === 'all') return { kind: 'inbox_retry', which: 'all' };
        if (/^\d{1,15}$/.test(target) && Number(target) > 0) return { kind: 'inbox_retry', which: Number(target) };
      }
      return { kind: 'invalid', usage: USAGE.inbox };
    }
    default:
      return { kind: 'invalid', usage: '`/threadline help` lists what it can do' };
  }
}

/** Slack ids of direct messages start with D; routing and timeouts belong to a conversation channel. */
function isDirectMessage(channelId: string): boolean {
  return channelId.startsWith('D');
}

export async function runThreadlineCommand(
  deps: Pick<Deps, 'db' | 'config' | 'clock' | 'queue' | 'logger'>,
  args: { userId: string; channelId: string; text: string },
): Promise<SlackMessage> {
  const request = parseThreadlineRequest(args.text);
  switch (request.kind) {
    case 'help':
      return buildThreadlineHelp();
    case 'invalid':
      return buildCommandRefused(`I did not understand that. Use ${request.usage}.`);
    case 'role':
      await setRole(deps, args.userId, request.userId, request.role);
      return buildCommandReply(`✅ <@${request.userId}> is now ${request.role === 'manager' ? 'a' : 'an'} ${request.role}.`);
    case 'routing': {
      if (isDirectMessage(args.channelId)) return buildCommandRefused(`Run it in the channel it applies to: ${USAGE.routing}.`);
      const { onShift } = await setRoutingMode(deps, { actorId: args.userId, channelId: args.channelId, mode: request.mode });
      const nobody =
        request.mode !== 'manual' && onShift === 0
          ? '\nNobody is on shift right now, so new conversations stay unassigned until someone runs `/shift on`.'
          : '';
      return buildCommandReply(`✅ New conversations in <#${args.channelId}>: ${ROUTING_LABELS[request.mode]}.${nobody}`);
    }
    case 'timeouts': {
      if (isDirectMessage(args.channelId)) return buildCommandRefused(`Run it in the channel it applies to: ${USAGE.timeouts}.`);
      await requireRole(deps, args.userId, 'admin', 'change ownership timeouts');
      await upsertOwnerTimeouts(deps.db, args.channelId, { reminder: request.reminder, release: request.release }, args.userId);
      const { ownerReminderMinutes, ownerReleaseMinutes } = deps.config.timeouts;
      const remind = request.reminder ?? ownerReminderMinutes;
      const release = request.release ?? ownerReleaseMinutes;
      return buildCommandReply(
        `✅ In <#${args.channelId}>, an owner who leaves the customer waiting is reminded after ${remind} min; ` +
          `${release} min after the reminder the conversation is taken back.`,
      );
    }
    case 'inbox':
      return describeInbox(deps, args.userId);
    case 'replies':
      return runRepliesCommand(deps, args.userId, request.request);
    case 'inbox_retry': {
      const { retried } = await retryParked(deps, args.userId, request.which);
      if (retried === 0) {
        return buildCommandRefused(request.which === 'all' ? 'Nothing is parked.' : `Inbox row #${request.which} is not parked.`);
      }
      return buildCommandReply(`✅ ${retried} parked webhook${retried === 1 ? '' : 's'} sent through again.`);
    }
    default:
      return request satisfies never;
  }
}
