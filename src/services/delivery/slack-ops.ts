import { findConversationById } from '../../../db/queries/conversations';
import {
  deferOp,
  enqueueSlackOp,
  listOpenSlackOps,
  markOpFailed,
  recordOpAttempt,
  setOpPayload,
} from '../../../db/queries/slack-outbox';
import type { Conversation, SlackOp, SlackOpKind } from '../../../db/schema';
import type { Deps } from '../../deps';
import { SlackError, SlackPermanentError, SlackRateLimitedError } from '../../slack/gateway';
import { postCard, updateCard } from './slack-card-ops';
import { postInboundMessages } from './slack-message-ops';
import { renderFollowUp } from './slack-follow-up-ops';
import { addNoteReaction, postNotice, showStatus } from './slack-misc-ops';
import { yieldToWebhookWrites } from '../../queue/ack-priority';
import { Buckets } from '../../queue/rate-limiter';
import { IDLE, type StepResult, backoffMs, combine } from '../../queue/step';

export interface OpOutcome {
  progressed: boolean;
  /** The op could not run yet (rate limit, backoff): come back after this many ms. */
  waitMs?: number;
}

export type OpRunner<K extends ConversationOpKind = ConversationOpKind> = (deps: Deps, conversation: Conversation, op: SlackOp<K>) => Promise<OpOutcome>;

/** Every kind but the channel-level post, which has no conversation (channel-posts.ts). */
type ConversationOpKind = Exclude<SlackOpKind, 'post_channel'>;

/**
 * Ops whose order in the thread matters: a later one waits behind a blocked earlier one. Card updates and
 * reactions are not ordered and may overtake.
 */
const ORDERED: ReadonlySet<SlackOpKind> = new Set(['post_card', 'post_message', 'post_notice', 'update_message']);

const RUNNERS: { [K in ConversationOpKind]: OpRunner<K> } = {
  post_card: postCard,
  update_card: updateCard,
  post_message: postInboundMessages,
  update_message: renderFollowUp,
  show_status: showStatus,
  add_reaction: addNoteReaction,
  post_notice: postNotice,
};

/** Slack errors that mean "fix the setup" (bot not in channel, token revoked): keep the work and retry slowly. */
const SETUP_ERRORS = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'ekm_access_denied',
]);
const SETUP_RETRY_MS = 5 * 60_000;

/** One pass over a conversation's Slack outbox, in order (DESIGN §4). */
export async function runSlackOps(deps: Deps, conversationId: number): Promise<StepResult> {
  let result = IDLE;
  const skipped = new Set<number>();
  for (let pass = 0; pass < 200; pass++) {
    await yieldToWebhookWrites(deps);
    const conversation = await findConversationById(deps.db, conversationId);
    if (!conversation) return result;
    const parsed = (await listOpenSlackOps(deps.db, conversationId, 50)).find((o) => !skipped.has(o.ok ? o.op.id : o.row.id));
    if (!parsed) return result;
    if (!parsed.ok) {
      // Our own data in a shape we never write: set it aside visibly instead of stopping the thread behind it.
      deps.logger.error({ conversationId, opId: parsed.row.id, kind: parsed.row.kind, err: parsed.error }, 'Slack op unreadable; set aside');
      await markOpFailed(deps.db, parsed.row.id, parsed.error, deps.clock.now());
      result = combine(result, { progressed: true, waitMs: Infinity });
      continue;
    }
    const op = parsed.op;
    const readyIn = op.notBefore ? op.notBefore.getTime() - deps.clock.now().getTime() : 0;
    let outcome: OpOutcome;
    if (readyIn > 0) outcome = { progressed: false, waitMs: readyIn };
    else if (op.kind === 'post_channel') {
      await markOpFailed(deps.db, op.id, 'a channel post filed under a conversation', deps.clock.now());
      outcome = { progressed: true };
    } else if (op.kind !== 'post_card' && !conversation.threadTs) {
      // The card is the thread's parent; nothing goes in before it exists. Its op comes first, so this only
      // happens when the card op failed for good.
      outcome = { progressed: false, waitMs: SETUP_RETRY_MS };
    } else outcome = await runGuarded(deps, conversation, op);
    result = combine(result, { progressed: outcome.progressed, waitMs: outcome.waitMs ?? Infinity });
    if (outcome.waitMs !== undefined) {
      if (ORDERED.has(op.kind)) return { ...result, headWaitMs: outcome.waitMs };
      skipped.add(op.id);
    }
  }
  return result;
}

