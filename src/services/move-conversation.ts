import { randomUUID } from 'node:crypto';
import { buildMovedCard, buildMoveSummary, describeMovedNotice } from '../../blocks/handoff-summary';
import { insertAuditEvent } from '../../db/queries/audit';
import { findContactById } from '../../db/queries/contacts';
import type { Tx } from '../../db/client';
import { markAgentAssigned } from '../../db/queries/agents';
import { acquireLease, assignConversation, findConversationById, releaseLease } from '../../db/queries/conversations';
import { insertConversationMove, requeueSlackOps, supersedeOpenSlackOps, updateConversationChannel } from '../../db/queries/handoff';
import { listRecentMessages } from '../../db/queries/messages';
import { listNotes } from '../../db/queries/notes';
import { enqueueSlackOp } from '../../db/queries/slack-outbox';
import type { Conversation } from '../../db/schema';
import { sleep } from '../clock';
import type { Deps } from '../deps';
import { pickAgent, routingModeOf } from './routing';
import { enqueueThreadNotice } from './thread-notice';
import { windowState } from './window';

export type MoveResult =
  | { ok: true; conversation: Conversation }
  | { ok: false; reason: 'not_found' | 'closed' | 'changed' | 'same_channel' | 'busy' };

/** The conversation's worker holds its lease for one short pass at a time; wait this long for it at most. */
const LEASE_ATTEMPTS = 20;
const LEASE_RETRY_MS = 50;
const LEASE_MS = 30_000;
const RECENT_MESSAGES = 8;

/**
 * Sales → support: the conversation continues in a new thread in `toChannelId` (same id, same customer number), in
 * that channel's pool or routed by its routing mode. Slack work goes through the outbox in this order: the new card, a summary in the new thread,
 * whatever was still waiting for the old thread, then "moved to #support" with a link in the old thread, whose card
 * loses its buttons. Ingest finds the open conversation by customer, so their next message lands in the new thread.
 */
export async function moveConversation(
  deps: Deps,
  args: { conversationId: number; actorId: string; toChannelId: string; expectedOwnerId: string | null },
): Promise<MoveResult> {
  const before = await findConversationById(deps.db, args.conversationId);
  if (!before) return { ok: false, reason: 'not_found' };
  if (before.state === 'closed') return { ok: false, reason: 'closed' };
  if (before.channelId === args.toChannelId) return { ok: false, reason: 'same_channel' };
  if (before.ownerId !== args.expectedOwnerId) return { ok: false, reason: 'changed' };
  const summary = await loadMoveSummary(deps, before, args.actorId);
  const contact = await findContactById(deps.db, before.contactId);
  const now = deps.clock.now();

  // The worker must not be posting into the old thread while its open ops are moved behind the new card.
  const leaseOwner = `move:${randomUUID()}`;
  if (!(await takeLease(deps, before.id, leaseOwner))) return { ok: false, reason: 'busy' };
  let moved: Conversation | undefined;
  try {
    moved = await deps.db.transaction(async (tx) => {
      const after = await updateConversationChannel(tx, {
        id: before.id,
        toChannelId: args.toChannelId,
        expectedOwnerId: args.expectedOwnerId,
      });
      if (!after) return undefined;
      const routed = await routeMovedConversation(deps, tx, after, args.actorId);
      await insertConversationMove(tx, {
        conversationId: before.id,
        fromChannelId: before.channelId,
        fromThreadTs: before.threadTs,
        toChannelId: args.toChannelId,
        movedBy: args.actorId,
        movedAt: now,
      });
      await insertAuditEvent(tx, {
        conversationId: before.id,
        type: 'moved',
        actorId: args.actorId,
        targetId: args.toChannelId,
        detail: { fromChannelId: before.channelId, fromThreadTs: before.threadTs, from: before.ownerId },
        at: now,
      });
      const leftover = await supersedeOpenSlackOps(tx, before.id, now);
      await enqueueSlackOp(tx, { conversationId: before.id, kind: 'post_card' });
      await enqueueThreadNotice(tx, before.id, {
        ...summary,
        ...(before.threadTs ? { link: { label: 'The earlier thread', channel: before.channelId, threadTs: before.threadTs } } : {}),
      });
      await requeueSlackOps(tx, leftover);
      if (before.threadTs) {
        const customer = { name: contact?.profileName ?? undefined, phone: contact?.waId ?? undefined, username: contact?.username ?? undefined };
        await enqueueThreadNotice(tx, before.id, {
          text: describeMovedNotice({ toChannelId: args.toChannelId, actorId: args.actorId }),
          channel: before.channelId,
          threadTs: before.threadTs,
          link: { label: 'Continue in the new thread' },
          replaceParent: buildMovedCard({ customer, toChannelId: args.toChannelId, actorId: args.actorId, at: now }),
        });
      }
      await releaseLease(tx, before.id, leaseOwner);
      return routed;
    });
  } finally {
    if (!moved) await releaseLease(deps.db, before.id, leaseOwner);
  }
  if (!moved) return { ok: false, reason: 'changed' };
  await deps.queue.signal(before.id);
  return { ok: true, conversation: moved };
}

