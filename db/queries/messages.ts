import { and, asc, desc, eq, inArray, isNotNull, lt, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type Message, type NewMessage, type WaState, messageStatuses, messages } from '../schema';

/** Meta delivers at least once: a redelivered wamid inserts nothing and returns undefined. */
export async function insertInboundMessage(db: DbOrTx, values: Omit<NewMessage, 'direction'>): Promise<Message | undefined> {
  const [row] = await db
    .insert(messages)
    .values({ ...values, direction: 'inbound', slackState: 'pending' })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** Many inbound messages in one INSERT; a wamid already stored (or earlier in the list) inserts nothing. */
export async function insertInboundMessages(
  db: DbOrTx,
  rows: Omit<NewMessage, 'direction'>[],
): Promise<{ id: number; waMessageId: string | null; createdAt: Date }[]> {
  if (rows.length === 0) return [];
  return db
    .insert(messages)
    .values(rows.map((r) => ({ ...r, direction: 'inbound' as const, slackState: 'pending' as const })))
    .onConflictDoNothing()
    .returning({ id: messages.id, waMessageId: messages.waMessageId, createdAt: messages.createdAt });
}

export async function insertOutboundMessages(db: DbOrTx, rows: Omit<NewMessage, 'direction'>[]): Promise<Message[]> {
  if (rows.length === 0) return [];
  return db
    .insert(messages)
    .values(rows.map((r) => ({ ...r, direction: 'outbound' as const })))
    .returning();
}

export async function findMessageById(db: DbOrTx, id: number): Promise<Message | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, id));
  return row;
}

export async function findMessageByWaId(db: DbOrTx, waMessageId: string): Promise<Message | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.waMessageId, waMessageId));
  return row;
}

export async function listMessagesBySlackTs(db: DbOrTx, conversationId: number, slackTs: string): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.slackTs, slackTs)))
    .orderBy(asc(messages.id));
}

export async function listMessagesByIds(db: DbOrTx, ids: number[]): Promise<Message[]> {
  if (ids.length === 0) return [];
  return db.select().from(messages).where(inArray(messages.id, ids)).orderBy(asc(messages.id));
}

export async function listRecentMessages(db: DbOrTx, conversationId: number, limit: number): Promise<Message[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(desc(messages.id))
    .limit(limit);
  return rows.reverse();
}

/** The WhatsApp outbox of one conversation, oldest first. */
export async function listQueuedOutbound(db: DbOrTx, conversationId: number, limit: number): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), inArray(messages.waState, ['queued', 'sending'])))
    .orderBy(asc(messages.id))
    .limit(limit);
}

export async function updateMessage(db: DbOrTx, id: number, patch: Partial<Message>): Promise<void> {
  await db
    .update(messages)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(messages.id, id));
}

/** Adds keys to a message's payload in place (jsonb `||`), so writers of other keys are never overwritten. */
export async function mergeMessagePayload(db: DbOrTx, id: number, patch: Record<string, unknown>): Promise<void> {
  await db
    .update(messages)
    .set({ payload: sql`${messages.payload} || ${JSON.stringify(patch)}::jsonb`, updatedAt: sql`now()` })
    .where(eq(messages.id, id));
}

/** Move from one state to another only if nobody moved it meanwhile; returns whether it moved. */
export async function transitionMessage(
  db: DbOrTx,
  id: number,
  from: WaState[],
  patch: Partial<Message> & { waState: WaState },
): Promise<Message | undefined> {
  const [row] = await db
    .update(messages)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(messages.id, id), inArray(messages.waState, from)))
    .returning();
  return row;
}

/** Marks an uncertain send as resent, once: false when it was already resent or is no longer uncertain. */
export async function claimResend(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db
    .update(messages)
    .set({ payload: sql`${messages.payload} || '{"resentAs": 0}'::jsonb`, updatedAt: sql`now()` })
    .where(and(eq(messages.id, id), eq(messages.waState, 'uncertain'), sql`not (${messages.payload} ? 'resentAs')`))
    .returning({ id: messages.id });
  return rows.length > 0;
}

/** Held → queued, only rows still held (a double click moves nothing the second time). */
export async function releaseHeldMessages(db: DbOrTx, ids: number[]): Promise<{ id: number }[]> {
  if (ids.length === 0) return [];
  return db
    .update(messages)
    .set({ waState: 'queued', holdReason: null, updatedAt: sql`now()` })
    .where(and(inArray(messages.id, ids), eq(messages.waState, 'held')))
    .returning({ id: messages.id });
}

/** Held → discarded (kept as a note instead), only rows still held: of two racing clicks, one moves them. */
export async function discardHeldMessages(db: DbOrTx, ids: number[]): Promise<{ id: number }[]> {
  if (ids.length === 0) return [];
  return db
    .update(messages)
    .set({ waState: 'discarded', updatedAt: sql`now()` })
    .where(and(inArray(messages.id, ids), eq(messages.waState, 'held')))
    .returning({ id: messages.id });
}

/** `slackTs` is unknown for file posts: Slack shares uploads asynchronously and returns no ts (slack.md §7.1). */
export async function markMessagesPosted(
  db: DbOrTx,
  ids: number[],
  slackTs: string | undefined,
  slackChannelId: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(messages)
    .set({ ...(slackTs ? { slackTs, slackChannelId } : {}), slackState: 'posted', updatedAt: sql`now()` })
    .where(inArray(messages.id, ids));
}

