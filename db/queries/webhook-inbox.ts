import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { type DbOrTx, rowsOf } from '../client';
import { leases, webhookInbox } from '../schema';

export interface InboxRow {
  id: number;
  raw: Buffer;
  attempts: number;
}

/** One multi-row INSERT for a group of concurrent webhook POSTs (group commit), byte for byte. */
export async function insertInboxBodies(db: DbOrTx, bodies: Buffer[]): Promise<void> {
  if (bodies.length === 0) return;
  await db.insert(webhookInbox).values(bodies.map((raw) => ({ raw })));
}

/** Rows waiting to be ingested, in arrival order; a row backing off after a failure is passed over until due. */
/**
 * The next pending rows in arrival order, at most `limit` of them and at most `maxBytes` of stored body (always at
 * least one row): a run of 1,000-message POSTs must not make one transaction hold the embedded database for
 * seconds while webhook acks wait behind it, nor load hundreds of megabytes at once. Bodies are read only for the
 * rows taken. `more` says whether pending rows were left for the next batch. `skip`: rows this process set aside.
 */
export async function listPendingInbox(
  db: DbOrTx,
  args: { limit: number; maxBytes: number; now: Date; skip?: number[] },
): Promise<{ rows: InboxRow[]; more: boolean }> {
  const skip = `{${(args.skip ?? []).map((id) => Math.trunc(id)).join(',')}}`;
  const result = await db.execute(sql`
    with candidates as (
      select id, attempts, octet_length(raw) as bytes
      from ${webhookInbox}
      where state = 'pending' and (not_before is null or not_before <= ${args.now.toISOString()}::timestamptz)
        and id <> all(${skip}::bigint[])
      order by id
      limit ${args.limit + 1}
    ), sized as (
      select id, attempts, sum(bytes) over (order by id) - bytes as before from candidates
    ), taken as (
      select id, attempts from sized where before < ${args.maxBytes} order by id limit ${args.limit}
    )
    select w.id, w.raw, t.attempts, (select count(*) from candidates) as candidates
    from taken t join ${webhookInbox} w on w.id = t.id
    order by w.id`);
  const raw = rowsOf<{ id: number | string; raw: Uint8Array; attempts: number; candidates: number | string }>(result);
  const rows = raw.map((r) => ({ id: Number(r.id), raw: Buffer.isBuffer(r.raw) ? r.raw : Buffer.from(r.raw), attempts: Number(r.attempts) }));
  return { rows, more: Number(raw[0]?.candidates ?? 0) > rows.length };
}

/**
 * Marks rows done in the caller's transaction, with their effects: the ids returned are the ones this caller took
 * (a row another processor finished meanwhile is not returned and must not be ingested again).
 */
export async function markInboxDone(db: DbOrTx, ids: number[], at: Date): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .update(webhookInbox)
    .set({ state: 'done', processedAt: at, notBefore: null })
    .where(and(inArray(webhookInbox.id, ids), eq(webhookInbox.state, 'pending')))
    .returning({ id: webhookInbox.id });
  return new Set(rows.map((r) => r.id));
}

/** Notes on a row just ingested (an item kept raw, characters replaced), written with it. `note` must be pg-safe. */
export async function noteInboxRow(db: DbOrTx, id: number, note: string): Promise<void> {
  await db.update(webhookInbox).set({ lastError: note, keep: 1 }).where(eq(webhookInbox.id, id));
}

/**
 * A failed try: counted, with its error (already made pg-safe by the caller), and retried after `notBefore`; once
 * `park` is set the row is set aside as `parked`. Returns whether the row was parked by this call.
 */
export async function recordInboxFailure(
  db: DbOrTx,
  args: { id: number; error: string; park: boolean; notBefore: Date; at: Date },
): Promise<boolean> {
  const rows = await db
    .update(webhookInbox)
    .set({
      attempts: sql`${webhookInbox.attempts} + 1`,
      lastError: args.error,
      notBefore: args.park ? null : args.notBefore,
      ...(args.park ? { state: 'parked' as const, parkedAt: args.at, keep: 1 } : {}),
    })
    .where(and(eq(webhookInbox.id, args.id), eq(webhookInbox.state, 'pending')))
    .returning({ state: webhookInbox.state });
  return rows[0]?.state === 'parked';
}

