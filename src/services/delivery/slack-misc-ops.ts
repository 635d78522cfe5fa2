import {
  buildDeliveryFailedNotice,
  buildDeliveryUncertainNotice,
  buildUncertainSettledNotice,
  type UncertainSettlement,
} from '../../../blocks/notices';
import type { DbOrTx } from '../../../db/client';
import { findMessageById, listMessagesBySlackTs, mergeMessagePayload, updateMessage } from '../../../db/queries/messages';
import { listOpenOpIds, markOpInFlight, markOpsDone } from '../../../db/queries/slack-outbox';
import type { Conversation, Message, NoticePayload, SlackOp } from '../../../db/schema';
import type { Deps } from '../../deps';
import { reactionForStatus, summarizeReplyState } from '../delivery-reactions';
import { snippetOf } from '../inbound-view';
import { renderThreadNotice } from '../thread-notice';
import { UNEXPLAINED_FAILURE, describeErrorOrigin, explainGraphError } from '../../whatsapp/error-codes';
import { Buckets } from '../../queue/rate-limiter';
import { blocksFor } from './plain-fallback';
import type { OpOutcome } from './slack-ops';
import { awaitSlackTurn } from '../../queue/slack-turn';

/**
 * The delivery status of an agent's reply, as a reaction on their Slack message: the step every WhatsApp message
 * the reply became has reached. Every pending status op of those messages is covered by one reaction (add-only,
 * coalesced; slack.md §1.2).
 */
export async function showStatus(deps: Deps, conversation: Conversation, op: SlackOp<'show_status'>): Promise<OpOutcome> {
  const now = deps.clock.now();
  const message = op.messageId ? await findMessageById(deps.db, op.messageId) : undefined;
  if (!message?.slackTs) {
    await markOpsDone(deps.db, [op.id, ...(message ? await listOpenOpIds(deps.db, conversation.id, 'show_status', message.id) : [])], now);
    return { progressed: true };
  }
  const parts = (await listMessagesBySlackTs(deps.db, conversation.id, message.slackTs)).filter(
    // A resent original no longer speaks for the reply: its copy does.
    (m) => m.direction === 'outbound' && m.waState !== 'held' && m.waState !== 'discarded' && m.payload.resentAs === undefined,
  );
  const ids = [op.id];
  for (const part of parts) ids.push(...(await listOpenOpIds(deps.db, conversation.id, 'show_status', part.id)));
  const state = summarizeReplyState(parts.map((p) => p.waState));
  const wanted = reactionForStatus(state);
  if (!wanted || parts.some((p) => reactionForStatus(p.statusShown) === wanted)) {
    await markOpsDone(deps.db, ids, now);
    return { progressed: true };
  }
  const wait = await awaitSlackTurn(deps, op, Buckets.slackReactions, deps.pace.slackTier3);
  if (wait > 0) return { progressed: false, waitMs: wait };
  await deps.slack.addReaction({ channel: message.slackChannelId ?? conversation.channelId, ts: message.slackTs, name: wanted });
  deps.metrics.slackCalls.inc({ method: 'reactions.add', outcome: 'ok' });
  for (const part of parts) await updateMessage(deps.db, part.id, { statusShown: state });
  await markOpsDone(deps.db, ids, now);
  return { progressed: true };
}

/** 📝 on a note, so everyone sees it stayed private. */
export async function addNoteReaction(deps: Deps, conversation: Conversation, op: SlackOp<'add_reaction'>): Promise<OpOutcome> {
  const { ts, name } = op.payload;
  const wait = await awaitSlackTurn(deps, op, Buckets.slackReactions, deps.pace.slackTier3);
  if (wait > 0) return { progressed: false, waitMs: wait };
  await deps.slack.addReaction({ channel: op.payload.channel ?? conversation.channelId, ts, name });
  await markOpsDone(deps.db, [op.id], deps.clock.now());
  return { progressed: true };
}

/** A line from threadline in the thread: a failed delivery explained, an uncertain send, a settled one. */
export async function postNotice(deps: Deps, conversation: Conversation, op: SlackOp<'post_notice'>): Promise<OpOutcome> {
  const message = op.messageId ? await findMessageById(deps.db, op.messageId) : undefined;
  const { payload } = op;
  if (payload.notice === 'delivery_failed' && message) {
    const permalink = message.slackTs ? await safePermalink(deps, message.slackChannelId ?? conversation.channelId, message.slackTs) : undefined;
    return postThreadNotice(
      deps,
      conversation,
      op,
      buildDeliveryFailedNotice({
        agentId: message.slackUserId ?? undefined,
        snippet: snippetOf(message),
        origin: describeErrorOrigin(errorOf(message), 'WhatsApp error'),
        explanation: explainMessageError(message),
        permalink,
      }),
    );
  }
  if (payload.notice === 'delivery_uncertain' && message) {
    const rendered = buildDeliveryUncertainNotice({ messageId: message.id, snippet: snippetOf(message) });
    // Where the notice landed is kept on the reply, so whatever settles it later can replace its Resend button.
    return postThreadNotice(deps, conversation, op, rendered, undefined, (db, posted) =>
      mergeMessagePayload(db, message.id, { uncertainNotice: posted }),
    );
  }
  if (payload.notice === 'uncertain_settled' && message) {
    return settleUncertainNotice(deps, conversation, op, payload, message);
  }
  if (payload.notice === 'text') {
    // Handoff notices may target a thread the conversation has left (moved channel) and replace its parent card.
    const notice = await renderThreadNotice(deps, conversation, payload);
    if (notice.replaceParent && op.state === 'pending') {
      const wait = await awaitSlackTurn(deps, op, Buckets.slackUpdate, deps.pace.slackTier3);
      if (wait > 0) return { progressed: false, waitMs: wait };
      await deps.slack.updateMessage({ channel: notice.channel, ts: notice.threadTs, ...notice.replaceParent });
    }
    return postThreadNotice(deps, conversation, op, notice.message, notice);
  }
  // A delivery notice whose message is gone (deleted with its conversation's data): nothing left to say.
  deps.logger.warn({ opId: op.id, notice: payload.notice }, 'notice with nothing to say dropped');
  await markOpsDone(deps.db, [op.id], deps.clock.now());
  return { progressed: true };
}

