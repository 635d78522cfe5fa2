import { insertAuditEvent } from '../../db/queries/audit';
import {
  assignConversation,
  claimConversation,
  closeConversation,
  findConversationById,
} from '../../db/queries/conversations';
import { enqueueCardUpdate } from '../../db/queries/slack-outbox';
import type { AgentRole, Conversation } from '../../db/schema';
import type { Deps } from '../deps';
import { checkChannelAccess } from './channel-access';
import { checkMayActOnOthers } from './agents';
import { enqueueThreadNotice } from './thread-notice';

/** Refused for this person: `message` says why and what they can do instead. */
export type Refused = { ok: false; reason: 'forbidden'; message: string };

export type ClaimResult =
  | { ok: true; conversation: Conversation }
  | { ok: false; reason: 'owned'; ownerId: string; conversation: Conversation; actorRole: AgentRole }
  | { ok: false; reason: 'closed' | 'not_found' }
  | Refused;

type ConversationDeps = Pick<Deps, 'db' | 'clock' | 'queue' | 'logger'>;
type ActionDeps = ConversationDeps & Pick<Deps, 'config' | 'membership'>;

/**
 * Claim: one conditional UPDATE decides the single winner (STYLE §4); the loser learns who owns it. Only someone
 * who may see the conversation's channel can claim it (channel-access.ts). Claiming a conversation you already own
 * is a success.
 */
export async function claim(
  deps: ActionDeps,
  conversationId: number,
  userId: string,
  reason = 'claimed',
): Promise<ClaimResult> {
  const seen = await findConversationById(deps.db, conversationId);
  if (!seen) return { ok: false, reason: 'not_found' };
  const access = await checkChannelAccess(deps, userId, seen.channelId);
  if (!access.ok) return { ok: false, reason: 'forbidden', message: access.message };
  const result = await deps.db.transaction(async (tx): Promise<ClaimResult> => {
    const won = await claimConversation(tx, conversationId, userId, reason, deps.clock.now());
    if (won) {
      await insertAuditEvent(tx, { conversationId, type: 'claimed', actorId: userId, targetId: userId, at: deps.clock.now() });
      await enqueueCardUpdate(tx, conversationId);
      return { ok: true, conversation: won };
    }
    const current = await findConversationById(tx, conversationId);
    if (!current) return { ok: false, reason: 'not_found' };
    if (current.state === 'closed') return { ok: false, reason: 'closed' };
    if (current.ownerId === userId) return { ok: true, conversation: current };
    return { ok: false, reason: 'owned', ownerId: current.ownerId ?? 'someone', conversation: current, actorRole: access.role };
  });
  if (result.ok) await deps.queue.signal(conversationId);
  return result;
}

export type ResolveResult =
  | { ok: true; conversation: Conversation }
  | { ok: false; reason: 'closed' | 'not_found' | 'changed' }
  | Refused;

/**
 * Resolve closes the conversation; the customer writing again later opens a new thread that links this one. The
 * same rule as reassign (reassign.ts): its owner, a manager or an admin, in a channel they may see; nobody's
 * conversation (the pool) anyone there. When someone else resolves it, its owner is told in the thread.
 */
export async function resolve(deps: ActionDeps, conversationId: number, userId: string): Promise<ResolveResult> {
  const seen = await findConversationById(deps.db, conversationId);
  if (!seen) return { ok: false, reason: 'not_found' };
  if (seen.state === 'closed') return { ok: false, reason: 'closed' };
  const access = await checkChannelAccess(deps, userId, seen.channelId);
  if (!access.ok) return { ok: false, reason: 'forbidden', message: access.message };
  const refusal = checkMayActOnOthers({ actorId: userId, ownerId: seen.ownerId, role: access.role, action: 'resolve' });
  if (refusal) return { ok: false, reason: 'forbidden', message: refusal };
  const result = await deps.db.transaction(async (tx): Promise<ResolveResult> => {
    // The permission was decided on this owner: if it changed meanwhile, nothing closes.
    const closed = await closeConversation(tx, conversationId, userId, deps.clock.now(), seen.ownerId);
    if (!closed) {
      const current = await findConversationById(tx, conversationId);
      return { ok: false, reason: !current ? 'not_found' : current.state === 'closed' ? 'closed' : 'changed' };
    }
    await insertAuditEvent(tx, { conversationId, type: 'resolved', actorId: userId, detail: { owner: seen.ownerId }, at: deps.clock.now() });
    await enqueueCardUpdate(tx, conversationId);
    if (seen.ownerId && seen.ownerId !== userId) {
      await enqueueThreadNotice(tx, conversationId, { text: `<@${seen.ownerId}>, <@${userId}> resolved this conversation of yours.` });
    }
    return { ok: true, conversation: closed };
  });
  if (result.ok) await deps.queue.signal(conversationId);
  return result;
}

export type AssignResult =
  | { ok: true; conversation: Conversation; previousOwnerId: string | null }
  | { ok: false; reason: 'closed' | 'not_found' | 'changed' };

/**
 * Give the conversation to `newOwnerId` (null = back to the pool). `expectedOwnerId` guards against overwriting a
 * change the actor did not see (someone claimed meanwhile).
 */
export async function assign(
  deps: ConversationDeps,
  args: {
    conversationId: number;
    actorId: string;
    newOwnerId: string | null;
    reason: string | null;
    audit: 'reassigned' | 'taken_over' | 'assigned' | 'released' | 'handed_off';
    expectedOwnerId?: string | null;
    detail?: Record<string, unknown>;
  },
): Promise<AssignResult> {
  const result = await deps.db.transaction(async (tx): Promise<AssignResult> => {
    const before = await findConversationById(tx, args.conversationId);
    if (!before) return { ok: false, reason: 'not_found' };
    if (before.state === 'closed') return { ok: false, reason: 'closed' };
    const expected = args.expectedOwnerId === undefined ? before.ownerId : args.expectedOwnerId;
    const after = await assignConversation(tx, args.conversationId, args.newOwnerId, args.reason, expected, deps.clock.now());
    if (!after) return { ok: false, reason: 'changed' };
    await insertAuditEvent(tx, {
      conversationId: args.conversationId,
      type: args.audit,
      actorId: args.actorId,
      targetId: args.newOwnerId,
      detail: { from: before.ownerId, ...args.detail },
      at: deps.clock.now(),
    });
    await enqueueCardUpdate(tx, args.conversationId);
    return { ok: true, conversation: after, previousOwnerId: before.ownerId };
  });
  if (result.ok) await deps.queue.signal(args.conversationId);
  return result;
}
