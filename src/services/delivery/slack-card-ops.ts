import { buildHeaderCard } from '../../../blocks/header-card';
import type { Tx } from '../../../db/client';
import { findConversationById, markCardRendered, setThreadTs } from '../../../db/queries/conversations';
import { enqueueCardUpdate, listOpenOpIds, markOpInFlight, markOpsDone } from '../../../db/queries/slack-outbox';
import type { Conversation, SlackOp } from '../../../db/schema';
import type { Deps } from '../../deps';
import { loadHeaderCardInput } from '../header-card';
import { Buckets } from '../../queue/rate-limiter';
import { blocksFor } from './plain-fallback';
import type { OpOutcome } from './slack-ops';
import { awaitSlackTurn } from '../../queue/slack-turn';

/** Slack ts for "a few minutes before this op was created": where to start reading history back. */
function tsBefore(date: Date, minutes: number): string {
  return ((date.getTime() - minutes * 60_000) / 1000).toFixed(6);
}

/** The thread's parent: the header card. Posted once; an uncertain post is looked for before posting again. */
export async function postCard(deps: Deps, conversation: Conversation, op: SlackOp<'post_card'>): Promise<OpOutcome> {
  const now = deps.clock.now();
  if (conversation.threadTs) {
    await markOpsDone(deps.db, [op.id], now, conversation.threadTs);
    return { progressed: true };
  }
  if (op.state === 'in_flight') {
    const found = await deps.slack.findPostedMessage({
      channel: conversation.channelId,
      opId: op.id,
      oldest: tsBefore(op.createdAt, 10),
    });
    if (found) return finishCard(deps, conversation, op, found, conversation.cardVersion);
  }
  const wait = await awaitSlackTurn(deps, op, Buckets.slackPost(conversation.channelId), deps.pace.slackPost);
  if (wait > 0) return { progressed: false, waitMs: wait };
  const input = await loadHeaderCardInput(deps, conversation);
  const card = buildHeaderCard(input);
  await markOpInFlight(deps.db, op.id);
  const { ts } = await deps.slack.postMessage({
    channel: conversation.channelId,
    text: card.text,
    blocks: blocksFor(op, card.blocks),
    metadata: { opId: op.id, conversationId: conversation.id },
  });
  deps.metrics.slackCalls.inc({ method: 'chat.postMessage', outcome: 'ok' });
  return finishCard(deps, conversation, op, ts, input.cardVersion);
}

async function finishCard(deps: Deps, conversation: Conversation, op: SlackOp, ts: string, version: number): Promise<OpOutcome> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await setThreadTs(tx, conversation.id, ts);
    await markCardRendered(tx, conversation.id, version, now);
    await markOpsDone(tx, [op.id], now, ts);
    await redrawIfChangedSince(tx, conversation.id, version);
  });
  return { progressed: true };
}

/**
 * A change that lands while a card is being drawn found our op still pending and added none of its own; if the
 * conversation moved on past the version just drawn, queue one more redraw so the card never stays stale.
 */
async function redrawIfChangedSince(tx: Tx, conversationId: number, drawnVersion: number): Promise<void> {
  const current = await findConversationById(tx, conversationId);
  if (current && current.cardVersion > drawnVersion) await enqueueCardUpdate(tx, conversationId);
}

/**
 * Re-render the card from the current state. Every pending card update of the conversation is covered by this
 * one render (chat.update is Tier 3, ~50/min per workspace: slack.md §1.2).
 */
export async function updateCard(deps: Deps, conversation: Conversation, op: SlackOp<'update_card'>): Promise<OpOutcome> {
  const now = deps.clock.now();
  const pending = await listOpenOpIds(deps.db, conversation.id, 'update_card');
  const ids = [op.id, ...pending.filter((id) => id !== op.id)];
  // Read after the ops, never the step's earlier snapshot: a change commits its version bump and its op together,
  // so a row read now carries the version of every op listed above. With the snapshot, a resolve that committed
  // between the two reads had its op marked done unrendered and the card stayed "open" (seen on Postgres).
  const fresh = (await findConversationById(deps.db, conversation.id)) ?? conversation;
  const threadTs = fresh.threadTs;
  if (!threadTs || fresh.cardRenderedVersion >= fresh.cardVersion) {
    if (threadTs) await markOpsDone(deps.db, ids, now);
    return { progressed: true };
  }
  const wait = await awaitSlackTurn(deps, op, Buckets.slackUpdate, deps.pace.slackTier3);
  if (wait > 0) return { progressed: false, waitMs: wait };
  // A change committed after `fresh` was read gets its own op, or is redrawn by redrawIfChangedSince below.
  const input = await loadHeaderCardInput(deps, fresh);
  const card = buildHeaderCard(input);
  await deps.slack.updateMessage({ channel: fresh.channelId, ts: threadTs, text: card.text, blocks: card.blocks });
  deps.metrics.slackCalls.inc({ method: 'chat.update', outcome: 'ok' });
  await deps.db.transaction(async (tx) => {
    await markCardRendered(tx, conversation.id, input.cardVersion, now);
    await markOpsDone(tx, ids, now);
    await redrawIfChangedSince(tx, conversation.id, input.cardVersion);
  });
  return { progressed: true };
}
