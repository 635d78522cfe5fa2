import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import {
  type ParsedSlackOp,
  type SlackOp,
  type SlackOpKind,
  type SlackOpPayloadInput,
  type SlackOpRow,
  parseSlackOp,
  parseSlackOpPayload,
  conversations,
  slackOutbox,
} from '../schema';

const OPEN = ['pending', 'in_flight'] as const;

/** An op for a conversation's thread, its payload typed by its kind (slack-op-payloads.ts). */
export type NewSlackOp = {
  [K in SlackOpKind]: {
    conversationId: number;
    kind: K;
    messageId?: number | undefined;
    notBefore?: Date | undefined;
  } & ({} extends SlackOpPayloadInput<K> ? { payload?: SlackOpPayloadInput<K> } : { payload: SlackOpPayloadInput<K> });
}[SlackOpKind];

function valuesOf(op: NewSlackOp) {
  return {
    conversationId: op.conversationId,
    kind: op.kind,
    messageId: op.messageId ?? null,
    // Parsed on the way in as well: a writer cannot store a shape the worker would refuse.
    payload: parseSlackOpPayload(op.kind, op.payload ?? {}) as Record<string, unknown>,
    notBefore: op.notBefore ?? null,
  };
}

export async function enqueueSlackOp(db: DbOrTx, op: NewSlackOp): Promise<number> {
  const [row] = await db.insert(slackOutbox).values(valuesOf(op)).returning({ id: slackOutbox.id });
  if (!row) throw new Error('slack_outbox insert returned nothing');
  return row.id;
}

/** Several ops in one INSERT; ids follow the list's order, which is the order the worker takes them in. */
export async function enqueueSlackOps(db: DbOrTx, ops: NewSlackOp[]): Promise<void> {
  if (ops.length === 0) return;
  await db.insert(slackOutbox).values(ops.map(valuesOf));
}

/** A top-level post in a channel outside any conversation (digest, inbox notice), on the channel's one budget. */
export async function enqueueChannelPost(
  db: DbOrTx,
  args: { channelId: string; payload: SlackOpPayloadInput<'post_channel'>; notBefore?: Date },
): Promise<number> {
  const [row] = await db
    .insert(slackOutbox)
    .values({
      conversationId: null,
      channelId: args.channelId,
      kind: 'post_channel',
      payload: parseSlackOpPayload('post_channel', args.payload) as Record<string, unknown>,
      notBefore: args.notBefore ?? null,
    })
    .returning({ id: slackOutbox.id });
  if (!row) throw new Error('slack_outbox insert returned nothing');
  return row.id;
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

/**
 * enqueueCardUpdate for many conversations in at most three statements: conversations with a card op already
 * pending get none (an immediate want clears a pending delay), the rest get one.
 */
export async function enqueueCardUpdates(db: DbOrTx, wants: { conversationId: number; notBefore?: Date | undefined }[]): Promise<void> {
  if (wants.length === 0) return;
  const pending = await db
    .select({ id: slackOutbox.id, conversationId: slackOutbox.conversationId, notBefore: slackOutbox.notBefore })
    .from(slackOutbox)
    .where(
      and(
        inArray(slackOutbox.conversationId, wants.map((w) => w.conversationId)),
        inArray(slackOutbox.kind, ['update_card', 'post_card']),
        eq(slackOutbox.state, 'pending'),
      ),
    );
  const byConversation = new Map(pending.map((p) => [p.conversationId, p]));
  const fresh: NewSlackOp[] = [];
  const undelay: number[] = [];
  for (const want of wants) {
    const found = byConversation.get(want.conversationId);
    if (!found) fresh.push({ conversationId: want.conversationId, kind: 'update_card', notBefore: want.notBefore });
    else if (!want.notBefore && found.notBefore) undelay.push(found.id);
  }
  await enqueueSlackOps(db, fresh);
  if (undelay.length > 0) await db.update(slackOutbox).set({ notBefore: null }).where(inArray(slackOutbox.id, undelay));
}

export async function listOpenSlackOps(db: DbOrTx, conversationId: number, limit: number): Promise<ParsedSlackOp[]> {
  const rows = await db
    .select()
    .from(slackOutbox)
    .where(and(eq(slackOutbox.conversationId, conversationId), inArray(slackOutbox.state, OPEN)))
    .orderBy(asc(slackOutbox.id))
    .limit(limit);
  return rows.map(parseSlackOp);
}

/** Channel-level posts waiting, oldest first (one worker drains them all: there are a few a day). */
export async function listOpenChannelOps(db: DbOrTx, limit: number): Promise<ParsedSlackOp[]> {
  const rows = await db
    .select()
    .from(slackOutbox)
    .where(and(isNull(slackOutbox.conversationId), inArray(slackOutbox.state, OPEN)))
    .orderBy(asc(slackOutbox.id))
    .limit(limit);
  return rows.map(parseSlackOp);
}

export async function hasOpenChannelOps(db: DbOrTx, now: Date): Promise<boolean> {
  const rows = await db
    .select({ id: slackOutbox.id })
    .from(slackOutbox)
    .where(
      and(
        isNull(slackOutbox.conversationId),
        inArray(slackOutbox.state, OPEN),
        or(isNull(slackOutbox.notBefore), lt(slackOutbox.notBefore, now)),
      ),
    )
    .limit(1);
  return rows.length > 0;
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

/**
 * Conversations with Slack work that has waited longer than `olderThan` (the sweeper's net for lost signals), except
 * threads parked on their next post past `wallNow`: their signal is due then, and they are swept once it has passed.
 */
export async function listConversationsWithStaleSlackOps(db: DbOrTx, olderThan: Date, now: Date, limit: number, wallNow: Date = new Date()): Promise<number[]> {
  const rows = await db
    .selectDistinct({ conversationId: slackOutbox.conversationId })
    .from(slackOutbox)
    .innerJoin(conversations, eq(conversations.id, slackOutbox.conversationId))
    .where(
      and(
        inArray(slackOutbox.state, OPEN),
        lt(slackOutbox.createdAt, olderThan),
        or(isNull(slackOutbox.notBefore), lt(slackOutbox.notBefore, now)),
        or(isNull(conversations.slackParkedUntil), lt(conversations.slackParkedUntil, wallNow)),
      ),
    )
    .limit(limit);
  return rows.flatMap((r) => (r.conversationId === null ? [] : [r.conversationId]));
}

export async function listOpenOpIds(
  db: DbOrTx,
  conversationId: number,
  kind: SlackOpKind,
  messageId?: number,
): Promise<number[]> {
  const conditions = [eq(slackOutbox.conversationId, conversationId), eq(slackOutbox.kind, kind), inArray(slackOutbox.state, OPEN)];
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
        inArray(slackOutbox.state, OPEN),
      ),
    );
  return rows.map((r) => r.id);
}

/** Replaces an op's payload, checked against its kind's schema. */
export async function setOpPayload<K extends SlackOpKind>(db: DbOrTx, op: SlackOp<K>, payload: SlackOpPayloadInput<K>): Promise<void> {
  const checked = parseSlackOpPayload(op.kind, payload) as Record<string, unknown>;
  await db.update(slackOutbox).set({ payload: checked }).where(eq(slackOutbox.id, op.id));
}

export type { SlackOpRow };
