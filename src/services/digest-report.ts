import type { DigestInput, DigestList } from '../../blocks/digest';
import {
  type DigestConversation,
  countInboundByHour,
  countOpenByStateForDigest,
  countOpenedAndResolved,
  listOldestUnassigned,
  listOpenLoadPerAgent,
  listPastFirstReplyTarget,
  listWindowsClosingSoon,
  measureFirstReplies,
  summarizeFailedDeliveries,
} from '../../db/queries/digest';
import { renderBarChart } from '../charts/bar-chart';
import type { Deps } from '../deps';
import { UNEXPLAINED_FAILURE, describeErrorOrigin, explainGraphError } from '../whatsapp/error-codes';
import { type ClockHour, labelClockHours, listClockHours } from './digest-hours';
import { localDayOf } from './digest-schedule';
import { WINDOW_MS } from './window';

const HOURS = 24;
const LIST_LIMIT = 5;
const LOAD_LIMIT = 15;
const CLOSING_WITHIN_HOURS = 2;

export interface DigestReport {
  input: DigestInput;
  /** Customer messages per hour as a PNG, when there were any. */
  chart: { png: Buffer; altText: string } | undefined;
}

/** Every number of the digest at `now`, read from Postgres (db/queries/digest.ts), with links to the threads. */
export async function collectDigestReport(deps: Pick<Deps, 'db' | 'slack' | 'config' | 'logger'>, now: Date): Promise<DigestReport> {
  const since = new Date(now.getTime() - HOURS * 3600_000);
  const timeZone = deps.config.digest.timeZone;
  const clockHours = listClockHours(now, timeZone, HOURS * 3600_000);
  const targetMinutes = deps.config.timeouts.firstReplyTargetMinutes;
  const [open, counts, firstReply, oldest, load, closing, failed, pastTarget, volume] = await Promise.all([
    countOpenByStateForDigest(deps.db),
    countOpenedAndResolved(deps.db, since),
    measureFirstReplies(deps.db, since, targetMinutes),
    listOldestUnassigned(deps.db, LIST_LIMIT),
    listOpenLoadPerAgent(deps.db, LOAD_LIMIT),
    listWindowsClosingSoon(deps.db, { now, withinMs: CLOSING_WITHIN_HOURS * 3600_000, windowMs: WINDOW_MS, limit: LIST_LIMIT }),
    summarizeFailedDeliveries(deps.db, since),
    listPastFirstReplyTarget(deps.db, { now, targetMinutes, limit: LIST_LIMIT }),
    countInboundByHour(deps.db, { starts: clockHours.map((h) => h.start), until: now }),
  ]);
  const hourLabels = labelClockHours(clockHours, localDayOf(now, timeZone));
  const input: DigestInput = {
    dayLabel: new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(now),
    timeZone,
    now,
    open,
    opened: counts.opened,
    resolved: counts.resolved,
    firstReply: { ...firstReply, targetMinutes },
    pastTarget: await withLinks(deps, pastTarget),
    oldestUnassigned: await withLinks(deps, oldest),
    closingSoon: { ...(await withLinks(deps, closing)), withinHours: CLOSING_WITHIN_HOURS },
    load,
    failed: { total: failed.total, byCode: explainFailures(failed.groups) },
    volume: { counts: volume, hourLabels },
    chartAttached: false,
  };
  const total = volume.reduce((a, b) => a + b, 0);
  const chart =
    total > 0
      ? {
          png: renderBarChart({ values: volume, labels: clockHours.map(chartLabel) }),
          altText: `Customer messages per clock hour over the last 24 hours (${timeZone}), from ${hourLabels[0] ?? '?'} to now: ${volume.join(', ')}`,
        }
      : undefined;
  return { input, chart };
}

/** Under every third bar, the hour alone (the chart's font has digits only; the message carries the full labels). */
function chartLabel(hour: ClockHour): string {
  const [hh, mm] = hour.time.split(':');
  return mm === '00' && Number(hh) % 3 === 0 ? (hh ?? '') : '';
}

/**
 * The plain words agents saw in the thread (error-codes.ts), instead of Meta's title, beside Meta's code for whoever
 * takes it to Meta's support — or the name of threadline's own failure, which has no Meta code. Groups that read the
 * same (one code under several titles) are counted together, most frequent first. A failed status without any error
 * carries no code ('?').
 */
function explainFailures(groups: { code: string; title: string; count: number }[]): DigestInput['failed']['byCode'] {
  const merged = new Map<string, { origin: string; explanation: string; count: number }>();
  for (const group of groups) {
    const code = Number(group.code);
    const error = group.code === '?' || !Number.isInteger(code) ? undefined : { code, title: group.title || undefined };
    const origin = describeErrorOrigin(error, 'Meta error');
    const explanation = error ? explainGraphError(error) : UNEXPLAINED_FAILURE;
    const key = `${origin}\n${explanation}`;
    const seen = merged.get(key);
    if (seen) seen.count += group.count;
    else merged.set(key, { origin, explanation, count: group.count });
  }
  return [...merged.values()].sort((a, b) => b.count - a.count);
}

async function withLinks(deps: Pick<Deps, 'slack' | 'logger'>, list: { total: number; items: DigestConversation[] }): Promise<DigestList> {
  const items = await Promise.all(
    list.items.map(async (c) => ({
      customer: { name: c.customerName ?? undefined, phone: c.customerPhone ?? undefined, username: c.customerUsername ?? undefined },
      ownerId: c.ownerId ?? undefined,
      at: c.at,
      permalink: c.threadTs ? await permalinkOrNothing(deps, c.channelId, c.threadTs) : undefined,
    })),
  );
  return { total: list.total, items };
}

async function permalinkOrNothing(deps: Pick<Deps, 'slack' | 'logger'>, channel: string, ts: string): Promise<string | undefined> {
  try {
    return await deps.slack.getPermalink({ channel, ts });
  } catch (err) {
    deps.logger.warn({ err, channel }, 'digest: no permalink');
    return undefined;
  }
}
