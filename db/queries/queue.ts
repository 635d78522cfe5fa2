import { type SQL, and, asc, count, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type ConversationState, contacts, conversations, waitingSinceOf } from '../schema';

/**
 * /queue, App Home and least-open routing. Every query is bounded (LIMIT, or COUNT … GROUP BY state) and runs on the
 * partial indexes conversations_queue / conversations_owner_queue, so its cost follows the open conversations
 * asked for, not the table (closed conversations pile up forever).
 */

export type OpenState = Exclude<ConversationState, 'closed'>;

/** Most urgent first: nobody has it, then someone has it and the customer waits, then the customer's turn. */
export const openStates = ['unassigned', 'waiting_on_agent', 'waiting_on_customer'] as const satisfies readonly OpenState[];

export type QueueScope =
  | { kind: 'all' }
  | { kind: 'unassigned' }
  | { kind: 'owner'; ownerId: string }
  /** What an agent can act on: their own and everyone's unclaimed ones (`/queue` with no argument). */
  | { kind: 'owner_or_unassigned'; ownerId: string };

/** Only conversations in these channels (the ones the viewer may see); undefined = every channel. */
export type ChannelFilter = readonly string[] | undefined;

export interface QueueRow {
  id: number;
  channelId: string;
  threadTs: string | null;
  state: OpenState;
  ownerId: string | null;
  waitingSince: Date;
  lastInboundAt: Date | null;
  customerName: string | null;
  customerPhone: string | null;
  customerUsername: string | null;
}

const waitingSince = waitingSinceOf(conversations);

function scopeCondition(scope: QueueScope): SQL | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'unassigned':
      return isNull(conversations.ownerId);
    case 'owner':
      return eq(conversations.ownerId, scope.ownerId);
    case 'owner_or_unassigned':
      return or(eq(conversations.ownerId, scope.ownerId), isNull(conversations.ownerId));
    default:
      return scope satisfies never;
  }
}

/** The WHERE part of a ChannelFilter (nothing matches an empty list). */
export function channelCondition(channels: ChannelFilter): SQL | undefined {
  if (channels === undefined) return undefined;
  return channels.length === 0 ? sql`false` : inArray(conversations.channelId, [...channels]);
}

/** Open conversations in the scope, counted per state (every state present, zero when none). */
export async function countOpenByState(db: DbOrTx, scope: QueueScope, channels?: ChannelFilter): Promise<Record<OpenState, number>> {
  const rows = await db
    .select({ state: conversations.state, n: count() })
    .from(conversations)
    .where(and(ne(conversations.state, 'closed'), scopeCondition(scope), channelCondition(channels)))
    .groupBy(conversations.state);
  const counts: Record<OpenState, number> = { unassigned: 0, waiting_on_agent: 0, waiting_on_customer: 0 };
  for (const row of rows) if (row.state !== 'closed') counts[row.state] = Number(row.n);
  return counts;
}

/** The `limit` conversations of one state that have waited longest. */
export async function listOldestOpen(
  db: DbOrTx,
  args: { scope: QueueScope; state: OpenState; limit: number; channels?: ChannelFilter },
): Promise<QueueRow[]> {
  const rows = await db
    .select({
      id: conversations.id,
      channelId: conversations.channelId,
      threadTs: conversations.threadTs,
      state: conversations.state,
      ownerId: conversations.ownerId,
      waitingSince,
      lastInboundAt: conversations.lastInboundAt,
      customerName: contacts.profileName,
      customerPhone: contacts.waId,
      customerUsername: contacts.username,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    // `<> 'closed'` spelled out so the planner matches the partial index's predicate.
    .where(
      and(ne(conversations.state, 'closed'), eq(conversations.state, args.state), scopeCondition(args.scope), channelCondition(args.channels)),
    )
    .orderBy(asc(waitingSince), asc(conversations.id))
    .limit(args.limit);
  return rows.map((r) => ({ ...r, state: args.state }));
}

/** Open conversations per owner, for the given people only (absent = none). */
export async function countOpenByOwner(db: DbOrTx, ownerIds: readonly string[]): Promise<Map<string, number>> {
  if (ownerIds.length === 0) return new Map();
  const rows = await db
    .select({ ownerId: conversations.ownerId, n: count() })
    .from(conversations)
    .where(and(inArray(conversations.ownerId, [...ownerIds]), ne(conversations.state, 'closed')))
    .groupBy(conversations.ownerId);
  return new Map(rows.flatMap((r) => (r.ownerId ? [[r.ownerId, Number(r.n)] as const] : [])));
}
