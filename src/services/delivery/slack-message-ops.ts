import { buildInboundBatch, buildInboundMessage, fitsInBatch, isBatchable } from '../../../blocks/inbound-message';
import { findContactById } from '../../../db/queries/contacts';
import { findMessageById, listMessagesByIds } from '../../../db/queries/messages';
import {
  listOpenSlackOps,
  markOpInFlight,
  markOpsDone,
  setOpPayload,
} from '../../../db/queries/slack-outbox';
import type { Conversation, Message, SlackOp } from '../../../db/schema';
import type { Deps } from '../../deps';
import { customerDisplayName } from '../header-card';
import { contentOf, loadInboundInputs, viewOf } from '../inbound-view';
import { finishPost, postAsCustomer } from './customer-posts';
import { postInboundMedia } from './inbound-media';
import { Buckets } from '../../queue/rate-limiter';
import type { OpOutcome } from './slack-ops';
import { awaitSlackTurn } from '../../queue/slack-turn';

/** How far ahead to look for consecutive customer messages to coalesce into one post. */
const BATCH_LOOKAHEAD = 20;

/**
 * Post customer messages into the thread, in order, under the customer's name. Under backlog (several waiting
 * because of Slack's ~1 post/s per channel, slack.md §1.1) consecutive text-like messages share one post; each
 * message is still stored and marked on its own.
 */
export async function postInboundMessages(deps: Deps, conversation: Conversation, op: SlackOp<'post_message'>): Promise<OpOutcome> {
  const now = deps.clock.now();
  const message = op.messageId ? await findMessageById(deps.db, op.messageId) : undefined;
  if (!message || message.slackState === 'posted') {
    await markOpsDone(deps.db, [op.id], now);
    return { progressed: true };
  }
  const threadTs = conversation.threadTs as string;
  if (op.state === 'in_flight' && !op.payload.fileUpload) {
    const found = await deps.slack.findPostedReply({ channel: conversation.channelId, threadTs, opId: op.id });
    if (found) {
      const ids = op.payload.batch ?? [message.id];
      await finishPost(deps, conversation, ids, found);
      return { progressed: true };
    }
  }
  if (contentOf(message).kind === 'media') {
    const contact = await findContactById(deps.db, conversation.contactId);
    return postInboundMedia(deps, conversation, op, message, customerDisplayName(contact));
  }
  // The channel's turn first: while Slack's limit holds the thread back, nothing is rendered in vain.
  const wait = await awaitSlackTurn(deps, op, Buckets.slackPost(conversation.channelId), deps.pace.slackPost);
  if (wait > 0) return { progressed: false, waitMs: wait };
  const username = customerDisplayName(await findContactById(deps.db, conversation.contactId));
  const batch = await collectBatch(deps, conversation, op, message);
  const inputs = await loadInboundInputs(deps, batch, conversation.channelId);
  const count = inputs.length > 1 ? Math.max(1, fitsInBatch(inputs)) : 1;

  const ids = batch.slice(0, count).map((m) => m.id);
  await setOpPayload(deps.db, op, { ...op.payload, batch: ids });
  await markOpInFlight(deps.db, op.id);
  const rendered = count > 1 ? buildInboundBatch(inputs.slice(0, count)) : buildInboundMessage(inputs[0]!);
  await postAsCustomer(deps, conversation, op, ids, rendered, username);
  for (const m of batch.slice(0, count)) {
    deps.metrics.inboundToSlackSeconds.observe((deps.clock.now().getTime() - m.createdAt.getTime()) / 1000);
  }
  return { progressed: true };
}

/** The first message plus the customer messages queued right behind it that can share its post. */
async function collectBatch(deps: Deps, conversation: Conversation, op: SlackOp<'post_message'>, first: Message): Promise<Message[]> {
  if (!isBatchable(viewOf(contentOf(first)))) return [first];
  const open = (await listOpenSlackOps(deps.db, conversation.id, BATCH_LOOKAHEAD + 1)).flatMap((p) => (p.ok ? [p.op] : []));
  const start = open.findIndex((o) => o.id === op.id);
  const followers: number[] = [];
  for (const next of open.slice(start + 1)) {
    if (next.kind !== 'post_message' || next.messageId === null || next.state !== 'pending' || next.notBefore) break;
    followers.push(next.messageId);
  }
  const rows = await listMessagesByIds(deps.db, followers);
  const batch = [first];
  for (const id of followers) {
    const row = rows.find((r) => r.id === id);
    if (!row || row.slackState === 'posted' || !isBatchable(viewOf(contentOf(row)))) break;
    batch.push(row);
  }
  return batch;
}


