import { and, desc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { type DbOrTx, rowsOf } from '../client';
import { type Conversation, conversations } from '../schema';

export async function findConversationById(db: DbOrTx, id: number): Promise<Conversation | undefined> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
  return row;
}

export async function findConversationByThread(
  db: DbOrTx,
  channelId: string,
  threadTs: string,
): Promise<Conversation | undefined> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.channelId, channelId), eq(conversations.threadTs, threadTs)));
  return row;
}

export async function findOpenConversation(
  db: DbOrTx,
  phoneNumberId: string,
  contactId: number,
): Promise<Conversation | undefined> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.phoneNumberId, phoneNumberId),
        eq(conversations.contactId, contactId),
        ne(conversations.state, 'closed'),
      ),
    );
  return row;
}

export async function findLatestClosedConversation(
  db: DbOrTx,
  phoneNumberId: string,
  contactId: number,
): Promise<Conversation | undefined> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.phoneNumberId, phoneNumberId),
        eq(conversations.contactId, contactId),
        eq(conversations.state, 'closed'),
      ),
    )
    .orderBy(desc(conversations.openedAt), desc(conversations.id))
    .limit(1);
  return row;
}

export interface NewConversation {
  phoneNumberId: string;
  displayPhoneNumber?: string | undefined;
  contactId: number;
  channelId: string;
  previousConversationId?: number | undefined;
  openedAt: Date;
}

/**
 * findLatestClosedConversation for many customers in one statement: the latest closed conversation of each
 * (number, contact) pair asked for that has one, keyed `phoneNumberId:contactId`.
 */
export async function listLatestClosedConversations(
  db: DbOrTx,
  pairs: { phoneNumberId: string; contactId: number }[],
): Promise<Map<string, Conversation>> {
  const latest = new Map<string, Conversation>();
  if (pairs.length === 0) return latest;
  const wanted = new Set(pairs.map((p) => `${p.phoneNumberId}:${p.contactId}`));
  const rows = await db
    .selectDistinctOn([conversations.phoneNumberId, conversations.contactId])
    .from(conversations)
    .where(and(inArray(conversations.contactId, [...new Set(pairs.map((p) => p.contactId))]), eq(conversations.state, 'closed')))
    .orderBy(conversations.phoneNumberId, conversations.contactId, desc(conversations.openedAt), desc(conversations.id));
  for (const row of rows) {
    const key = `${row.phoneNumberId}:${row.contactId}`;
    if (wanted.has(key)) latest.set(key, row);
  }
  return latest;
}

/** insertConversation for many pairs at once; a pair another writer opened meanwhile is missing from the answer. */
export async function insertConversations(db: DbOrTx, values: NewConversation[]): Promise<Conversation[]> {
  if (values.length === 0) return [];
  return db
    .insert(conversations)
    .values(values.map((v) => ({ ...v, state: 'unassigned' as const })))
    .onConflictDoNothing()
    .returning();
}

