import { buildDigestMessage } from '../../blocks/digest';
import { claimDigestDay, findDigestRun } from '../../db/queries/digest';
import { enqueueChannelPost } from '../../db/queries/slack-outbox';
import type { Deps } from '../deps';
import { ForbiddenError } from '../errors';
import { CHANNEL_WORK } from '../queue/work-queue';
import { requireRole } from './agents';
import { collectDigestReport } from './digest-report';
import { findDueDigestDay } from './digest-schedule';

const CHECK_EVERY_MS = 30_000;

type DigestDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'logger' | 'slack' | 'queue' | 'workerId'>;

/**
 * The digest as a channel post in the outbox: rendered now (it is "as of" this moment, however long Slack's limit
 * holds the post back) and posted by the channel worker on the channel's one budget (DESIGN §4).
 */
async function renderDigestPost(deps: Pick<Deps, 'db' | 'slack' | 'config' | 'logger' | 'clock'>) {
  const report = await collectDigestReport(deps, deps.clock.now());
  const message = buildDigestMessage({ ...report.input, chartAttached: report.chart !== undefined });
  return {
    purpose: 'digest' as const,
    text: message.text,
    blocks: message.blocks as unknown as Record<string, unknown>[],
    attachment: report.chart
      ? {
          filename: 'customer-messages-by-hour.png',
          title: 'Customer messages per hour, last 24 hours',
          altText: report.chart.altText,
          pngBase64: report.chart.png.toString('base64'),
        }
      : undefined,
  };
}

/**
 * `/queue digest`: managers and admins post the digest now, to DIGEST_CHANNEL or, when none is set, the channel the
 * command was run in. It is queued at once and the answer says where; a failure reaches the person there
 * (channel-posts.ts), not a silent log line.
 */
export async function postDigestNow(
  deps: Deps,
  args: { actorId: string; channelId: string; responseUrl?: string | undefined },
): Promise<{ ok: true; channelId: string } | { ok: false; message: string }> {
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
  const payload = await renderDigestPost(deps);
  const requestedBy = { user: args.actorId, channel: args.channelId, ...(args.responseUrl ? { responseUrl: args.responseUrl } : {}) };
  await enqueueChannelPost(deps.db, { channelId, payload: { ...payload, requestedBy } });
  await deps.queue.signal(CHANNEL_WORK);
  return { ok: true, channelId };
}

export type DigestTickResult = 'disabled' | 'not_due' | 'already_queued' | 'claimed_elsewhere' | 'queued';

/**
 * One check of the schedule. Every worker process runs it; the day's digest_runs row is the lock, claimed in the
 * same transaction that queues the post, so exactly one of them queues it, once per local day, whatever the
 * daylight-saving change (digest-schedule.ts). The outbox then posts it exactly once.
 */
export async function runDigestTick(deps: DigestDeps): Promise<DigestTickResult> {
  const { channel, time, timeZone } = deps.config.digest;
  if (!channel) return 'disabled';
  const now = deps.clock.now();
  const day = findDueDigestDay(now, time, timeZone);
  if (!day) return 'not_due';
  if (await findDigestRun(deps.db, day)) return 'already_queued';
  const payload = await renderDigestPost(deps);
  const claimed = await deps.db.transaction(async (tx) => {
    if (!(await claimDigestDay(tx, { day, channelId: channel, claimedBy: deps.workerId, now }))) return false;
    await enqueueChannelPost(tx, { channelId: channel, payload: { ...payload, digestDay: day } });
    return true;
  });
  if (!claimed) return 'claimed_elsewhere';
  await deps.queue.signal(CHANNEL_WORK);
  deps.logger.info({ day, channel }, 'digest queued');
  return 'queued';
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
