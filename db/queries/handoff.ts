import { and, asc, count, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type ChannelFilter, channelCondition } from './queue';
import {
  type ConversationMove,
  type ConversationState,
  type SlackOpRow,
  contacts,
  conversationMoves,
  conversations,
  messages,
  notes,
  slackOutbox,
  waitingSinceOf,
} from '../schema';

/** One conversation as the handoff modal and summaries list it. */
export interface HandoffRow {
  id: number;
  channelId: string;
  threadTs: string | null;
  state: ConversationState;
  ownerId: string | null;
  lastInboundAt: Date | null;
  customerName: string | null;
  customerPhone: string | null;
  customerUsername: string | null;
}

const waitingSince = waitingSinceOf(conversations);

const handoffColumns = {
  id: conversations.id,
  channelId: conversations.channelId,
  threadTs: conversations.threadTs,
  state: conversations.state,
  ownerId: conversations.ownerId,
  lastInboundAt: conversations.lastInboundAt,
  customerName: contacts.profileName,
  customerPhone: contacts.waId,
  customerUsername: contacts.username,
};

/** One person's open conversations, longest-waiting first (conversations_owner_queue), and how many there are. */
export async function listOpenOwnedBy(
  db: DbOrTx,
  ownerId: string,
  limit: number,
  channels?: ChannelFilter,
): Promise<{ rows: HandoffRow[]; total: number }> {
  const open = and(eq(conversations.ownerId, ownerId), ne(conversations.state, 'closed'), channelCondition(channels));
  const rows = await db
    .select(handoffColumns)
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(open)
    .orderBy(asc(waitingSince), asc(conversations.id))
    .limit(limit);
  const [total] = await db.select({ n: count() }).from(conversations).where(open);
  return { rows, total: Number(total?.n ?? 0) };
}

/** The given conversations (closed ones included: the caller decides), in the order asked. */
export async function listHandoffRows(db: DbOrTx, ids: readonly number[]): Promise<HandoffRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select(handoffColumns)
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(inArray(conversations.id, [...ids]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The latest note of each conversation, in one query (notes_conversation). */
export async function listLastNotes(db: DbOrTx, conversationIds: readonly number[]): Promise<Map<number, string>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([notes.conversationId], { conversationId: notes.conversationId, body: notes.body })
    .from(notes)
    .where(and(inArray(notes.conversationId, [...conversationIds]), isNull(notes.deletedAt)))
    .orderBy(notes.conversationId, desc(notes.createdAt), desc(notes.id));
  return new Map(rows.map((r) => [r.conversationId, r.body]));
}

/**
 * Sends the conversation to another channel: a new thread there (threadTs cleared, the card posted again) and back to
 * that team's pool. Conditional on the owner the caller saw, like assignConversation.
 */
export async function updateConversationChannel(
  db: DbOrTx,
  args: { id: number; toChannelId: string; expectedOwnerId: string | null },
): Promise<typeof conversations.$inferSelect | undefined> {
  const owner =
    args.expectedOwnerId === null
      ? sql`${conversations.ownerId} is null`
      : eq(conversations.ownerId, args.expectedOwnerId);
  const [row] = await db
    .update(conversations)
    .set({
      channelId: args.toChannelId,
      threadTs: null,
      ownerId: null,
      assignedReason: null,
      assignedAt: sql`now()`,
      ownerRemindedAt: null,
      state: 'unassigned',
      cardVersion: sql`${conversations.cardVersion} + 1`,
      cardRenderedVersion: 0,
      cardRenderedAt: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(conversations.id, args.id), ne(conversations.state, 'closed'), owner))
    .returning();
  return row;
}

export async function insertConversationMove(
  db: DbOrTx,
  values: { conversationId: number; fromChannelId: string; fromThreadTs: string | null; toChannelId: string; movedBy: string; movedAt: Date },
): Promise<void> {
  await db.insert(conversationMoves).values(values);
}

/** The conversation that used to live in this thread before it moved to another channel (latest move wins). */
export async function findMoveFromThread(db: DbOrTx, channelId: string, threadTs: string): Promise<ConversationMove | undefined> {
  const [row] = await db
    .select()
    .from(conversationMoves)
    .where(and(eq(conversationMoves.fromChannelId, channelId), eq(conversationMoves.fromThreadTs, threadTs)))
    .orderBy(desc(conversationMoves.movedAt), desc(conversationMoves.id))
    .limit(1);
  return row;
}

/**
 * Before a move: open Slack ops of the old thread would run before the new card exists and block the ordered
 * outbox. They are closed here and handed back, to be queued again (new ids, same order) after the new card; card
 * ops are dropped, since the new card is rendered from the current state.
 */
export async function supersedeOpenSlackOps(db: DbOrTx, conversationId: number, at: Date): Promise<SlackOpRow[]> {
  const open = await db
    .select()
    .from(slackOutbox)
    .where(and(eq(slackOutbox.conversationId, conversationId), inArray(slackOutbox.state, ['pending', 'in_flight'])))
    .orderBy(asc(slackOutbox.id));
  if (open.length === 0) return [];
  await db
    .update(slackOutbox)
    .set({ state: 'done', doneAt: at, lastError: 'superseded by a move to another channel' })
    .where(inArray(slackOutbox.id, open.map((op) => op.id)));
  return open.filter((op) => op.kind !== 'post_card' && op.kind !== 'update_card');
}

/** Queues superseded ops again, in their order, behind whatever was enqueued meanwhile. */
export async function requeueSlackOps(db: DbOrTx, ops: SlackOpRow[]): Promise<void> {
  for (const op of ops) {
    await db.insert(slackOutbox).values({
      conversationId: op.conversationId,
      kind: op.kind,
      messageId: op.messageId,
      payload: op.payload,
      state: 'pending',
      notBefore: op.notBefore,
    });
  }
}

/**
 * The conversation a Slack message belongs to, for a message shortcut on a thread reply: Slack may leave thread_ts
 * out of the shortcut payload (slack.md §3), so the reply's own ts is looked up among the messages we know.
 */
export async function findConversationIdBySlackTs(db: DbOrTx, channelId: string, ts: string): Promise<number | undefined> {
  const [row] = await db
    .select({ id: conversations.id })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.slackTs, ts), eq(conversations.channelId, channelId)))
    .limit(1);
  return row?.id;
}
