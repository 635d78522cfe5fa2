import { buildActionError } from '../../blocks/ephemerals';
import type { SlackMessage } from '../../blocks/types';
import { insertAuditEvent } from '../../db/queries/audit';
import { claimConversation, findConversationById, recordOutbound, reopenConversation } from '../../db/queries/conversations';
import { insertOutboundMessages, transitionMessage } from '../../db/queries/messages';
import { enqueueCardUpdate } from '../../db/queries/slack-outbox';
import type { AuditType, Conversation } from '../../db/schema';
import type { Deps } from '../deps';
import { markCustomerRead } from './read-receipts';

/**
 * A message composed in a modal (a template, a saved reply) rather than typed in the thread: the same rules as a
 * reply (only the owner sends; an unowned conversation is claimed by the sender, a resolved one reopened), and the
 * same at-most-once outbox (whatsapp-sends.ts). There is no agent message to carry its delivery status, so the
 * app posts one into the thread under the agent's name; the row stays `held` until that post is up, so a message
 * is never sent without the thread showing it (a crash in between leaves it unsent, never sent twice).
 */

export type ComposedSendOutcome = { type: 'queued'; messageId: number; claimed: boolean } | { type: 'not_owner'; ownerId: string };

export async function recordComposedSend(
  deps: Deps,
  args: {
    conversationId: number;
    actorId: string;
    kind: 'template' | 'text';
    body: string;
    payload: Record<string, unknown>;
    claimReason: string;
    audit: { type: AuditType; detail: Record<string, unknown> };
  },
): Promise<ComposedSendOutcome> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    let current = await findConversationById(tx, args.conversationId);
    if (!current) throw new Error('conversation vanished');
    let claimed = false;
    if (current.state === 'closed') {
      const reopened = await reopenConversation(tx, current.id, args.actorId);
      if (reopened && reopened.state !== 'closed') {
        current = reopened;
        await insertAuditEvent(tx, { conversationId: current.id, type: 'reopened', actorId: args.actorId, detail: { by: args.kind }, at: now });
      }
    } else if (!current.ownerId) {
      const won = await claimConversation(tx, current.id, args.actorId, args.claimReason, now);
      if (won) {
        claimed = true;
        current = won;
        await insertAuditEvent(tx, { conversationId: current.id, type: 'claimed', actorId: args.actorId, targetId: args.actorId, detail: { by: args.kind }, at: now });
      } else current = (await findConversationById(tx, current.id)) ?? current;
    }
    if (current.ownerId !== args.actorId) return { type: 'not_owner', ownerId: current.ownerId ?? 'someone' } as const;
    const [row] = await insertOutboundMessages(tx, [
      {
        conversationId: current.id,
        kind: args.kind,
        body: args.body,
        payload: args.payload,
        slackUserId: args.actorId,
        slackChannelId: current.channelId,
        part: 0,
        waState: 'held',
        holdReason: 'posting',
      },
    ]);
    if (!row) throw new Error('composed message not stored');
    await recordOutbound(tx, current.id, now);
    await enqueueCardUpdate(tx, current.id);
    await insertAuditEvent(tx, { conversationId: current.id, type: args.audit.type, actorId: args.actorId, detail: { messageId: row.id, ...args.audit.detail }, at: now });
    return { type: 'queued', messageId: row.id, claimed } as const;
  });
}

/** How the agent reads in Slack, for signatures and prefilled fields; unknown when Slack cannot say. */
export async function agentName(deps: Deps, userId: string): Promise<string | undefined> {
  try {
    const u = await deps.slack.getUser(userId);
    return u.displayName || u.realName || u.name;
  } catch {
    return undefined;
  }
}

export async function postComposedToThread(
  deps: Deps,
  args: { conversationId: number; actorId: string; messageId: number; post: SlackMessage; what: string },
): Promise<void> {
  const conversation = await findConversationById(deps.db, args.conversationId);
  if (!conversation) return;
  let ts: string;
  try {
    if (!conversation.threadTs) throw new Error('the conversation has no thread yet');
    const username = await agentName(deps, args.actorId);
    ({ ts } = await deps.slack.postMessage({ channel: conversation.channelId, threadTs: conversation.threadTs, ...args.post, ...(username ? { username } : {}) }));
  } catch (err) {
    await transitionMessage(deps.db, args.messageId, ['held'], { waState: 'discarded', errorTitle: 'not shown in the thread' });
    deps.logger.warn({ err, conversationId: conversation.id, messageId: args.messageId }, 'composed message not posted to the thread; not sent');
    await tellAgent(deps, conversation, args.actorId, `Your ${args.what} was not sent: Slack did not take it into the thread. Please try again.`);
    return;
  }
  await transitionMessage(deps.db, args.messageId, ['held'], { waState: 'queued', holdReason: null, slackTs: ts, slackChannelId: conversation.channelId });
  await deps.queue.signal(conversation.id);
  markCustomerRead(deps, conversation.id);
}

export async function tellAgent(deps: Deps, conversation: Conversation, userId: string, messageMrkdwn: string): Promise<void> {
  const message = buildActionError(messageMrkdwn);
  try {
    await deps.slack.postEphemeral({ channel: conversation.channelId, user: userId, threadTs: conversation.threadTs ?? undefined, ...message });
  } catch {
    const dm = await deps.slack.openDm(userId);
    await deps.slack.postMessage({ channel: dm, ...message });
  }
}
