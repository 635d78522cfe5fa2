import { and, asc, eq, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { leases, webhookInbox } from '../schema';

/** One multi-row INSERT for a group of concurrent webhook POSTs (group commit). */
export async function insertInboxBodies(db: DbOrTx, bodies: string[]): Promise<void> {
  if (bodies.length === 0) return;
  await db.insert(webhookInbox).values(bodies.map((body) => ({ body })));
}

export async function listPendingInbox(db: DbOrTx, limit: number) {
  return db
    .select({ id: webhookInbox.id, body: webhookInbox.body, attempts: webhookInbox.attempts })
    .from(webhookInbox)
    .where(eq(webhookInbox.state, 'pending'))
    .orderBy(asc(webhookInbox.id))
    .limit(limit);
}

export async function markInboxDone(db: DbOrTx, id: number, at: Date): Promise<boolean> {
  const rows = await db
    .update(webhookInbox)
    .set({ state: 'done', processedAt: at })
    .where(and(eq(webhookInbox.id, id), eq(webhookInbox.state, 'pending')))
    .returning({ id: webhookInbox.id });
  return rows.length > 0;
}

export async function recordInboxFailure(db: DbOrTx, id: number, error: string, giveUp: boolean, at: Date): Promise<void> {
  await db
    .update(webhookInbox)
    .set({
      attempts: sql`${webhookInbox.attempts} + 1`,
      lastError: error.slice(0, 1000),
      ...(giveUp ? { state: 'failed' as const, processedAt: at } : {}),
    })
    .where(eq(webhookInbox.id, id));
}

export async function hasPendingInbox(db: DbOrTx, receivedBefore: Date): Promise<boolean> {
  const rows = await db
    .select({ id: webhookInbox.id })
    .from(webhookInbox)
    .where(and(eq(webhookInbox.state, 'pending'), lt(webhookInbox.receivedAt, receivedBefore)))
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

/** Processed rows are kept a while for inspection, then removed. */
export async function deleteProcessedInbox(db: DbOrTx, before: Date): Promise<void> {
  await db.delete(webhookInbox).where(and(eq(webhookInbox.state, 'done'), lt(webhookInbox.processedAt, before)));
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
