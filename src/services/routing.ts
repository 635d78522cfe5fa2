import { listAgentsOnShift, lockAgentsOnShift, markAgentAssigned } from '../../db/queries/agents';
import { insertAuditEvent } from '../../db/queries/audit';
import { findChannelSettings, upsertRoutingMode } from '../../db/queries/channel-settings';
import { assignConversation } from '../../db/queries/conversations';
import { countOpenByOwner } from '../../db/queries/queue';
import type { DbOrTx, Tx } from '../../db/client';
import type { Conversation, RoutingMode } from '../../db/schema';
import type { Deps } from '../deps';
import { requireRole } from './agents';

export type AutomaticMode = Exclude<RoutingMode, 'manual'>;

/** The words the card shows after "assigned to @x —". */
export const RoutingReasons = {
  round_robin: 'round robin',
  least_open: 'on shift, fewest open',
  returning: 'returning customer',
} as const;

export interface RoutingCandidate {
  userId: string;
  onShiftSince: Date;
  lastAssignedAt: Date | null;
  openCount: number;
}

const time = (d: Date | null) => d?.getTime() ?? Number.NEGATIVE_INFINITY;

/** Longest without a new conversation first (never = first); then longest on shift; then the id, so ties are stable. */
function compareTurn(a: RoutingCandidate, b: RoutingCandidate): number {
  return (
    time(a.lastAssignedAt) - time(b.lastAssignedAt) ||
    a.onShiftSince.getTime() - b.onShiftSince.getTime() ||
    a.userId.localeCompare(b.userId)
  );
}

/** Round robin: whoever waited longest for a conversation. Least open: the fewest open, ties in round-robin order. */
export function chooseAgent(mode: AutomaticMode, candidates: readonly RoutingCandidate[]): RoutingCandidate | undefined {
  const sorted = [...candidates].sort((a, b) => (mode === 'least_open' ? a.openCount - b.openCount : 0) || compareTurn(a, b));
  return sorted[0];
}

export interface RoutingPick {
  ownerId: string;
  reason: string;
}

/**
 * Who gets a conversation among the agents on shift (never `excludeUserId`): the returning customer's earlier owner
 * when on shift, else by the channel's mode. Locks the on-shift agents first, so concurrent picks take turns
 * (lockAgentsOnShift); the caller must record the pick (markAgentAssigned) in the same transaction.
 */
export async function pickAgent(
  tx: DbOrTx,
  args: { mode: AutomaticMode; returningOwnerId?: string | null | undefined; excludeUserId?: string | undefined },
): Promise<RoutingPick | undefined> {
  await lockAgentsOnShift(tx);
  const onShift = (await listAgentsOnShift(tx)).filter((a) => a.slackUserId !== args.excludeUserId);
  if (args.returningOwnerId && onShift.some((a) => a.slackUserId === args.returningOwnerId)) {
    return { ownerId: args.returningOwnerId, reason: RoutingReasons.returning };
  }
  const counts = args.mode === 'least_open' ? await countOpenByOwner(tx, onShift.map((a) => a.slackUserId)) : new Map<string, number>();
  const chosen = chooseAgent(
    args.mode,
    onShift.map((a) => ({
      userId: a.slackUserId,
      onShiftSince: a.onShiftSince ?? new Date(0),
      lastAssignedAt: a.lastAssignedAt,
      openCount: counts.get(a.slackUserId) ?? 0,
    })),
  );
  return chosen ? { ownerId: chosen.userId, reason: RoutingReasons[args.mode] } : undefined;
}

export async function routingModeOf(db: DbOrTx, channelId: string): Promise<RoutingMode> {
  return (await findChannelSettings(db, channelId))?.routingMode ?? 'manual';
}

/**
 * Called inside the ingest transaction when a customer opens a new conversation (the earlier one, if any, is
 * `previous`). `manual` assigns nobody (the card shows Claim); the automatic modes pick an agent on shift, and nobody
 * on shift leaves it unassigned. Runs in a savepoint: a routing failure leaves the conversation unassigned and
 * never costs the customer's message.
 */
export async function routeNewConversation(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>,
  tx: Tx,
  conversation: Conversation,
  previous: Conversation | undefined,
): Promise<void> {
  const now = deps.clock.now();
  try {
    await tx.transaction(async (sp) => {
      const mode = await routingModeOf(sp, conversation.channelId);
      if (mode === 'manual') return;
      const pick = await pickAgent(sp, { mode, returningOwnerId: previous?.ownerId });
      if (!pick) return;
      const assigned = await assignConversation(sp, conversation.id, pick.ownerId, pick.reason, null, deps.clock.now());
      if (!assigned) return;
      await markAgentAssigned(sp, pick.ownerId, now);
      await insertAuditEvent(sp, {
        conversationId: conversation.id,
        type: 'assigned',
        actorId: 'system',
        targetId: pick.ownerId,
        detail: { reason: pick.reason, mode },
        at: now,
      });
    });
  } catch (err) {
    deps.logger.warn({ err, conversationId: conversation.id }, 'routing failed; the conversation stays unassigned');
  }
}

/** `/threadline routing <mode>` in a channel (admins). Returns how many agents are on shift to route to. */
export async function setRoutingMode(
  deps: Pick<Deps, 'db' | 'config'>,
  args: { actorId: string; channelId: string; mode: RoutingMode },
): Promise<{ onShift: number }> {
  await requireRole(deps, args.actorId, 'admin', 'change how a channel routes conversations');
  await upsertRoutingMode(deps.db, args.channelId, args.mode, args.actorId);
  return { onShift: (await listAgentsOnShift(deps.db)).length };
}