/**
 * Statuses only move forward (reference/whatsapp.md §1.3: order is not guaranteed, `read` implies `delivered`);
 * `failed` can follow `sent` (131047 often arrives that way) but never a delivered/read message.
 */
const STATUS_RANK_SQL = sql`case ${messages.waState}
  when 'held' then 0 when 'queued' then 1 when 'sending' then 2 when 'uncertain' then 2 when 'accepted' then 3
  when 'sent' then 4 when 'failed' then 5 when 'delivered' then 6 when 'read' then 7 when 'played' then 8 else 9 end`;

export const STATUS_RANK: Record<string, number> = {
  sent: 4,
  failed: 5,
  delivered: 6,
  read: 7,
  played: 8,
};

export async function advanceMessageStatus(
  db: DbOrTx,
  id: number,
  status: WaState,
  at: Date,
  error?: { code: number; title?: string | undefined; detail?: string | undefined },
): Promise<Message | undefined> {
  const rank = STATUS_RANK[status];
  if (rank === undefined) return undefined;
  const [row] = await db
    .update(messages)
    .set({
      waState: status,
      waStatusAt: at,
      ...(error ? { errorCode: error.code, errorTitle: error.title ?? null, errorDetail: error.detail ?? null } : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(messages.id, id), lt(STATUS_RANK_SQL, rank), sql`${messages.waState} <> 'discarded'`))
    .returning();
  return row;
}

export async function insertStatusRecord(
  db: DbOrTx,
  values: { waMessageId: string; status: string; statusAt: Date; callbackData?: string | undefined; payload: Record<string, unknown> },
): Promise<boolean> {
  const rows = await db
    .insert(messageStatuses)
    .values({ ...values, callbackData: values.callbackData ?? null })
    .onConflictDoNothing()
    .returning({ waMessageId: messageStatuses.waMessageId });
  return rows.length > 0;
}

export async function listUnappliedStatuses(db: DbOrTx, waMessageId: string) {
  return db
    .select()
    .from(messageStatuses)
    .where(and(eq(messageStatuses.waMessageId, waMessageId), eq(messageStatuses.applied, 0)))
    .orderBy(asc(messageStatuses.statusAt));
}

export async function markStatusApplied(db: DbOrTx, waMessageId: string, status: string): Promise<void> {
  await db
    .update(messageStatuses)
    .set({ applied: 1 })
    .where(and(eq(messageStatuses.waMessageId, waMessageId), eq(messageStatuses.status, status)));
}

/** What the customer did to one of their messages afterwards: its current reaction, its last edit, its deletion. */
export interface FollowUps {
  reaction?: Message | undefined;
  edit?: Message | undefined;
  revoke?: Message | undefined;
}

const FOLLOW_UP_KINDS = ['reaction', 'edit', 'revoke'] as const;

/**
 * The latest reaction (WhatsApp keeps one per person; an empty emoji removes it), the latest edit and the deletion of
 * a message, in one read: the latest of each kind by when the customer did it (webhooks may arrive out of order).
 */
export async function findFollowUps(db: DbOrTx, targetWaMessageId: string): Promise<FollowUps> {
  return (await findFollowUpsOfMany(db, [targetWaMessageId])).get(targetWaMessageId) ?? {};
}

/** findFollowUps for several messages in one read (a coalesced post's messages), keyed by their wamid. */
export async function findFollowUpsOfMany(db: DbOrTx, targetWaMessageIds: string[]): Promise<Map<string, FollowUps>> {
  const found = new Map<string, FollowUps>();
  if (targetWaMessageIds.length === 0) return found;
  const rows = await db
    .selectDistinctOn([messages.contextWaMessageId, messages.kind])
    .from(messages)
    .where(and(inArray(messages.contextWaMessageId, [...new Set(targetWaMessageIds)]), inArray(messages.kind, [...FOLLOW_UP_KINDS])))
    .orderBy(messages.contextWaMessageId, messages.kind, desc(messages.waTimestamp), desc(messages.id));
  for (const row of rows) {
    const target = row.contextWaMessageId as string;
    const followUps = found.get(target) ?? {};
    followUps[row.kind as (typeof FOLLOW_UP_KINDS)[number]] = row;
    found.set(target, followUps);
  }
  return found;
}

/** Conversations whose WhatsApp sends have waited longer than `olderThan` (the sweeper's net for lost signals). */
export async function listConversationsWithStaleSends(db: DbOrTx, olderThan: Date, now: Date, limit: number) {
  const rows = await db
    .selectDistinct({ conversationId: messages.conversationId })
    .from(messages)
    .where(
      and(
        inArray(messages.waState, ['queued', 'sending']),
        lt(messages.updatedAt, olderThan),
        sql`(${messages.notBefore} is null or ${messages.notBefore} < ${now.toISOString()}::timestamptz)`,
      ),
    )
    .limit(limit);
  return rows.map((r) => r.conversationId);
}

/**
 * The customer's latest message in a conversation (its wamid): marking it read marks the earlier ones too. Reactions,
 * edits and deletions are about an earlier message, not messages of their own to mark.
 */
export async function findLatestInboundWaId(db: DbOrTx, conversationId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ waMessageId: messages.waMessageId })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.direction, 'inbound'), isNotNull(messages.waMessageId), notInArray(messages.kind, ['reaction', 'system', 'edit', 'revoke'])))
    .orderBy(desc(messages.id))
    .limit(1);
  return row?.waMessageId ?? undefined;
}