/** Opens a conversation unless one is already open for the pair (a concurrent webhook won the race). */
export async function insertConversation(db: DbOrTx, values: NewConversation): Promise<Conversation | undefined> {
  const [row] = await db
    .insert(conversations)
    .values({ ...values, state: 'unassigned' })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** A customer message: moves the 24-hour window and hands the turn to the agent. */
export async function recordInbound(db: DbOrTx, id: number, at: Date): Promise<Conversation> {
  const [row] = await db
    .update(conversations)
    .set({
      lastInboundAt: sql`greatest(${conversations.lastInboundAt}, ${at.toISOString()}::timestamptz)`,
      awaitingReplySince: sql`coalesce(${conversations.awaitingReplySince}, ${at.toISOString()}::timestamptz)`,
      state: sql`case when ${conversations.ownerId} is null then 'unassigned' else 'waiting_on_agent' end`,
      cardVersion: sql`${conversations.cardVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(conversations.id, id))
    .returning();
  if (!row) throw new Error(`conversation ${id} not found`);
  return row;
}

/** The open conversations of these customers, any number (set-based ingest picks its pairs from them). */
export async function listOpenConversationsOfContacts(db: DbOrTx, contactIds: number[]): Promise<Conversation[]> {
  if (contactIds.length === 0) return [];
  return db
    .select()
    .from(conversations)
    .where(and(inArray(conversations.contactId, contactIds), ne(conversations.state, 'closed')));
}

export interface InboundTouch {
  id: number;
  /** The first of this batch's messages in arrival order: the wait starts there unless it already had. */
  firstAt: Date;
  /** The latest of them: the 24-hour window runs from here. */
  lastAt: Date;
  count: number;
}

/** recordInbound for many conversations in one statement, with exactly its effect per message. */
export async function recordInboundMany(db: DbOrTx, touches: InboundTouch[]): Promise<{ id: number; state: string }[]> {
  if (touches.length === 0) return [];
  const set = JSON.stringify(touches.map((t) => ({ id: t.id, first_at: t.firstAt.toISOString(), last_at: t.lastAt.toISOString(), n: t.count })));
  const result = await db.execute(sql`
    update ${conversations} c set
      last_inbound_at = greatest(c.last_inbound_at, v.last_at),
      awaiting_reply_since = coalesce(c.awaiting_reply_since, v.first_at),
      state = case when c.owner_id is null then 'unassigned' else 'waiting_on_agent' end,
      card_version = c.card_version + v.n,
      updated_at = now()
    from jsonb_to_recordset(${set}::jsonb) as v(id int, first_at timestamptz, last_at timestamptz, n int)
    where c.id = v.id
    returning c.id, c.state`);
  return rowsOf<{ id: number; state: string }>(result).map((r) => ({ id: Number(r.id), state: r.state }));
}

/** Of these conversations, the ones not parked past `now`: the ones a signal can help. */
export async function listWakeableConversations(db: DbOrTx, ids: number[], now: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(inArray(conversations.id, ids), or(isNull(conversations.slackParkedUntil), lt(conversations.slackParkedUntil, now))));
  return rows.map((r) => r.id);
}

/** An agent reply was accepted for sending: the turn goes to the customer. */
export async function recordOutbound(db: DbOrTx, id: number, at: Date): Promise<void> {
  await db
    .update(conversations)
    .set({
      lastOutboundAt: at,
      awaitingReplySince: null,
      ownerRemindedAt: null,
      firstResponseAt: sql`coalesce(${conversations.firstResponseAt}, ${at.toISOString()}::timestamptz)`,
      state: sql`case when ${conversations.state} = 'closed' then 'closed' else 'waiting_on_customer' end`,
      cardVersion: sql`${conversations.cardVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(conversations.id, id));
}

/**
 * The claim: one conditional UPDATE, so of two agents pressing Claim at once exactly one wins (STYLE §4).
 * Returns the row when this caller won, undefined otherwise.
 */
export async function claimConversation(
  db: DbOrTx,
  id: number,
  ownerId: string,
  reason: string,
  at?: Date,
): Promise<Conversation | undefined> {
  const [row] = await db
    .update(conversations)
    .set({
      ownerId,
      assignedReason: reason,
      assignedAt: at ?? sql`now()`,
      ownerRemindedAt: null,
      state: sql`case when ${conversations.state} = 'unassigned' then 'waiting_on_agent' else ${conversations.state} end`,
      cardVersion: sql`${conversations.cardVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(conversations.id, id), isNull(conversations.ownerId), ne(conversations.state, 'closed')))
    .returning();
  return row;
}

/**
 * Give the conversation to someone (reassign, take over, handoff). `expectedOwnerId` makes it conditional on the
 * owner the caller saw, so a concurrent change is not overwritten silently; null means "whoever owns it".
 */
export async function assignConversation(
  db: DbOrTx,
  id: number,
  ownerId: string | null,
  reason: string | null,
  expectedOwnerId?: string | null,
  at?: Date,
): Promise<Conversation | undefined> {
  const conditions = [eq(conversations.id, id), ne(conversations.state, 'closed')];
  if (expectedOwnerId !== undefined) {
    conditions.push(
      expectedOwnerId === null ? isNull(conversations.ownerId) : eq(conversations.ownerId, expectedOwnerId),
    );
  }
  const [row] = await db
    .update(conversations)
    .set({
      ownerId,
      assignedReason: reason,
      assignedAt: at ?? sql`now()`,
      ownerRemindedAt: null,
      state:
        ownerId === null
          ? sql`'unassigned'`
          : sql`case when ${conversations.state} = 'unassigned' then 'waiting_on_agent' else ${conversations.state} end`,
      cardVersion: sql`${conversations.cardVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(...conditions))
    .returning();
  return row;
}

/** `expectedOwnerId`: only while the owner is still the one the caller decided on (null = nobody). */
export async function closeConversation(
  db: DbOrTx,
  id: number,
  closedBy: string,
  at: Date,
  expectedOwnerId?: string | null,
): Promise<Conversation | undefined> {
  const conditions = [eq(conversations.id, id), ne(conversations.state, 'closed')];
  if (expectedOwnerId !== undefined) {
    conditions.push(expectedOwnerId === null ? isNull(conversations.ownerId) : eq(conversations.ownerId, expectedOwnerId));
  }
  const [row] = await db
    .update(conversations)
    .set({
      state: 'closed',
      closedAt: at,
      closedBy,
      cardVersion: sql`${conversations.cardVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(...conditions))
    .returning();
  return row;
}

/** What the card says about an owner who got the conversation by replying after it was resolved. */
export const REOPENED_BY_REPLY = 'reopened: they replied after it was resolved';

/** An agent replies in a closed thread and no newer conversation exists: it is open again, theirs. */
export async function reopenConversation(db: DbOrTx, id: number, ownerId: string): Promise<Conversation | undefined> {
  try {
    const [row] = await db.transaction((sp) =>
      sp
        .update(conversations)
        .set({
          state: 'waiting_on_agent',
          ownerId,
          assignedReason: REOPENED_BY_REPLY,
          closedAt: null,
          closedBy: null,
          cardVersion: sql`${conversations.cardVersion} + 1`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(conversations.id, id), eq(conversations.state, 'closed')))
        .returning(),
    );
    return row;
  } catch {
    // The customer wrote meanwhile and a newer conversation is open (unique open-per-customer index).
    return undefined;
  }
}

export async function setThreadTs(db: DbOrTx, id: number, threadTs: string): Promise<void> {
  await db.update(conversations).set({ threadTs, updatedAt: sql`now()` }).where(eq(conversations.id, id));
}

export async function markCardRendered(db: DbOrTx, id: number, version: number, at: Date): Promise<void> {
  await db
    .update(conversations)
    .set({
      cardRenderedVersion: sql`greatest(${conversations.cardRenderedVersion}, ${version})`,
      cardRenderedAt: at,
    })
    .where(eq(conversations.id, id));
}

export async function bumpCardVersion(db: DbOrTx, id: number): Promise<void> {
  await db
    .update(conversations)
    .set({ cardVersion: sql`${conversations.cardVersion} + 1`, updatedAt: sql`now()` })
    .where(eq(conversations.id, id));
}

/**
 * One worker per conversation (DESIGN §4). A lease instead of a session lock: it works the same on PGlite and
 * through a pool, and a crashed worker's hold runs out by itself.
 */
export async function acquireLease(db: DbOrTx, id: number, owner: string, until: Date, now: Date): Promise<boolean> {
  const rows = await db
    .update(conversations)
    .set({ leaseOwner: owner, leaseUntil: until })
    .where(
      and(
        eq(conversations.id, id),
        or(isNull(conversations.leaseUntil), lt(conversations.leaseUntil, now), eq(conversations.leaseOwner, owner)),
      ),
    )
    .returning({ id: conversations.id });
  return rows.length > 0;
}

/**
 * Lets the conversation go. With `parkedUntil` (wall clock) its thread's next post waits until then, set in the same
 * statement: see conversations.slack_parked_until.
 */
export async function releaseLease(db: DbOrTx, id: number, owner: string, parkedUntil?: Date): Promise<void> {
  await db
    .update(conversations)
    .set({ leaseOwner: null, leaseUntil: null, ...(parkedUntil ? { slackParkedUntil: parkedUntil } : {}) })
    .where(and(eq(conversations.id, id), eq(conversations.leaseOwner, owner)));
}

/** Open conversations whose window closed since their card was last drawn: the card must say "closed". */
export async function listCardsWithExpiredWindow(db: DbOrTx, windowStart: Date, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        ne(conversations.state, 'closed'),
        lt(conversations.lastInboundAt, windowStart),
        sql`${conversations.cardRenderedAt} < ${conversations.lastInboundAt} + interval '24 hours'`,
      ),
    )
    .limit(limit);
  return rows.map((r) => r.id);
}
