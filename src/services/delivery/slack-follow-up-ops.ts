import { buildCustomerChangeNotice } from '../../../blocks/customer-change-notices';
import { renderInboundBody } from '../../../blocks/inbound-content';
import { buildInboundBatch, buildInboundMessage, fitsInBatch } from '../../../blocks/inbound-message';
import { buildGenericNotice } from '../../../blocks/notices';
import { escapeMrkdwn, makeSnippet } from '../../../blocks/primitives';
import type { SlackMessage } from '../../../blocks/types';
import { findConversationById } from '../../../db/queries/conversations';
import { findMessageById, findMessageByWaId, listMessagesBySlackTs } from '../../../db/queries/messages';
import { listOpenPostOpIdsForMessages, markOpsDone } from '../../../db/queries/slack-outbox';
import type { Conversation, Message, SlackOp } from '../../../db/schema';
import type { Deps } from '../../deps';
import { Buckets } from '../../queue/rate-limiter';
import { awaitSlackTurn } from '../../queue/slack-turn';
import { whatsappToMrkdwn } from '../../whatsapp/format-to-slack';
import { contentOf, loadInboundInputs, snippetOf, viewOf } from '../inbound-view';
import { postThreadNotice } from './slack-misc-ops';
import type { OpOutcome } from './slack-ops';

/**
 * Something the customer did to an earlier message of theirs — a reaction, an edit, a deletion — shown where that
 * message is: its post re-rendered in place (chat.update, on the Tier 3 budget), or a line in the thread when it
 * cannot be (slack.md §1.2).
 */
export async function renderFollowUp(deps: Deps, conversation: Conversation, op: SlackOp<'update_message'>): Promise<OpOutcome> {
  const followUp = op.messageId ? await findMessageById(deps.db, op.messageId) : undefined;
  if (!followUp) {
    await markOpsDone(deps.db, [op.id], deps.clock.now());
    return { progressed: true };
  }
  const target = followUp.contextWaMessageId ? await findMessageByWaId(deps.db, followUp.contextWaMessageId) : undefined;
  const kind = contentOf(followUp).kind;
  if (kind === 'edit' || kind === 'revoke') return renderCustomerChange(deps, conversation, op, followUp, target);
  return renderReaction(deps, conversation, op, followUp, target);
}

/**
 * The customer reacted. On one of their own messages we already posted: re-render that post with the reaction.
 * On an agent's message (or one we cannot re-render): a short line in the thread saying so.
 */
async function renderReaction(
  deps: Deps,
  conversation: Conversation,
  op: SlackOp<'update_message'>,
  reaction: Message,
  target: Message | undefined,
): Promise<OpOutcome> {
  if (target && target.direction === 'inbound' && target.slackTs) {
    const done = await rerenderInboundPost(deps, conversation, op, target, target.slackTs);
    if (done) return done;
  }
  const emoji = (contentOf(reaction) as { emoji?: string }).emoji;
  // The notice is mrkdwn: the quoted text is the customer's or an agent's, so `<!here>` in it must stay inert (slack.md §6.2).
  const what = target ? `“${makeSnippet(snippetOf(target))}”` : 'an earlier message';
  const text = emoji ? `The customer reacted ${escapeMrkdwn(emoji)} to ${what}` : `The customer removed their reaction to ${what}`;
  return postThreadNotice(deps, conversation, op, buildGenericNotice(text));
}

/**
 * The customer edited or deleted one of their messages. Its post is re-rendered in place, marked, with the first
 * version kept (loadInboundInput reads every edit and deletion of a message, so any later render shows them too).
 * When its post is still to come, that post will show the change: nothing to do now — this is also how an edit that
 * overtook its original (webhooks are unordered, reference/whatsapp.md §1.3) ends up on it. Otherwise — threadline
 * never had the original, or its post cannot be updated (a file share has no ts) — a line in the thread says what
 * changed, so the change is never lost.
 */
async function renderCustomerChange(
  deps: Deps,
  conversation: Conversation,
  op: SlackOp<'update_message'>,
  change: Message,
  target: Message | undefined,
): Promise<OpOutcome> {
  const ours = target?.direction === 'inbound' ? target : undefined;
  if (ours && ours.slackState !== 'posted') {
    const waiting = await listOpenPostOpIdsForMessages(deps.db, ours.conversationId, [ours.id]);
    if (waiting.length > 0) {
      await markOpsDone(deps.db, [op.id], deps.clock.now());
      return { progressed: true };
    }
  }
  if (ours?.slackTs) {
    const done = await rerenderInboundPost(deps, conversation, op, ours, ours.slackTs);
    if (done) return done;
  }
  return postThreadNotice(deps, conversation, op, await describeChange(deps, conversation, change, ours));
}

async function describeChange(deps: Deps, conversation: Conversation, change: Message, original: Message | undefined): Promise<SlackMessage> {
  const content = contentOf(change);
  const at = change.waTimestamp ?? change.createdAt;
  let permalink: string | undefined;
  if (original?.slackTs) {
    try {
      permalink = await deps.slack.getPermalink({ channel: original.slackChannelId ?? conversation.channelId, ts: original.slackTs });
    } catch (err) {
      deps.logger.debug({ err }, 'no permalink for an edited message');
    }
  }
  const known = original ? { snippetMrkdwn: whatsappToMrkdwn(snippetOf(original)), permalink } : undefined;
  if (content.kind !== 'edit') return buildCustomerChangeNotice({ change: 'revoke', at, original: known });
  const newVersion = content.edited.kind === 'unknown' ? undefined : renderInboundBody(viewOf(content.edited));
  return buildCustomerChangeNotice({ change: 'edit', at, original: known, newVersionMrkdwn: newVersion });
}

/**
 * Re-renders the post that carries `target` (a coalesced post carries several messages: all of them), in the thread
 * it lives in — maybe an earlier, closed conversation of this customer. Undefined when the post, with what it now
 * has to show, no longer fits one message (50 blocks, slack.md §5): the caller says it in the thread instead.
 */
async function rerenderInboundPost(
  deps: Deps,
  conversation: Conversation,
  op: SlackOp<'update_message'>,
  target: Message,
  slackTs: string,
): Promise<OpOutcome | undefined> {
  const home = target.conversationId === conversation.id ? conversation : await findConversationById(deps.db, target.conversationId);
  const channel = target.slackChannelId ?? home?.channelId ?? conversation.channelId;
  const sharing = (await listMessagesBySlackTs(deps.db, target.conversationId, slackTs)).filter((m) => m.direction === 'inbound');
  const inputs = await loadInboundInputs(deps, sharing.length > 0 ? sharing : [target], channel);
  if (inputs.length > 1 && fitsInBatch(inputs) < inputs.length) return undefined;
  const wait = await awaitSlackTurn(deps, op, Buckets.slackUpdate, deps.pace.slackTier3);
  if (wait > 0) return { progressed: false, waitMs: wait };
  const rendered = inputs.length > 1 ? buildInboundBatch(inputs) : buildInboundMessage(inputs[0]!);
  // chat.update is idempotent: a retry after an unanswered call writes the same post again.
  await deps.slack.updateMessage({ channel, ts: slackTs, text: rendered.text, blocks: rendered.blocks });
  deps.metrics.slackCalls.inc({ method: 'chat.update', outcome: 'ok' });
  await markOpsDone(deps.db, [op.id], deps.clock.now());
  return { progressed: true };
}
