import type { KnownBlock } from '@slack/types';
import { composeMessage, context, customerLabelMrkdwn, escapeMrkdwn, fieldsSection, header, link, mention, sections } from './primitives';
import type { CustomerView, SlackMessage } from './types';

/** The daily digest for managers: the queue's shape now and what happened in the last 24 hours. */

export interface DigestListItem {
  customer: CustomerView;
  permalink?: string | undefined;
  ownerId?: string | undefined;
  /** Waiting since / window closes at / opened at, per list. */
  at: Date;
}

export interface DigestList {
  total: number;
  items: DigestListItem[];
}

export interface DigestInput {
  /** "Tuesday, 24 November 2026", in DIGEST_TZ. */
  dayLabel: string;
  timeZone: string;
  now: Date;
  open: { unassigned: number; waiting_on_agent: number; waiting_on_customer: number };
  opened: number;
  resolved: number;
  firstReply: { count: number; medianMs?: number | undefined; p90Ms?: number | undefined; overTarget: number; targetMinutes: number };
  pastTarget: DigestList;
  oldestUnassigned: DigestList;
  closingSoon: DigestList & { withinHours: number };
  load: { ownerId: string; open: number; waitingOnAgent: number }[];
  /**
   * Failed WhatsApp deliveries, most frequent first, each in the words agents were shown, with where it came from
   * ("Meta error 131047", or the name of threadline's own failure).
   */
  failed: { total: number; byCode: { origin: string; explanation: string; count: number }[] };
  /**
   * Customer messages per clock hour in DIGEST_TZ, oldest first, each with a label no other hour shares
   * ("14:00", "09:00 yesterday", "02:00 UTC+1"; src/services/digest-hours.ts).
   */
  volume: { counts: number[]; hourLabels: string[] };
  /** The same numbers as a PNG in the thread. */
  chartAttached: boolean;
}

const LIST_ITEMS = 5;
const FAILURE_KINDS = 3;
const LOAD_ROWS = 15;
const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** "<1 min", "4 min", "1 h 05 min", "2 d 3 h". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return '<1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** One block character per value, scaled to the largest; an empty hour is the lowest bar, any other at least one up. */
export function buildSparkline(values: number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) => (v <= 0 || max === 0 ? SPARKS[0] : SPARKS[Math.max(1, Math.round((v / max) * (SPARKS.length - 1)))]))
    .join('');
}

export function buildDigestMessage(input: DigestInput): SlackMessage {
  const openTotal = input.open.unassigned + input.open.waiting_on_agent + input.open.waiting_on_customer;
  const blocks: KnownBlock[] = [
    header(`📊 Daily digest — ${input.dayLabel}`),
    fieldsSection([
      `*Open now: ${openTotal}*\n${input.open.unassigned} unassigned · ${input.open.waiting_on_agent} waiting on agent · ${input.open.waiting_on_customer} waiting on customer`,
      `*Last 24 h*\n${input.opened} new · ${input.resolved} resolved`,
      `*First reply (24 h)*\n${describeFirstReply(input.firstReply)}`,
      `*First-reply target (${input.firstReply.targetMinutes} min)*\n${input.pastTarget.total} waiting past it now · ${input.firstReply.overTarget} of the last 24 h's first replies slower`,
      `*Failed deliveries (24 h)*\n${input.failed.total}`,
      `*Windows closing within ${input.closingSoon.withinHours} h*\n${input.closingSoon.total}`,
    ]),
    ...(input.failed.total > 0 ? sections(describeFailures(input.failed), 1) : []),
    ...sections(describeVolume(input), 1),
  ];
  const now = input.now.getTime();
  pushList(blocks, 'Oldest unassigned', input.oldestUnassigned, (item) => `waiting ${formatDuration(now - item.at.getTime())}`);
  pushList(blocks, `Past the first-reply target`, input.pastTarget, (item) => `opened ${formatDuration(now - item.at.getTime())} ago, ${owner(item)}`);
  pushList(blocks, `Windows closing within ${input.closingSoon.withinHours} h`, input.closingSoon, (item) => `closes in ${formatDuration(item.at.getTime() - now)}, ${owner(item)}`);
  if (input.load.length > 0) {
    const rows = input.load.slice(0, LOAD_ROWS).map((l) => `${mention(l.ownerId)} ${l.open} open${l.waitingOnAgent > 0 ? ` (${l.waitingOnAgent} waiting on them)` : ''}`);
    blocks.push(...sections(`*Open per agent*\n${rows.join('\n')}`, 1));
  }
  blocks.push(context([`Times are in ${escapeMrkdwn(input.timeZone)}. /queue shows the live list.`]));
  const fallback = `Daily digest — ${input.dayLabel}: ${openTotal} open (${input.open.unassigned} unassigned), ${input.opened} new and ${input.resolved} resolved in 24 h`;
  return composeMessage(escapeMrkdwn(fallback), blocks);
}

function describeFirstReply(stats: DigestInput['firstReply']): string {
  if (stats.count === 0 || stats.medianMs === undefined) return 'no first replies';
  return `median ${formatDuration(stats.medianMs)} · p90 ${formatDuration(stats.p90Ms ?? stats.medianMs)} (${stats.count} conversation${stats.count === 1 ? '' : 's'})`;
}

/** Why deliveries failed, most frequent first: what agents were told in the threads, with Meta's code for support. */
function describeFailures(failed: DigestInput['failed']): string {
  const lines = failed.byCode
    .slice(0, FAILURE_KINDS)
    .map((c) => `• ${c.count} × ${escapeMrkdwn(c.explanation)} _(${escapeMrkdwn(c.origin)})_`);
  const others = failed.byCode.slice(FAILURE_KINDS);
  if (others.length > 0) {
    const count = others.reduce((sum, c) => sum + c.count, 0);
    lines.push(`• ${count} more, with ${others.length === 1 ? 'another error' : `${others.length} other errors`}`);
  }
  return `*Why deliveries failed (24 h)*\n${lines.join('\n')}`;
}

function describeVolume(input: DigestInput): string {
  const { counts, hourLabels } = input.volume;
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return '*Customer messages by hour (24 h)*\nNone.';
  const busiest = counts.indexOf(Math.max(...counts));
  const range = `from ${hourLabels[0] ?? '?'} to now`;
  const chart = input.chartAttached ? ' Chart in the thread.' : '';
  return `*Customer messages by hour (24 h)*\n\`${buildSparkline(counts)}\` ${range}\n${total} in total, busiest ${hourLabels[busiest] ?? '?'} (${counts[busiest]}).${chart}`;
}

function owner(item: DigestListItem): string {
  return item.ownerId ? mention(item.ownerId) : 'unassigned';
}

function pushList(blocks: KnownBlock[], title: string, list: DigestList, describe: (item: DigestListItem) => string): void {
  if (list.total === 0) return;
  const lines = list.items.slice(0, LIST_ITEMS).map((item) => `• ${link(item.permalink, `*${customerLabelMrkdwn(item.customer)}*`)} — ${describe(item)}`);
  const more = list.total - Math.min(list.items.length, LIST_ITEMS);
  if (more > 0) lines.push(`+${more} more in /queue`);
  blocks.push(...sections(`*${title}* (${list.total})\n${lines.join('\n')}`, 1));
}
