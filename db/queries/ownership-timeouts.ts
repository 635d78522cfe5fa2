import { type SQL, and, asc, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type Conversation, channelSettings, conversations } from '../schema';

/**
 * Ownership timeouts: an owner who leaves the customer waiting is reminded once, then loses the conversation.
 * The periods are the channel's override or the configured default, compared in SQL so one query serves every
 * channel. `make_interval(mins => …)` has no day part, so the comparison is absolute time, unaffected by DST.
 */

export interface DueConversation {
  id: number;
  channelId: string;
  ownerId: string;
  /** Since when the customer has waited for this owner. */
  waitingSince: Date;
  ownerRemindedAt: Date | null;
}

/**
 * The customer's wait as this owner's: a conversation handed over an hour after the customer wrote starts the
 * new owner's clock at the handover, so they are not reminded the moment they take it.
 */
const ownerWaitingSince = sql<Date>`greatest(${conversations.awaitingReplySince}, ${conversations.assignedAt})`.mapWith(
  conversations.awaitingReplySince,
) as SQL<Date>;

function minutesBefore(now: Date, minutes: SQL): SQL {
  return sql`${now.toISOString()}::timestamptz - make_interval(mins => ${minutes})`;
}

interface DueArgs {
  now: Date;
  defaultMinutes: number;
  /** The shortest period any channel uses: a bound that lets the awaiting index skip everything younger. */
  shortestMinutes: number;
  limit: number;
}

async function listDue(db: DbOrTx, args: DueArgs, period: 'reminder' | 'release'): Promise<DueConversation[]> {
  const override = period === 'reminder' ? channelSettings.ownerReminderMinutes : channelSettings.ownerReleaseMinutes;
  const minutes = sql`coalesce(${override}, ${args.defaultMinutes}::int)`;
  const shortest = new Date(args.now.getTime() - args.shortestMinutes * 60_000);
  const periodCondition =
    period === 'reminder'
      ? and(isNull(conversations.ownerRemindedAt), lte(ownerWaitingSince, minutesBefore(args.now, minutes)))
      : and(isNotNull(conversations.ownerRemindedAt), lte(conversations.ownerRemindedAt, minutesBefore(args.now, minutes)));
  const rows = await db
    .select({
      id: conversations.id,
      channelId: conversations.channelId,
      ownerId: conversations.ownerId,
      waitingSince: ownerWaitingSince,
      ownerRemindedAt: conversations.ownerRemindedAt,
    })
    .from(conversations)
    .leftJoin(channelSettings, eq(channelSettings.channelId, conversations.channelId))
    .where(
      and(
        sql`${conversations.state} <> 'closed'`,
        eq(conversations.state, 'waiting_on_agent'),
        isNotNull(conversations.ownerId),
        lte(conversations.awaitingReplySince, shortest),
        periodCondition,
      ),
    )
    .orderBy(asc(conversations.awaitingReplySince), asc(conversations.id))
    .limit(args.limit);
  return rows.map((r) => ({ ...r, ownerId: r.ownerId as string }));
}

/** Owners not yet reminded whose customer has waited longer than the reminder period. */
export function listDueReminders(db: DbOrTx, args: DueArgs): Promise<DueConversation[]> {
  return listDue(db, args, 'reminder');
}

/** Reminded owners who still have not answered after the release period. */
export function listDueReleases(db: DbOrTx, args: DueArgs): Promise<DueConversation[]> {
  return listDue(db, args, 'release');
}

/** Marks the reminder as sent; false when another worker did it first or the owner answered meanwhile. */
export async function markOwnerReminded(db: DbOrTx, args: { id: number; ownerId: string; at: Date }): Promise<boolean> {
  const rows = await db
    .update(conversations)
    .set({ ownerRemindedAt: args.at, updatedAt: sql`now()` })
    .where(
      and(
        eq(conversations.id, args.id),
        eq(conversations.ownerId, args.ownerId),
        eq(conversations.state, 'waiting_on_agent'),
        isNull(conversations.ownerRemindedAt),
      ),
    )
    .returning({ id: conversations.id });
  return rows.length > 0;
}

/**
 * Takes the conversation from an owner who let the release period pass: to `toOwnerId`, or to the pool (null).
 * Conditional on what the caller saw (owner, still waiting, the same reminder), so an answer that arrived in the
 * meantime wins and nothing moves.
 */
export async function moveOverdueConversation(
  db: DbOrTx,
  args: { id: number; fromOwnerId: string; remindedAt: Date; toOwnerId: string | null; reason: string; at: Date },
): Promise<Conversation | undefined> {
  const [row] = await db
    .update(conversations)
    .set({
      ownerId: args.toOwnerId,
      assignedReason: args.reason,
      assignedAt: args.at,
      ownerRemindedAt: null,
      state: args.toOwnerId === null ? 'unassigned' : 'waiting_on_agent',
      cardVersion: sql`${conversations.cardVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(conversations.id, args.id),
        eq(conversations.ownerId, args.fromOwnerId),
        eq(conversations.state, 'waiting_on_agent'),
        isNotNull(conversations.ownerRemindedAt),
        lte(conversations.ownerRemindedAt, args.remindedAt),
      ),
    )
    .returning();
  return row;
}
