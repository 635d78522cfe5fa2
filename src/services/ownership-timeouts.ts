import { formatElapsed } from '../../blocks/durations';
import { markAgentAssigned } from '../../db/queries/agents';
import { insertAuditEvent } from '../../db/queries/audit';
import { listChannelSettings } from '../../db/queries/channel-settings';
import {
  type DueConversation,
  listDueReleases,
  listDueReminders,
  markOwnerReminded,
  moveOverdueConversation,
} from '../../db/queries/ownership-timeouts';
import { enqueueCardUpdate, enqueueSlackOp } from '../../db/queries/slack-outbox';
import type { ChannelSettings, RoutingMode } from '../../db/schema';
import type { Deps } from '../deps';
import type { WorkSignals } from '../queue/work-queue';
import { pickAgent } from './routing';

/**
 * Ownership timeouts. A conversation whose owner leaves the customer waiting (waiting_on_agent) is reminded once in
 * its thread after the reminder period; one release period after the reminder it goes to the next agent on shift
 * when the channel routes automatically, else back to the pool. Every change is a conditional UPDATE, so several
 * workers running this at once remind and move each conversation once.
 */

const BATCH = 200;
/** Minute-scale periods: checking twice a minute is precise enough and costs two indexed queries. */
export const TIMEOUT_CHECK_INTERVAL_MS = 30_000;

type TimeoutDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'logger'> & { queue: WorkSignals };

export interface TimeoutRun {
  reminded: number[];
  released: number[];
  reassigned: number[];
}

interface Periods {
  reminder: (channelId: string) => number;
  release: (channelId: string) => number;
  mode: (channelId: string) => RoutingMode;
  shortestReminder: number;
  shortestRelease: number;
}

function periodsFrom(settings: ChannelSettings[], defaults: { ownerReminderMinutes: number; ownerReleaseMinutes: number }): Periods {
  const byChannel = new Map(settings.map((s) => [s.channelId, s]));
  const reminders = settings.flatMap((s) => (s.ownerReminderMinutes ? [s.ownerReminderMinutes] : []));
  const releases = settings.flatMap((s) => (s.ownerReleaseMinutes ? [s.ownerReleaseMinutes] : []));
  return {
    reminder: (c) => byChannel.get(c)?.ownerReminderMinutes ?? defaults.ownerReminderMinutes,
    release: (c) => byChannel.get(c)?.ownerReleaseMinutes ?? defaults.ownerReleaseMinutes,
    mode: (c) => byChannel.get(c)?.routingMode ?? 'manual',
    shortestReminder: Math.min(defaults.ownerReminderMinutes, ...reminders),
    shortestRelease: Math.min(defaults.ownerReleaseMinutes, ...releases),
  };
}

/** One pass: remind the owners that are due, then move the conversations whose owners stayed silent. */
export async function runOwnershipTimeouts(deps: TimeoutDeps): Promise<TimeoutRun> {
  const now = deps.clock.now();
  const periods = periodsFrom(await listChannelSettings(deps.db), deps.config.timeouts);
  const run: TimeoutRun = { reminded: [], released: [], reassigned: [] };
  const defaults = deps.config.timeouts;
  const dueReminders = await listDueReminders(deps.db, {
    now,
    defaultMinutes: defaults.ownerReminderMinutes,
    shortestMinutes: periods.shortestReminder,
    limit: BATCH,
  });
  for (const due of dueReminders) {
    if (await remindOwner(deps, due, periods, now)) run.reminded.push(due.id);
  }
  const dueReleases = await listDueReleases(deps.db, {
    now,
    defaultMinutes: defaults.ownerReleaseMinutes,
    // Reminded at or after the customer's wait began, so the wait is at least the release period.
    shortestMinutes: periods.shortestRelease,
    limit: BATCH,
  });
  for (const due of dueReleases) {
    const moved = await moveFromSilentOwner(deps, due, periods, now);
    if (moved === 'pool') run.released.push(due.id);
    if (moved === 'agent') run.reassigned.push(due.id);
  }
  return run;
}

async function remindOwner(deps: TimeoutDeps, due: DueConversation, periods: Periods, now: Date): Promise<boolean> {
  const release = periods.release(due.channelId);
  const then = periods.mode(due.channelId) === 'manual' ? 'it goes back to the pool' : 'it goes to the next agent on shift';
  const text =
    `⏰ <@${due.ownerId}>, the customer has been waiting ${formatElapsed(due.waitingSince, now)} for your reply. ` +
    `Reply in this thread or hand it off; if nobody answers within ${release} min, ${then}.`;
  const reminded = await deps.db.transaction(async (tx) => {
    if (!(await markOwnerReminded(tx, { id: due.id, ownerId: due.ownerId, at: now }))) return false;
    await enqueueSlackOp(tx, { conversationId: due.id, kind: 'post_notice', payload: { notice: 'text', text } });
    await insertAuditEvent(tx, {
      conversationId: due.id,
      type: 'reminded',
      actorId: 'system',
      targetId: due.ownerId,
      detail: { waitingMinutes: Math.floor((now.getTime() - due.waitingSince.getTime()) / 60_000) },
      at: now,
    });
    return true;
  });
  if (reminded) await deps.queue.signal(due.id);
  return reminded;
}

async function moveFromSilentOwner(
  deps: TimeoutDeps,
  due: DueConversation,
  periods: Periods,
  now: Date,
): Promise<'pool' | 'agent' | undefined> {
  if (!due.ownerRemindedAt) return undefined;
  const remindedAt = due.ownerRemindedAt;
  const mode = periods.mode(due.channelId);
  const silence = `${periods.reminder(due.channelId) + periods.release(due.channelId)} min`;
  const outcome = await deps.db.transaction(async (tx) => {
    const pick = mode === 'manual' ? undefined : await pickAgent(tx, { mode, excludeUserId: due.ownerId });
    const reason = pick ? `no reply from the previous owner in ${silence}, ${pick.reason}` : `no reply from the owner in ${silence}`;
    const moved = await moveOverdueConversation(tx, {
      id: due.id,
      fromOwnerId: due.ownerId,
      remindedAt,
      toOwnerId: pick?.ownerId ?? null,
      reason,
      at: now,
    });
    if (!moved) return undefined;
    if (pick) await markAgentAssigned(tx, pick.ownerId, now);
    await enqueueCardUpdate(tx, due.id);
    const text = pick
      ? `↪ <@${due.ownerId}> did not reply within ${silence}, so this conversation is now <@${pick.ownerId}>'s (next agent on shift).`
      : `↪ <@${due.ownerId}> did not reply within ${silence}, so this conversation is back in the pool: anyone can claim it.`;
    await enqueueSlackOp(tx, { conversationId: due.id, kind: 'post_notice', payload: { notice: 'text', text } });
    await insertAuditEvent(tx, {
      conversationId: due.id,
      type: pick ? 'assigned' : 'released',
      actorId: 'system',
      targetId: pick?.ownerId ?? null,
      detail: { from: due.ownerId, reason, cause: 'owner_timeout' },
      at: now,
    });
    return pick ? ('agent' as const) : ('pool' as const);
  });
  if (outcome) await deps.queue.signal(due.id);
  return outcome;
}

/** The worker role's periodic check (runtime.ts). Overlapping runs are skipped; failures are logged, not thrown. */
export function startOwnershipTimeouts(deps: TimeoutDeps, intervalMs = TIMEOUT_CHECK_INTERVAL_MS): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runOwnershipTimeouts(deps)
      .catch((err: unknown) => deps.logger.warn({ err }, 'ownership timeout check failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
