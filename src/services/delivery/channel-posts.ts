import type { KnownBlock } from '@slack/types';
import { markDigestPosted } from '../../../db/queries/digest';
import { deferOp, markOpFailed, markOpInFlight, markOpsDone, setOpPayload } from '../../../db/queries/slack-outbox';
import type { SlackOp } from '../../../db/schema';
import type { Deps } from '../../deps';
import { pgSafeMessage } from '../../pg-safe';
import { Buckets } from '../../queue/rate-limiter';
import { awaitSlackTurn } from '../../queue/slack-turn';
import { backoffMs } from '../../queue/step';
import { SlackError, SlackPermanentError, SlackRateLimitedError } from '../../slack/gateway';
import type { OpOutcome } from './slack-ops';

/** Tries of a channel post before it is given up (and whoever asked for it is told). */
const MAX_ATTEMPTS = 8;
/** "Fix the setup" errors: a scheduled post retries this slowly; one someone asked for fails at once. */
const SETUP_ERRORS = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'invalid_auth', 'not_authed', 'token_revoked', 'missing_scope', 'account_inactive']);
const SETUP_RETRY_MS = 5 * 60_000;

/**
 * A channel-level post (the digest, an inbox notice) from the outbox: through the channel's one posting budget,
 * exactly once (its op id in the message metadata, read back after an uncertain call), then its attachment into the
 * post's thread (the digest's chart).
 */
export async function runChannelPost(deps: Deps, op: SlackOp<'post_channel'>): Promise<OpOutcome> {
  const channel = op.channelId;
  if (!channel) {
    await markOpFailed(deps.db, op.id, 'a channel post without a channel', deps.clock.now());
    return { progressed: true };
  }
  try {
    return await postAndAttach(deps, op, channel);
  } catch (err) {
    if (!(err instanceof SlackError)) throw err;
    return handleFailure(deps, op, channel, err);
  }
}

async function postAndAttach(deps: Deps, op: SlackOp<'post_channel'>, channel: string): Promise<OpOutcome> {
  let postedTs = op.payload.postedTs;
  if (!postedTs && op.state === 'in_flight') postedTs = await deps.slack.findPostedMessage({ channel, opId: op.id });
  if (!postedTs) {
    const wait = await awaitSlackTurn(deps, op, Buckets.slackPost(channel), deps.pace.slackPost);
    if (wait > 0) return { progressed: false, waitMs: wait };
    await markOpInFlight(deps.db, op.id);
    ({ ts: postedTs } = await deps.slack.postMessage({
      channel,
      text: op.payload.text,
      blocks: op.payload.plain ? undefined : (op.payload.blocks as unknown as KnownBlock[]),
      metadata: { opId: op.id, conversationId: 0 },
    }));
    deps.metrics.slackCalls.inc({ method: 'chat.postMessage', outcome: 'ok' });
    await setOpPayload(deps.db, op, { ...op.payload, postedTs, slot: undefined });
  }
  const attachment = op.payload.attachment;
  if (attachment) {
    // The numbers are in the post already: a chart that cannot be shared is logged, not retried (it could double).
    try {
      await deps.slack.uploadFile({
        channel,
        threadTs: postedTs,
        filename: attachment.filename,
        title: attachment.title,
        altText: attachment.altText,
        data: Buffer.from(attachment.pngBase64, 'base64'),
      });
    } catch (err) {
      deps.logger.warn({ err, channel, opId: op.id }, 'channel post attachment not shared');
    }
  }
  const at = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await markOpsDone(tx, [op.id], at, postedTs);
    if (op.payload.digestDay) await markDigestPosted(tx, { day: op.payload.digestDay, ts: postedTs, at });
  });
  if (op.payload.purpose === 'digest') deps.logger.info({ channel, ts: postedTs, day: op.payload.digestDay }, 'digest posted');
  return { progressed: true };
}

async function handleFailure(deps: Deps, op: SlackOp<'post_channel'>, channel: string, err: SlackError): Promise<OpOutcome> {
  const now = deps.clock.now();
  const log = { opId: op.id, channel, purpose: op.payload.purpose, err: err.message };
  if (err instanceof SlackRateLimitedError) {
    await deps.limits.pause(Buckets.slackPost(channel), err.retryAfterMs);
    await deferOp(deps.db, op.id, new Date(now.getTime() + err.retryAfterMs), err.message, op.state === 'in_flight');
    return { progressed: false, waitMs: err.retryAfterMs };
  }
  const setup = err instanceof SlackPermanentError && SETUP_ERRORS.has(err.code);
  const giveUp =
    (err instanceof SlackPermanentError && (!setup || op.payload.requestedBy !== undefined)) || op.attempts + 1 >= MAX_ATTEMPTS;
  if (giveUp) {
    await markOpFailed(deps.db, op.id, pgSafeMessage(err), now);
    deps.logger.error(log, 'channel post given up');
    await tellRequester(deps, op, channel, err);
    return { progressed: true };
  }
  const delay = setup ? SETUP_RETRY_MS : backoffMs(op.attempts + 1);
  await deferOp(deps.db, op.id, new Date(now.getTime() + delay), pgSafeMessage(err), err.kind === 'uncertain');
  deps.logger.warn({ ...log, retryInMs: delay }, setup ? 'channel post waits for the setup to be fixed (is the bot in the channel?)' : 'channel post failed; will retry');
  return { progressed: false, waitMs: delay };
}

/**
 * `/queue digest` said where it would post: a failure is reported where the person ran it. The command's response_url
 * first, because it reaches them there even when the bot is not in that channel (then chat.postEphemeral fails too,
 * slack.md §3); an ephemeral once the URL has expired (30 minutes) or been used up; their DM with the app last.
 */
async function tellRequester(deps: Deps, op: SlackOp<'post_channel'>, channel: string, err: SlackError): Promise<void> {
  const to = op.payload.requestedBy;
  if (!to) return;
  const why =
    err instanceof SlackPermanentError && (err.code === 'not_in_channel' || err.code === 'channel_not_found')
      ? `I am not a member of <#${channel}>: invite me with \`/invite @threadline\` there and run \`/queue digest\` again.`
      : `Slack answered \`${err instanceof SlackPermanentError ? err.code : err.message}\`. Try \`/queue digest\` again in a minute.`;
  const text = `⚠️ I could not post the digest in <#${channel}>. ${why}`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if (to.responseUrl) {
    try {
      await deps.slack.respond({ responseUrl: to.responseUrl, text, blocks });
      return;
    } catch (respondErr) {
      deps.logger.warn({ err: respondErr, opId: op.id }, 'the command’s response_url did not take the digest failure; trying an ephemeral');
    }
  }
  try {
    await deps.slack.postEphemeral({ channel: to.channel, user: to.user, text, blocks });
  } catch (ephemeralErr) {
    // Not in the channel the command came from either (a DM, say): the person's DM with the app is left.
    try {
      const dm = await deps.slack.openDm(to.user);
      await deps.slack.postMessage({ channel: dm, text });
    } catch (dmErr) {
      deps.logger.error({ err: dmErr, ephemeralErr, opId: op.id }, 'could not tell the requester the digest failed');
    }
  }
}