/**
 * The new channel routes the conversation as if it were new there (its routing mode, agents on shift), never back to
 * the person who moved it away. In a savepoint, like ingest's routing: a failure leaves it in that channel's pool.
 */
async function routeMovedConversation(deps: Deps, tx: Tx, conversation: Conversation, actorId: string): Promise<Conversation> {
  const mode = await routingModeOf(tx, conversation.channelId);
  if (mode === 'manual') return conversation;
  try {
    return await tx.transaction(async (sp) => {
      const pick = await pickAgent(sp, { mode, excludeUserId: actorId });
      const assigned = pick ? await assignConversation(sp, conversation.id, pick.ownerId, pick.reason, null, deps.clock.now()) : undefined;
      if (!pick || !assigned) return conversation;
      await markAgentAssigned(sp, pick.ownerId, deps.clock.now());
      await insertAuditEvent(sp, {
        conversationId: conversation.id,
        type: 'assigned',
        actorId: 'system',
        targetId: pick.ownerId,
        detail: { reason: pick.reason, mode, after: 'moved' },
        at: deps.clock.now(),
      });
      return assigned;
    });
  } catch (err) {
    deps.logger.warn({ err, conversationId: conversation.id }, 'routing after a move failed; the conversation stays in the pool');
    return conversation;
  }
}

async function takeLease(deps: Deps, conversationId: number, owner: string): Promise<boolean> {
  for (let attempt = 0; attempt < LEASE_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    if (await acquireLease(deps.db, conversationId, owner, new Date(now.getTime() + LEASE_MS), now)) return true;
    await sleep(LEASE_RETRY_MS);
  }
  return false;
}

/**
 * The new thread's first reply, written now: a snapshot of the conversation as it left the old channel. No Slack
 * call here (this runs before the modal's ack): the link to the old thread is added when the worker posts it.
 */
async function loadMoveSummary(deps: Deps, conversation: Conversation, actorId: string) {
  const now = deps.clock.now();
  const contact = await findContactById(deps.db, conversation.contactId);
  const recent = (await listRecentMessages(deps.db, conversation.id, RECENT_MESSAGES * 4))
    .filter((m) => m.kind !== 'reaction' && !(m.direction === 'outbound' && (m.waState === 'held' || m.waState === 'discarded')))
    .slice(-RECENT_MESSAGES);
  const notes = await listNotes(deps.db, conversation.id);
  const window = windowState(conversation.lastInboundAt, now);
  return buildMoveSummary({
    customer: { name: contact?.profileName ?? undefined, phone: contact?.waId ?? undefined, username: contact?.username ?? undefined },
    fromChannelId: conversation.channelId,
    actorId,
    previousOwnerId: conversation.ownerId ?? undefined,
    previousState: conversation.state,
    window: { open: window.open, closesAt: window.closesAt },
    openedAt: conversation.openedAt,
    recent: recent.map((m) => ({
      fromCustomer: m.direction === 'inbound',
      authorId: m.slackUserId ?? undefined,
      text: m.body?.trim() || `[${m.kind}]`,
      at: m.waTimestamp ?? m.createdAt,
    })),
    notes: notes.map((n) => ({ authorId: n.authorId, body: n.body, at: n.createdAt })),
    now,
  });
}
