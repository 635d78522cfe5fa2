import {
  MAX_MODAL_CONVERSATIONS,
  buildHandoffLoadingModal,
  buildHandoffMessageModal,
  buildHandoffModal,
} from '../../blocks/handoff-modal';
import { mention } from '../../blocks/primitives';
import type { HandoffTarget } from '../../blocks/types';
import { findConversationByThread } from '../../db/queries/conversations';
import {
  type HandoffRow,
  findConversationIdBySlackTs,
  listHandoffRows,
  listLastNotes,
  listOpenOwnedBy,
} from '../../db/queries/handoff';
import type { Deps } from '../deps';
import { ForbiddenError, InvalidInputError } from '../errors';
import { hasRole, requireRole, roleOf } from './agents';
import { requireChannelAccess, visibleChannels } from './channel-access';
import { encodeHandoffMetadata } from './handoff-form';
import { windowState } from './window';

export type { HandoffTarget } from '../../blocks/types';

/**
 * Opens the handoff modal listing `fromUserId`'s open conversations, or just `conversationIds` (header card,
 * shortcut). Throws a ForbiddenError or InvalidInputError (show its userMessage as an ephemeral) before anything
 * opens when the actor may not do this or there is nothing to hand off. views.open goes out first, with a loading
 * view, because the trigger expires 3 s after the click (slack.md §4); the notes load and the view is filled after.
 */
export async function openHandoffModal(
  deps: Deps,
  args: { triggerId: string; actorId: string; fromUserId: string; conversationIds?: number[]; target?: HandoffTarget },
): Promise<void> {
  const rows = await loadAuthorizedRows(deps, args);
  const { viewId } = await deps.slack.openView({ triggerId: args.triggerId, view: buildHandoffLoadingModal() });
  deps.background.run('fill the handoff modal', async () => {
    try {
      await fillHandoffModal(deps, viewId, { ...args, ...rows });
    } catch (err) {
      deps.logger.error({ err, actorId: args.actorId }, 'could not fill the handoff modal');
      await deps.slack.updateView({ viewId, view: buildHandoffMessageModal('⚠️ Something went wrong loading the conversations. Close this and try again.') });
    }
  });
}

/**
 * The rows the actor may hand off: only conversations of channels they may see (channel-access.ts), and someone
 * else's only for managers and admins. Refusals say what the actor can do instead.
 */
async function loadAuthorizedRows(
  deps: Deps,
  args: { actorId: string; fromUserId: string; conversationIds?: number[] | undefined; target?: HandoffTarget | undefined },
): Promise<{ rows: HandoffRow[]; total: number; single: boolean }> {
  const role = await roleOf(deps, args.actorId);
  if (args.conversationIds && args.conversationIds.length > 0) {
    const rows = (await listHandoffRows(deps.db, args.conversationIds)).filter((r) => r.state !== 'closed');
    if (rows.length === 0) throw new InvalidInputError('This conversation is resolved, so there is nothing to hand off.');
    for (const channelId of new Set(rows.map((r) => r.channelId))) await requireChannelAccess(deps, args.actorId, channelId);
    const others = rows.find((r) => r.ownerId && r.ownerId !== args.actorId);
    if (others?.ownerId && !hasRole(role, 'manager')) {
      throw new ForbiddenError(
        `Only managers and admins can hand off someone else's conversation, and this one is ${mention(others.ownerId)}'s. Ask them to hand it off, or ask a manager.`,
      );
    }
    checkTarget(args.target, rows.map((r) => r.ownerId));
    return { rows, total: rows.length, single: args.conversationIds.length === 1 };
  }
  if (args.fromUserId !== args.actorId) {
    await requireRole(deps, args.actorId, 'manager', "hand off someone else's conversations");
  }
  checkTarget(args.target, [args.fromUserId]);
  const visible = await visibleChannels(deps, args.actorId, role);
  const channels = visible.kind === 'all' ? undefined : visible.channelIds;
  const { rows, total } = await listOpenOwnedBy(deps.db, args.fromUserId, MAX_MODAL_CONVERSATIONS, channels);
  if (total === 0) {
    const whose = args.fromUserId === args.actorId ? 'You have' : `${mention(args.fromUserId)} has`;
    const where = channels ? ' in the channels you are in' : '';
    throw new InvalidInputError(`${whose} no open conversations${where} to hand off.`);
  }
  return { rows, total, single: false };
}

function checkTarget(target: HandoffTarget | undefined, owners: (string | null)[]): void {
  if (target?.kind === 'user' && owners.includes(target.userId)) {
    throw new InvalidInputError('They already have it: pick someone else to hand off to.');
  }
}

async function fillHandoffModal(
  deps: Deps,
  viewId: string,
  args: { actorId: string; fromUserId: string; target?: HandoffTarget | undefined; rows: HandoffRow[]; total: number; single: boolean },
): Promise<void> {
  const now = deps.clock.now();
  const notes = await listLastNotes(deps.db, args.rows.map((r) => r.id));
  const view = buildHandoffModal({
    fromUserId: args.fromUserId,
    actorId: args.actorId,
    single: args.single,
    target: args.target,
    now,
    moreCount: Math.max(0, args.total - args.rows.length),
    privateMetadata: encodeHandoffMetadata({
      fromUserId: args.fromUserId,
      conversations: args.rows.map((r) => ({ id: r.id, ownerId: r.ownerId })),
      single: args.single,
    }),
    conversations: args.rows.map((r) => {
      const window = windowState(r.lastInboundAt, now);
      return {
        id: r.id,
        customer: { name: r.customerName ?? undefined, phone: r.customerPhone ?? undefined, username: r.customerUsername ?? undefined },
        state: r.state,
        ownerId: r.ownerId ?? undefined,
        window: { open: window.open, closesAt: window.closesAt },
        lastNote: notes.get(r.id),
      };
    }),
  });
  await deps.slack.updateView({ viewId, view });
}

/** The header card's Hand off button and the message shortcut: one conversation, whoever owns it. */
export async function openHandoffModalForConversation(
  deps: Deps,
  args: { triggerId: string; actorId: string; conversationId: number },
): Promise<void> {
  const [row] = await listHandoffRows(deps.db, [args.conversationId]);
  if (!row) throw new InvalidInputError('This conversation no longer exists.');
  await openHandoffModal(deps, {
    triggerId: args.triggerId,
    actorId: args.actorId,
    fromUserId: row.ownerId ?? args.actorId,
    conversationIds: [row.id],
  });
}

/** The message shortcut: the card itself or any reply in a conversation thread. */
export async function openHandoffModalForMessage(
  deps: Deps,
  args: { triggerId: string; actorId: string; channelId: string; messageTs: string; threadTs?: string | undefined },
): Promise<void> {
  const conversation = await findConversationByThread(deps.db, args.channelId, args.threadTs ?? args.messageTs);
  const conversationId = conversation?.id ?? (await findConversationIdBySlackTs(deps.db, args.channelId, args.messageTs));
  if (conversationId === undefined) {
    throw new InvalidInputError('Use “Hand off conversation” on a WhatsApp conversation: its header card or a reply in its thread.');
  }
  await openHandoffModalForConversation(deps, { triggerId: args.triggerId, actorId: args.actorId, conversationId });
}