/**
 * An uncertain send was settled — a status arrived, or someone pressed Resend: the uncertain notice is replaced in
 * place (chat.update), so its Resend button cannot be pressed on a question already answered. A notice that never
 * made it into Slack is posted as a new line instead.
 */
async function settleUncertainNotice(
  deps: Deps,
  conversation: Conversation,
  op: SlackOp<'post_notice'>,
  payload: Extract<NoticePayload, { notice: 'uncertain_settled' }>,
  message: Message,
): Promise<OpOutcome> {
  const rendered = buildUncertainSettledNotice({ snippet: snippetOf(message), ...settlementOf(payload, message) });
  const posted = postedNoticeOf(message.payload.uncertainNotice);
  if (!posted) return postThreadNotice(deps, conversation, op, rendered);
  const wait = await awaitSlackTurn(deps, op, Buckets.slackUpdate, deps.pace.slackTier3);
  if (wait > 0) return { progressed: false, waitMs: wait };
  // chat.update is idempotent: a retry after an unanswered call writes the same text again.
  await deps.slack.updateMessage({ channel: posted.channel, ts: posted.ts, text: rendered.text, blocks: rendered.blocks });
  await markOpsDone(deps.db, [op.id], deps.clock.now(), posted.ts);
  return { progressed: true };
}

function settlementOf(payload: Extract<NoticePayload, { notice: 'uncertain_settled' }>, message: Message): UncertainSettlement {
  if (payload.outcome === 'resent' && payload.by !== undefined) return { outcome: 'resent', by: payload.by };
  if (payload.outcome === 'failed') return { outcome: 'failed', explanation: explainMessageError(message) };
  return { outcome: 'confirmed' };
}

function explainMessageError(message: Message): string {
  const error = errorOf(message);
  return error ? explainGraphError(error) : UNEXPLAINED_FAILURE;
}

/** A failed status may come without any error (reference/whatsapp.md §4.1): that is no code, not Meta's code 0. */
function errorOf(message: Message): { code: number; title: string | undefined; details: string | undefined } | undefined {
  if (message.errorCode === null) return undefined;
  return { code: message.errorCode, title: message.errorTitle ?? undefined, details: message.errorDetail ?? undefined };
}

function postedNoticeOf(value: unknown): PostedNotice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { channel, ts } = value as Record<string, unknown>;
  return typeof channel === 'string' && typeof ts === 'string' ? { channel, ts } : undefined;
}

interface PostedNotice {
  channel: string;
  ts: string;
}

export async function postThreadNotice(
  deps: Deps,
  conversation: Conversation,
  op: SlackOp,
  rendered: { text: string; blocks: import('@slack/types').KnownBlock[] },
  where: { channel: string; threadTs: string } = { channel: conversation.channelId, threadTs: conversation.threadTs as string },
  /** Stored with the op's completion, in one transaction: where the notice landed. */
  recordPosted?: (db: DbOrTx, posted: PostedNotice) => Promise<void>,
): Promise<OpOutcome> {
  const { channel, threadTs } = where;
  const finish = async (ts: string): Promise<OpOutcome> => {
    if (!recordPosted) {
      await markOpsDone(deps.db, [op.id], deps.clock.now(), ts);
      return { progressed: true };
    }
    await deps.db.transaction(async (tx) => {
      await markOpsDone(tx, [op.id], deps.clock.now(), ts);
      await recordPosted(tx, { channel, ts });
    });
    return { progressed: true };
  };
  if (op.state === 'in_flight') {
    const found = await deps.slack.findPostedReply({ channel, threadTs, opId: op.id });
    if (found) return finish(found);
  }
  const wait = await awaitSlackTurn(deps, op, Buckets.slackPost(channel), deps.pace.slackPost);
  if (wait > 0) return { progressed: false, waitMs: wait };
  await markOpInFlight(deps.db, op.id);
  const { ts } = await deps.slack.postMessage({
    channel,
    threadTs,
    text: rendered.text,
    blocks: blocksFor(op, rendered.blocks),
    metadata: { opId: op.id, conversationId: conversation.id },
  });
  return finish(ts);
}

async function safePermalink(deps: Deps, channel: string, ts: string): Promise<string | undefined> {
  try {
    return await deps.slack.getPermalink({ channel, ts });
  } catch {
    return undefined;
  }
}

