import { and, asc, count, desc, eq, gte, isNotNull, isNull, lt, lte, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type ConversationState, type DigestRun, auditEvents, contacts, conversations, digestRuns, messages, waitingSinceOf } from '../schema';

/**
 * The daily digest's numbers. Each is one aggregate or one bounded list that runs on an index (named per function),
 * so the digest stays cheap at 100k conversations; each is exported on its own so the benchmark can time it.
 */

export type OpenState = Exclude<ConversationState, 'closed'>;

/** A conversation a digest list links to. */
export interface DigestConversation {
  id: number;
  channelId: string;
  threadTs: string | null;
  ownerId: string | null;
  customerName: string | null;
  customerPhone: string | null;
  customerUsername: string | null;
  /** What the list is about: waiting since, window closing at, or opened at. */
  at: Date;
}

const listColumns = {
  id: conversations.id,
  channelId: conversations.channelId,
  threadTs: conversations.threadTs,
  ownerId: conversations.ownerId,
  customerName: contacts.profileName,
  customerPhone: contacts.waId,
  customerUsername: contacts.username,
};
const open = ne(conversations.state, 'closed');
const waitingSince = waitingSinceOf(conversations);
const num = (v: unknown) => Number(v ?? 0);

/** Open conversations per state (conversations_state_owner). */
export async function countOpenByStateForDigest(db: DbOrTx): Promise<Record<OpenState, number>> {
  const rows = await db.select({ state: conversations.state, n: count() }).from(conversations).where(open).groupBy(conversations.state);
  const counts: Record<OpenState, number> = { unassigned: 0, waiting_on_agent: 0, waiting_on_customer: 0 };
  for (const row of rows) if (row.state !== 'closed') counts[row.state] = num(row.n);
  return counts;
}

/** Conversations opened, and resolved, since `since` (conversations_opened_at, conversations_closed_at). */
export async function countOpenedAndResolved(db: DbOrTx, since: Date): Promise<{ opened: number; resolved: number }> {
  const [opened] = await db.select({ n: count() }).from(conversations).where(gte(conversations.openedAt, since));
  const [resolved] = await db.select({ n: count() }).from(conversations).where(gte(conversations.closedAt, since));
  return { opened: num(opened?.n), resolved: num(resolved?.n) };
}

export interface FirstReplyStats {
  count: number;
  /** percentile_cont: linear interpolation between the two nearest values. */
  medianMs: number | undefined;
  p90Ms: number | undefined;
  overTarget: number;
}

/** Time from the customer's first message to the first agent reply, for first replies since `since` (conversations_first_response_at). */
export async function measureFirstReplies(db: DbOrTx, since: Date, targetMinutes: number): Promise<FirstReplyStats> {
  const seconds = sql`extract(epoch from (${conversations.firstResponseAt} - ${conversations.openedAt}))`;
  const [row] = await db
    .select({
      n: count(),
      median: sql<number | null>`percentile_cont(0.5) within group (order by ${seconds})`,
      p90: sql<number | null>`percentile_cont(0.9) within group (order by ${seconds})`,
      over: sql<number>`count(*) filter (where ${seconds} > ${targetMinutes * 60})`,
    })
    .from(conversations)
    .where(gte(conversations.firstResponseAt, since));
  const toMs = (v: unknown) => (v === null || v === undefined ? undefined : Math.round(Number(v) * 1000));
  return { count: num(row?.n), medianMs: toMs(row?.median), p90Ms: toMs(row?.p90), overTarget: num(row?.over) };
}

/** The unassigned conversations that have waited longest, and how many there are (conversations_queue). */
export async function listOldestUnassigned(db: DbOrTx, limit: number): Promise<{ total: number; items: DigestConversation[] }> {
  const where = and(open, eq(conversations.state, 'unassigned'));
  const items = await db
    .select({ ...listColumns, at: waitingSince })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(where)
    .orderBy(asc(waitingSince), asc(conversations.id))
    .limit(limit);
  const [total] = await db.select({ n: count() }).from(conversations).where(where);
  return { total: num(total?.n), items };
}

export interface AgentLoad {
  ownerId: string;
  open: number;
  waitingOnAgent: number;
}

/** Open conversations per owner, busiest first (conversations_owner_queue). */
export async function listOpenLoadPerAgent(db: DbOrTx, limit: number): Promise<AgentLoad[]> {
  const rows = await db
    .select({
      ownerId: conversations.ownerId,
      open: count(),
      waitingOnAgent: sql<number>`count(*) filter (where ${conversations.state} = 'waiting_on_agent')`,
    })
    .from(conversations)
    .where(and(open, isNotNull(conversations.ownerId)))
    .groupBy(conversations.ownerId)
    .orderBy(desc(count()), asc(conversations.ownerId))
    .limit(limit);
  return rows.map((r) => ({ ownerId: r.ownerId ?? '', open: num(r.open), waitingOnAgent: num(r.waitingOnAgent) }));
}

