import { buildHeldMarker, buildHeldMarkerDecided, type HeldMarkerInput } from '../../blocks/held-marker';
import type { DbOrTx } from '../../db/client';
import { findHeldMarkerOp, replacePendingMarker } from '../../db/queries/held-markers';
import { mergeMessagePayload } from '../../db/queries/messages';
import { enqueueSlackOp } from '../../db/queries/slack-outbox';
import type { Message } from '../../db/schema';
import type { Deps } from '../deps';

/**
 * A held reply is marked in the thread for everyone ("✋ Not sent …", with the author's two buttons), through the
 * outbox as a post_notice in the thread's order. The held message keeps the op's id, so deciding it later (from the
 * ephemeral or from the marker) turns the marker into what happened.
 */

/** In the hold's transaction. */
export async function enqueueHeldMarker(db: DbOrTx, conversationId: number, input: HeldMarkerInput): Promise<void> {
  const rendered = buildHeldMarker(input);
  const opId = await enqueueSlackOp(db, {
    conversationId,
    kind: 'post_notice',
    messageId: input.messageId,
    payload: { notice: 'text', text: rendered.text, blocks: rendered.blocks as unknown as Record<string, unknown>[] },
  });
  await mergeMessagePayload(db, input.messageId, { heldMarkerOpId: opId });
}

/**
 * After the decision committed: a marker not posted yet will say what happened instead; a posted one is edited in
 * place (chat.update, after the durable work, like an ephemeral). A marker the worker is posting at this very moment
 * keeps its buttons; pressing them then says the reply was already handled.
 */
export async function settleHeldMarker(
  deps: Pick<Deps, 'db' | 'slack' | 'background'>,
  rows: readonly Message[],
  outcome: 'sent' | 'noted',
): Promise<void> {
  const first = rows.find((r) => typeof r.payload.heldMarkerOpId === 'number');
  const opId = first?.payload.heldMarkerOpId;
  if (!first || typeof opId !== 'number') return;
  const op = await findHeldMarkerOp(deps.db, opId);
  if (!op) return;
  const decided = buildHeldMarkerDecided({ authorId: first.slackUserId ?? 'someone', snippet: snippetOf(first), outcome });
  if (op.state === 'pending' && (await replacePendingMarker(deps.db, op.id, { text: decided.text, blocks: decided.blocks }))) return;
  const ts = op.resultTs;
  const channel = first.slackChannelId;
  if (!ts || !channel) return;
  deps.background.run('settle held marker', () => deps.slack.updateMessage({ channel, ts, text: decided.text, blocks: decided.blocks }));
}

function snippetOf(message: Message): string {
  const text = typeof message.payload.slackText === 'string' ? message.payload.slackText : message.body;
  return text?.trim() || `[${message.kind}]`;
}
