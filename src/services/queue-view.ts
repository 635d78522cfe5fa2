import { buildCommandRefused, buildCommandReply } from '../../blocks/command-replies';
import { buildQueueList, type QueueGroupView, type QueueRowView } from '../../blocks/queue-list';
import type { SlackMessage } from '../../blocks/types';
import {
  type ChannelFilter,
  type OpenState,
  type QueueRow,
  type QueueScope,
  countOpenByState,
  listOldestOpen,
  openStates,
} from '../../db/queries/queue';
import type { Deps } from '../deps';
import { type ChannelScope, visibleChannels } from './channel-access';
import { postDigestNow } from './digest';
import { linkThreads, threadKey } from './thread-links';
import { windowState } from './window';
import { ESCAPED_USER_MENTION } from '../ids';

/**
 * Rows per state: three full groups, each with a heading and a "+N more" line, plus the title fit Slack's 50 blocks
 * (1 + 3 × (1 + 14 + 1) = 49; slack.md §5).
 */
export const ROWS_PER_STATE = 14;

export type QueueRequest =
  /** No argument: mine and the unclaimed ones, the agent's real question ("what is mine, what is waiting"). */
  | { kind: 'default' }
  | { kind: 'mine' }
  | { kind: 'unassigned' }
  | { kind: 'all' }
  | { kind: 'user'; userId: string }
  | { kind: 'digest' }
  | { kind: 'unknown'; text: string };

const ESCAPED_USER = ESCAPED_USER_MENTION;

export function parseQueueRequest(text: string): QueueRequest {
  const arg = text.trim();
  const word = arg.toLowerCase();
  if (word === '') return { kind: 'default' };
  if (word === 'mine') return { kind: 'mine' };
  if (word === 'unassigned' || word === 'all' || word === 'digest') return { kind: word };
  const user = ESCAPED_USER.exec(arg);
  if (user) return { kind: 'user', userId: user[1]! };
  return { kind: 'unknown', text: arg };
}

export function toChannelFilter(scope: ChannelScope): ChannelFilter {
  return scope.kind === 'all' ? undefined : scope.channelIds;
}

/** One group per open state (those with nothing open included, count 0), each with its oldest rows. */
export async function loadQueueGroups(
  deps: Pick<Deps, 'db' | 'slack' | 'logger' | 'clock'>,
  scope: QueueScope,
  rowsPerState: number,
  channels: ChannelFilter,
): Promise<QueueGroupView[]> {
  const counts = await countOpenByState(deps.db, scope, channels);
  const rowsByState = new Map<OpenState, QueueRow[]>();
  for (const state of openStates) {
    rowsByState.set(state, counts[state] > 0 ? await listOldestOpen(deps.db, { scope, state, limit: rowsPerState, channels }) : []);
  }
  const views = await toRowViews(deps, [...rowsByState.values()].flat());
  return openStates.map((state) => ({
    state,
    count: counts[state],
    rows: views.filter((v) => v.state === state),
  }));
}

/** Rows as the blocks show them: customer, window, and the thread link (learned once, thread-links.ts). */
export async function toRowViews(deps: Pick<Deps, 'slack' | 'logger' | 'clock'>, rows: readonly QueueRow[]): Promise<QueueRowView[]> {
  const now = deps.clock.now();
  const links = await linkThreads(deps, rows);
  return rows.map((row) => {
    const window = windowState(row.lastInboundAt, now);
    return {
      conversationId: row.id,
      customer: {
        name: row.customerName ?? undefined,
        phone: row.customerPhone ?? undefined,
        username: row.customerUsername ?? undefined,
      },
      state: row.state,
      ownerId: row.ownerId ?? undefined,
      waitingSince: row.waitingSince,
      window: { open: window.open, closesAt: window.closesAt },
      permalink: row.threadTs ? links.get(threadKey({ channelId: row.channelId, threadTs: row.threadTs })) : undefined,
    };
  });
}

/**
 * `/queue [mine | unassigned | all | @user | digest]`; with no argument, mine and the unassigned ones. Every view is open to every role, and every view shows only
 * the conversations of the channels the person is in (admins: every channel; channel-access.ts): a private
 * channel's customers are not listed to people outside it. `digest` is for managers (digest.ts decides).
 */
export async function runQueueCommand(
  deps: Deps,
  args: { userId: string; channelId: string; text: string; responseUrl?: string | undefined },
): Promise<SlackMessage> {
  const request = parseQueueRequest(args.text);
  let scope: QueueScope;
  let titleMrkdwn: string;
  switch (request.kind) {
    case 'default':
      scope = { kind: 'owner_or_unassigned', ownerId: args.userId };
      titleMrkdwn = 'Yours and unassigned';
      break;
    case 'mine':
      scope = { kind: 'owner', ownerId: args.userId };
      titleMrkdwn = 'Your open conversations';
      break;
    case 'user':
      scope = { kind: 'owner', ownerId: request.userId };
      titleMrkdwn = request.userId === args.userId ? 'Your open conversations' : `Open conversations of <@${request.userId}>`;
      break;
    case 'unassigned':
      scope = { kind: 'unassigned' };
      titleMrkdwn = 'Unassigned conversations';
      break;
    case 'all':
      scope = { kind: 'all' };
      titleMrkdwn = 'All open conversations';
      break;
    case 'digest': {
      const result = await postDigestNow(deps, { actorId: args.userId, channelId: args.channelId, responseUrl: args.responseUrl });
      return result.ok
        ? buildCommandReply(`📊 Posting the digest in <#${result.channelId}> now. If it cannot be posted there, I will tell you here.`)
        : buildCommandRefused(result.message);
    }
    case 'unknown':
      return buildCommandRefused(
        'Use `/queue`, `/queue mine`, `/queue unassigned`, `/queue all`, `/queue @teammate` (pick them from the list) or `/queue digest`.',
      );
    default:
      return request satisfies never;
  }
  const visible = await visibleChannels(deps, args.userId);
  const groups = await loadQueueGroups(deps, scope, ROWS_PER_STATE, toChannelFilter(visible));
  const showOwner = scope.kind !== 'owner' && scope.kind !== 'owner_or_unassigned';
  if (visible.kind === 'channels') titleMrkdwn += ' in your channels';
  return buildQueueList({ titleMrkdwn, showOwner, groups, now: deps.clock.now() });
}