/** Open conversations whose 24-hour window closes within `withinMs` of `now`, soonest first (conversations_open_window). */
export async function listWindowsClosingSoon(
  db: DbOrTx,
  args: { now: Date; withinMs: number; windowMs: number; limit: number },
): Promise<{ total: number; items: DigestConversation[] }> {
  const after = new Date(args.now.getTime() - args.windowMs);
  const before = new Date(args.now.getTime() - args.windowMs + args.withinMs);
  const where = and(open, gte(conversations.lastInboundAt, after), lte(conversations.lastInboundAt, before));
  const closesAt = sql<Date>`${conversations.lastInboundAt} + make_interval(secs => ${args.windowMs / 1000})`.mapWith(conversations.lastInboundAt);
  const items = await db
    .select({ ...listColumns, at: closesAt })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(where)
    .orderBy(asc(conversations.lastInboundAt), asc(conversations.id))
    .limit(args.limit);
  const [total] = await db.select({ n: count() }).from(conversations).where(where);
  return { total: num(total?.n), items };
}

/**
 * WhatsApp deliveries that failed since `since`, by error code and title (audit_type_at). The title is kept apart
 * because older rows stored threadline's own failures under code 0, told from Meta's 0 only by their title
 * (src/whatsapp/local-failures.ts).
 */
export async function summarizeFailedDeliveries(
  db: DbOrTx,
  since: Date,
): Promise<{ total: number; groups: { code: string; title: string; count: number }[] }> {
  const code = sql<string>`coalesce(${auditEvents.detail}->>'code', '?')`;
  const title = sql<string>`coalesce(${auditEvents.detail}->>'title', '')`;
  const rows = await db
    .select({ code, title, n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.type, 'failed'), gte(auditEvents.at, since)))
    .groupBy(code, title)
    .orderBy(desc(count()), code, title);
  const groups = rows.map((r) => ({ code: String(r.code), title: String(r.title), count: num(r.n) }));
  return { total: groups.reduce((sum, r) => sum + r.count, 0), groups };
}

/** Open conversations still without a first reply after the target, oldest first (conversations_opened_at). */
export async function listPastFirstReplyTarget(
  db: DbOrTx,
  args: { now: Date; targetMinutes: number; limit: number },
): Promise<{ total: number; items: DigestConversation[] }> {
  const cutoff = new Date(args.now.getTime() - args.targetMinutes * 60_000);
  const where = and(open, isNull(conversations.firstResponseAt), lt(conversations.openedAt, cutoff));
  const items = await db
    .select({ ...listColumns, at: conversations.openedAt })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(where)
    .orderBy(asc(conversations.openedAt), asc(conversations.id))
    .limit(args.limit);
  const [total] = await db.select({ n: count() }).from(conversations).where(where);
  return { total: num(total?.n), items };
}

/**
 * Customer messages per bucket, in one statement (messages_inbound_sent_at): bucket i runs from `starts[i]` to
 * `starts[i + 1]`, the last one to `until` inclusive (a message sent at exactly `until` is in it). The starts are
 * the digest's clock hours (digest-hours.ts), so buckets need not be an hour long: width_bucket takes them as given.
 */
export async function countInboundByHour(db: DbOrTx, args: { starts: Date[]; until: Date }): Promise<number[]> {
  const [first] = args.starts;
  if (!first) return [];
  // One array parameter however many buckets: a Postgres array literal of ISO instants (commas and braces cannot occur in them).
  const thresholds = `{${args.starts.map((d) => d.toISOString()).join(',')}}`;
  const bucket = sql<number>`width_bucket(${messages.waTimestamp}, ${thresholds}::timestamptz[])`;
  const rows = await db
    .select({ bucket, n: count() })
    .from(messages)
    .where(and(eq(messages.direction, 'inbound'), gte(messages.waTimestamp, first), lte(messages.waTimestamp, args.until)))
    // By position: the expression carries a bound parameter, and a second copy of it would not count as the same.
    .groupBy(sql`1`);
  const counts = new Array<number>(args.starts.length).fill(0);
  for (const row of rows) {
    // width_bucket numbers from 1 for values at or past the first threshold; the WHERE keeps earlier ones out.
    const i = num(row.bucket) - 1;
    if (i >= 0 && i < counts.length) counts[i] = (counts[i] ?? 0) + num(row.n);
  }
  return counts;
}

/**
 * The day's lock: the first process to insert the row queues the digest, in the same transaction; nobody else ever
 * does for that day (the outbox retries the post itself).
 */
export async function claimDigestDay(db: DbOrTx, args: { day: string; channelId: string; claimedBy: string; now: Date }): Promise<boolean> {
  const rows = await db
    .insert(digestRuns)
    .values({ day: args.day, channelId: args.channelId, claimedBy: args.claimedBy, claimedAt: args.now, createdAt: args.now })
    .onConflictDoNothing()
    .returning({ day: digestRuns.day });
  return rows.length > 0;
}

export async function findDigestRun(db: DbOrTx, day: string): Promise<DigestRun | undefined> {
  const [row] = await db.select().from(digestRuns).where(eq(digestRuns.day, day));
  return row;
}

export async function markDigestPosted(db: DbOrTx, args: { day: string; ts: string; at: Date }): Promise<void> {
  await db.update(digestRuns).set({ postedAt: args.at, postedTs: args.ts, lastError: null }).where(eq(digestRuns.day, args.day));
}
