import { buildDigestMessage } from '../../blocks/digest';
import { claimDigestRun, findDigestRun, markDigestFailed, markDigestPosted } from '../../db/queries/digest';
import { sleep } from '../clock';
import type { Deps } from '../deps';
import { ForbiddenError } from '../errors';
import { Buckets, SLACK_POST_RULE } from '../queue/rate-limiter';
import { requireRole } from './agents';
import { collectDigestReport } from './digest-report';
import { findDueDigestDay } from './digest-schedule';

/** A claim that has not posted within this long is taken over by another process (the first one died or failed). */
const STALE_CLAIM_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;
const CHECK_EVERY_MS = 30_000;

type DigestDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'logger' | 'slack' | 'limits' | 'workerId'>;

/**
 * The scheduled digest's post carries this as its message metadata op id, so a retry after an uncertain post finds
 * it by reading the channel back instead of posting twice. Negative: outbox op ids are positive.
 */
export function digestOpId(day: string): number {
  return -Number(day.replaceAll('-', ''));
}

/** Posts the digest (and its chart, in the digest's thread) into `channelId`. */
export async function postDigest(deps: DigestDeps, args: { channelId: string; opId?: number | undefined }): Promise<{ ts: string }> {
  const now = deps.clock.now();
  const report = await collectDigestReport(deps, now);
  const message = buildDigestMessage({ ...report.input, chartAttached: report.chart !== undefined });
  for (let wait = await deps.limits.take(Buckets.slackPost(args.channelId), SLACK_POST_RULE); wait > 0; ) {
    await sleep(wait);
    wait = await deps.limits.take(Buckets.slackPost(args.channelId), SLACK_POST_RULE);
  }
  const { ts } = await deps.slack.postMessage({
    channel: args.channelId,
    text: message.text,
    blocks: message.blocks,
    ...(args.opId !== undefined ? { metadata: { opId: args.opId, conversationId: 0 } } : {}),
  });
  if (report.chart) {
    // files.completeUploadExternal shares into one thread (slack.md §7.1); the numbers are in the message already,
    // so a failed chart is logged, not retried.
    try {
      await deps.slack.uploadFile({
        channel: args.channelId,
        threadTs: ts,
        filename: 'customer-messages-by-hour.png',
        title: 'Customer messages per hour, last 24 hours',
        altText: report.chart.altText,
        data: report.chart.png,
      });
    } catch (err) {
      deps.logger.warn({ err, channel: args.channelId }, 'digest chart upload failed');
    }
  }
  return { ts };
}

/**
 * `/queue digest`: managers and admins post the digest now, to DIGEST_CHANNEL or, when none is set, the channel the
 * command was run in. Posting takes longer than Slack's 3 s for the command, so it runs in the background and a
 * failure reaches the person by DM.
 */
export async function postDigestNow(
  deps: Deps,
  args: { actorId: string; channelId: string },
): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    await requireRole(deps, args.actorId, 'manager', 'post the digest');
  } catch (err) {
    if (err instanceof ForbiddenError) return { ok: false, message: err.userMessage };
    throw err;
  }
  const channelId = deps.config.digest.channel ?? args.channelId;
  if (!/^[CG][A-Z0-9]+$/.test(channelId)) {
    return { ok: false, message: 'Run `/queue digest` in a channel (or set DIGEST_CHANNEL): I do not post the digest into direct messages.' };
  }
  deps.background.run('digest on demand', async () => {
    try {
      await postDigest(deps, { channelId });
    } catch (err) {
      deps.logger.error({ err, channel: channelId }, 'digest on demand failed');
      const dm = await deps.slack.openDm(args.actorId);
      const text = `⚠️ I could not post the digest in <#${channelId}>. If I am not a member there, invite me with /invite and try again.`;
      await deps.slack.postMessage({ channel: dm, text });
    }
  });
  return { ok: true };
}

export type DigestTickResult = 'disabled' | 'not_due' | 'already_posted' | 'claimed_elsewhere' | 'posted' | 'failed';

/**
 * One check of the schedule. Every worker process runs it; the day's digest_runs row is the lock, so exactly one of
 * them posts, once per local day, whatever the daylight-saving change (digest-schedule.ts).
 */
export async function runDigestTick(deps: DigestDeps): Promise<DigestTickResult> {
  const { channel, time, timeZone } = deps.config.digest;
  if (!channel) return 'disabled';
  const now = deps.clock.now();
  const day = findDueDigestDay(now, time, timeZone);
  if (!day) return 'not_due';
  if ((await findDigestRun(deps.db, day))?.postedAt) return 'already_posted';
  const run = await claimDigestRun(deps.db, {
    day,
    channelId: channel,
    claimedBy: deps.workerId,
    now,
    staleBefore: new Date(now.getTime() - STALE_CLAIM_MS),
    maxAttempts: MAX_ATTEMPTS,
  });
  if (!run) return 'claimed_elsewhere';
  const opId = digestOpId(day);
  try {
    const found = run.attempts > 1 ? await deps.slack.findPostedMessage({ channel, opId }) : undefined;
    const ts = found ?? (await postDigest(deps, { channelId: channel, opId })).ts;
    await markDigestPosted(deps.db, { day, ts, at: deps.clock.now() });
    deps.logger.info({ day, channel, ts }, 'digest posted');
    return 'posted';
  } catch (err) {
    deps.logger.error({ err, day, channel, attempt: run.attempts }, 'digest failed; another check retries it later');
    await markDigestFailed(deps.db, day, err instanceof Error ? err.message : String(err));
    return 'failed';
  }
}

/** The worker role's digest clock: a check every 30 s (cheap until the time has come), through Background so stop waits for it. */
export function startDigestScheduler(deps: Deps): { stop(): void } {
  if (!deps.config.digest.channel) return { stop: () => undefined };
  let running = false;
  const check = () => {
    if (running) return;
    running = true;
    deps.background.run('digest check', async () => {
      try {
        await runDigestTick(deps);
      } finally {
        running = false;
      }
    });
  };
  check();
  const timer = setInterval(check, CHECK_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
