import type { KnownBlock } from '@slack/types';
import { markMessagesPosted } from '../../../db/queries/messages';
import { listOpenPostOpIdsForMessages, markOpsDone } from '../../../db/queries/slack-outbox';
import type { Conversation, SlackOp } from '../../../db/schema';
import type { Deps } from '../../deps';
import { blocksFor } from './plain-fallback';

/**
 * One post of customer content in the thread, under the customer's name (chat:write.customize, slack.md §6.1),
 * carrying the op id in its metadata so an uncertain post is found again instead of posted twice (DESIGN §4).
 */
export async function postAsCustomer(
  deps: Deps,
  conversation: Conversation,
  op: SlackOp,
  messageIds: number[],
  rendered: { text: string; blocks: KnownBlock[] },
  username: string,
): Promise<void> {
  const { ts } = await deps.slack.postMessage({
    channel: conversation.channelId,
    threadTs: conversation.threadTs as string,
    text: rendered.text,
    blocks: blocksFor(op, rendered.blocks),
    username,
    iconEmoji: ':speech_balloon:',
    metadata: { opId: op.id, conversationId: conversation.id },
  });
  deps.metrics.slackCalls.inc({ method: 'chat.postMessage', outcome: 'ok' });
  await finishPost(deps, conversation, messageIds, ts);
}

/** The messages are in the thread (`ts` unknown for file shares): mark them and every post op that carried them. */
export async function finishPost(deps: Deps, conversation: Conversation, messageIds: number[], ts: string | undefined): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await markMessagesPosted(tx, messageIds, ts, conversation.channelId);
    await markOpsDone(tx, await listOpenPostOpIdsForMessages(tx, conversation.id, messageIds), now, ts);
  });
}
