import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type SlackOp, type SlackOpKind, slackOutbox } from '../schema';

export interface NewSlackOp {
  conversationId: number;
  kind: SlackOpKind;
  messageId?: number | undefined;
  payload?: Record<string, unknown>;
  notBefore?: Date | undefined;
}

export async function enqueueSlackOp(db: DbOrTx, op: NewSlackOp): Promise<SlackOp> {
  const [row] = await db
    .insert(slackOutbox)
    .values({
      conversationId: op.conversationId,
      kind: op.kind,
      messageId: op.messageId ?? null,
      payload: op.payload ?? {},
      notBefore: op.notBefore ?? null,
    })
    .returning();
  if (!row) throw new Error('slack_outbox insert returned nothing');
  return row;
}

/** A pending card update already covers any later change: the worker renders the current state. */
export async function enqueueCardUpdate(db: DbOrTx, conversationId: number, notBefore?: Date): Promise<void> {
  const [pending] = await db
    .select({ id: slackOutbox.id, notBefore: slackOutbox.notBefore })
    .from(slackOutbox)
    .where(
      and(
        eq(slackOutbox.conversationId, conversationId),
        inArray(slackOutbox.kind, ['update_card', 'post_card']),
        eq(slackOutbox.state, 'pending'),
      ),
    )
    .limit(1);
  if (!pending) {
    await enqueueSlackOp(db, { conversationId, kind: 'update_card', notBefore });
    return;
  }
  if (!notBefore && pending.notBefore) {
    await db.update(slackOutbox).set({ notBefore: null }).where(eq(slackOutbox.id, pending.id));
  }
}

export async function listOpenSlackOps(db: DbOrTx, conversationId: number, limit: number): Promise<SlackOp[]> {
  return db
    .select()
    .from(slackOutbox)
    .where(and(eq(slackOutbox.conversationId, conversationId), inArray(slackOutbox.state, ['pending', 'in_flight'])))
    .orderBy(asc(slackOutbox.id))
    .limit(limit);
}

export async function markOpInFlight(db: DbOrTx, id: number): Promise<void> {
  await db
    .update(slackOutbox)
    .set({ state: 'in_flight', attempts: sql`${slackOutbox.attempts} + 1` })
    .where(eq(slackOutbox.id, id));
}

export async function recordOpAttempt(db: DbOrTx, id: number): Promise<void> {
  await db
    .update(slackOutbox)
    .set({ attempts: sql`${slackOutbox.attempts} + 1` })
    .where(eq(slackOutbox.id, id));
}

export async function markOpsDone(db: DbOrTx, ids: number[], at: Date, resultTs?: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(slackOutbox)
    .set({ state: 'done', doneAt: at, resultTs: resultTs ?? null })
    .where(inArray(slackOutbox.id, ids));
}

export async function markOpFailed(db: DbOrTx, id: number, error: string, at: Date): Promise<void> {
  await db.update(slackOutbox).set({ state: 'failed', lastError: error, doneAt: at }).where(eq(slackOutbox.id, id));
}

/**
 * Try again later; `uncertain` keeps it in_flight so the next attempt reads the thread back first. A reserved rate
 * limit slot is given up: the next attempt reserves a new one.
 */
export async function deferOp(
  db: DbOrTx,
  id: number,
  notBefore: Date,
  error: string | null,
  uncertain: boolean,
): Promise<void> {
  await db
    .update(slackOutbox)
    .set({ state: uncertain ? 'in_flight' : 'pending', notBefore, lastError: error, payload: sql`${slackOutbox.payload} - 'slot'` })
    .where(eq(slackOutbox.id, id));
}

/** The op holds a rate-limit slot at `atMs` (epoch ms): it waits until then and goes without reserving again. */
export async function reserveOpSlot(db: DbOrTx, id: number, atMs: number): Promise<void> {
  await db
    .update(slackOutbox)
    .set({ payload: sql`${slackOutbox.payload} || jsonb_build_object('slot', ${Math.round(atMs)}::bigint)` })
    .where(eq(slackOutbox.id, id));
}

/** Conversations with Slack work that has waited longer than `olderThan` (the sweeper's net for lost signals). */
export async function listConversationsWithStaleSlackOps(db: DbOrTx, olderThan: Date, now: Date, limit: number) {
  const rows = await db
    .selectDistinct({ conversationId: slackOutbox.conversationId })
    .from(slackOutbox)
    .where(
      and(
        inArray(slackOutbox.state, ['pending', 'in_flight']),
        lt(slackOutbox.createdAt, olderThan),
        or(isNull(slackOutbox.notBefore), lt(slackOutbox.notBefore, now)),
      ),
    )
    .limit(limit);
  return rows.map((r) => r.conversationId);
}

export async function hasReadySlackOps(db: DbOrTx, conversationId: number, now: Date): Promise<boolean> {
  const rows = await db
    .select({ id: slackOutbox.id })
    .from(slackOutbox)
    .where(
      and(
        eq(slackOutbox.conversationId, conversationId),
        inArray(slackOutbox.state, ['pending', 'in_flight']),
        or(isNull(slackOutbox.notBefore), lt(slackOutbox.notBefore, now)),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export async function listOpenOpIds(
  db: DbOrTx,
  conversationId: number,
  kind: SlackOpKind,
  messageId?: number,
): Promise<number[]> {
  const conditions = [
    eq(slackOutbox.conversationId, conversationId),
    eq(slackOutbox.kind, kind),
    inArray(slackOutbox.state, ['pending', 'in_flight']),
  ];
  if (messageId !== undefined) conditions.push(eq(slackOutbox.messageId, messageId));
  const rows = await db.select({ id: slackOutbox.id }).from(slackOutbox).where(and(...conditions));
  return rows.map((r) => r.id);
}

/** The open post ops of these messages (a batch found again after an uncertain post). */
export async function listOpenPostOpIdsForMessages(db: DbOrTx, conversationId: number, messageIds: number[]): Promise<number[]> {
  if (messageIds.length === 0) return [];
  const rows = await db
    .select({ id: slackOutbox.id })
    .from(slackOutbox)
    .where(
      and(
        eq(slackOutbox.conversationId, conversationId),
        eq(slackOutbox.kind, 'post_message'),
        inArray(slackOutbox.messageId, messageIds),
        inArray(slackOutbox.state, ['pending', 'in_flight']),
      ),
    );
  return rows.map((r) => r.id);
}

export async function setOpPayload(db: DbOrTx, id: number, payload: Record<string, unknown>): Promise<void> {
  await db.update(slackOutbox).set({ payload }).where(eq(slackOutbox.id, id));
}