/** Parked rows back to pending with a fresh count (`/threadline inbox retry`). `ids` undefined: all of them. */
export async function retryParkedInbox(db: DbOrTx, ids?: number[]): Promise<number[]> {
  const rows = await db
    .update(webhookInbox)
    .set({ state: 'pending', attempts: 0, notBefore: null, parkedAt: null })
    .where(and(eq(webhookInbox.state, 'parked'), ids ? inArray(webhookInbox.id, ids) : undefined))
    .returning({ id: webhookInbox.id });
  return rows.map((r) => r.id);
}

export async function listParkedInbox(db: DbOrTx, limit: number) {
  return db
    .select({
      id: webhookInbox.id,
      attempts: webhookInbox.attempts,
      lastError: webhookInbox.lastError,
      receivedAt: webhookInbox.receivedAt,
      parkedAt: webhookInbox.parkedAt,
      bytes: sql<number>`octet_length(${webhookInbox.raw})`.mapWith(Number),
    })
    .from(webhookInbox)
    .where(eq(webhookInbox.state, 'parked'))
    .orderBy(asc(webhookInbox.id))
    .limit(limit);
}

export async function hasPendingInbox(db: DbOrTx, receivedBefore: Date, now: Date): Promise<boolean> {
  const rows = await db
    .select({ id: webhookInbox.id })
    .from(webhookInbox)
    .where(
      and(
        eq(webhookInbox.state, 'pending'),
        lt(webhookInbox.receivedAt, receivedBefore),
        or(isNull(webhookInbox.notBefore), lte(webhookInbox.notBefore, now)),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export async function countPendingInbox(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(webhookInbox)
    .where(eq(webhookInbox.state, 'pending'));
  return row?.n ?? 0;
}

/** What /metrics shows of the inbox: rows waiting and the oldest one's age, parked rows. One statement. */
export async function measureInbox(db: DbOrTx, now: Date): Promise<{ pending: number; oldestAgeSeconds: number; parked: number }> {
  const [row] = await db
    .select({
      pending: sql<number>`count(*) filter (where ${webhookInbox.state} = 'pending')`.mapWith(Number),
      oldest: sql<Date | null>`min(${webhookInbox.receivedAt}) filter (where ${webhookInbox.state} = 'pending')`.mapWith(webhookInbox.receivedAt),
      parked: sql<number>`count(*) filter (where ${webhookInbox.state} = 'parked')`.mapWith(Number),
    })
    .from(webhookInbox)
    .where(inArray(webhookInbox.state, ['pending', 'parked']));
  const oldest = row?.oldest;
  return {
    pending: row?.pending ?? 0,
    oldestAgeSeconds: oldest ? Math.max(0, (now.getTime() - new Date(oldest).getTime()) / 1000) : 0,
    parked: row?.parked ?? 0,
  };
}

/** Ingested rows are kept a while for inspection, then removed; rows marked `keep` (something was replaced or kept raw) stay. */
export async function deleteProcessedInbox(db: DbOrTx, before: Date): Promise<void> {
  await db
    .delete(webhookInbox)
    .where(and(eq(webhookInbox.state, 'done'), eq(webhookInbox.keep, 0), lt(webhookInbox.processedAt, before)));
}

/** One statement: take the lease if it is free, expired, or already ours. */
export async function acquireNamedLease(db: DbOrTx, name: string, owner: string, until: Date, now: Date): Promise<boolean> {
  const rows = await db
    .insert(leases)
    .values({ name, owner, until })
    .onConflictDoUpdate({
      target: leases.name,
      set: { owner, until },
      setWhere: or(lt(leases.until, now), eq(leases.owner, owner)),
    })
    .returning({ name: leases.name });
  return rows.length > 0;
}

export async function releaseNamedLease(db: DbOrTx, name: string, owner: string): Promise<void> {
  await db.update(leases).set({ until: new Date(0) }).where(and(eq(leases.name, name), eq(leases.owner, owner)));
}