/** The rate-limit bucket an op draws from, so a 429 pauses exactly that budget. */
function bucketFor(op: SlackOp, conversation: Conversation): string {
  switch (op.kind) {
    case 'post_card':
    case 'post_message':
    case 'post_notice':
      return Buckets.slackPost(conversation.channelId);
    case 'update_card':
    case 'update_message':
      return Buckets.slackUpdate;
    case 'show_status':
    case 'add_reaction':
      return Buckets.slackReactions;
    case 'post_channel':
      return Buckets.slackPost(op.channelId ?? conversation.channelId);
    default:
      return op satisfies never;
  }
}

async function runGuarded(deps: Deps, conversation: Conversation, op: SlackOp<ConversationOpKind>): Promise<OpOutcome> {
  try {
    return await (RUNNERS[op.kind] as OpRunner)(deps, conversation, op);
  } catch (err) {
    if (err instanceof SlackError) return handleSlackError(deps, conversation, op, err);
    return handleOwnError(deps, conversation, op, err);
  }
}

/** Slack refused the content itself: these are fixed by posting the same thing as plain text. */
const CONTENT_ERRORS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_blocks_too_long', 'msg_too_long', 'invalid_arguments']);
const PLAIN_TEXT_KINDS: ReadonlySet<SlackOpKind> = new Set(['post_card', 'post_message', 'post_notice']);
/** Our own failures (a rendering bug, a database hiccup) are retried this often before the op is set aside. */
const MAX_OWN_ATTEMPTS = 5;

/**
 * Not a Slack error: a bug or a database problem. Retried with backoff; after a few attempts the op is set aside
 * and the thread says something could not be shown, so one bad item never blocks the thread and is never silent.
 */
async function handleOwnError(deps: Deps, conversation: Conversation, op: SlackOp, err: unknown): Promise<OpOutcome> {
  const attempts = op.attempts + 1;
  deps.logger.error({ err, conversationId: conversation.id, opId: op.id, kind: op.kind, attempts }, 'Slack op failed');
  const now = deps.clock.now();
  await recordOpAttempt(deps.db, op.id);
  if (attempts < MAX_OWN_ATTEMPTS) {
    const delay = backoffMs(attempts);
    await deferOp(deps.db, op.id, new Date(now.getTime() + delay), String(err), op.state === 'in_flight');
    return { progressed: false, waitMs: delay };
  }
  await deps.db.transaction(async (tx) => {
    await markOpFailed(tx, op.id, String(err), now);
    if (op.kind !== 'post_notice' && conversation.threadTs) {
      await enqueueSlackOp(tx, {
        conversationId: conversation.id,
        kind: 'post_notice',
        messageId: op.messageId ?? undefined,
        payload: { notice: 'text', text: '⚠️ threadline could not show something that arrived here. It is stored; an admin can find it in the logs.' },
      });
    }
  });
  return { progressed: true };
}

async function handleSlackError(deps: Deps, conversation: Conversation, op: SlackOp, err: SlackError): Promise<OpOutcome> {
  const now = deps.clock.now();
  const log = { conversationId: conversation.id, opId: op.id, kind: op.kind, channel: conversation.channelId, err: err.message };
  if (err instanceof SlackRateLimitedError) {
    // Honour Retry-After (slack.md §1.3) for this channel's (or method's) bucket only: other channels keep going.
    await deps.limits.pause(bucketFor(op, conversation), err.retryAfterMs);
    await deferOp(deps.db, op.id, new Date(now.getTime() + err.retryAfterMs), err.message, op.state === 'in_flight');
    deps.logger.warn(log, 'Slack rate limited us; waiting');
    return { progressed: false, waitMs: err.retryAfterMs };
  }
  if (err instanceof SlackPermanentError && CONTENT_ERRORS.has(err.code) && PLAIN_TEXT_KINDS.has(op.kind) && !('plain' in op.payload && op.payload.plain)) {
    await setOpPayload(deps.db, op, { ...op.payload, plain: true } as never);
    deps.logger.warn(log, 'Slack refused the blocks; posting as plain text');
    return { progressed: false, waitMs: 10 };
  }
  if (err instanceof SlackPermanentError && !SETUP_ERRORS.has(err.code)) {
    await markOpFailed(deps.db, op.id, err.message, now);
    deps.logger.error(log, 'Slack refused an op for good');
    return { progressed: true };
  }
  const delay = err instanceof SlackPermanentError ? SETUP_RETRY_MS : backoffMs(op.attempts);
  // Uncertain: the post may exist. Stay in_flight so the next attempt reads the thread back first (DESIGN §4).
  await deferOp(deps.db, op.id, new Date(now.getTime() + delay), err.message, err.kind === 'uncertain');
  (err instanceof SlackPermanentError ? deps.logger.error : deps.logger.warn).call(
    deps.logger,
    { ...log, retryInMs: delay },
    err instanceof SlackPermanentError ? 'Slack setup problem; will retry (check the bot is in the channel and the token)' : 'Slack call failed; will retry',
  );
  return { progressed: false, waitMs: delay };
}
