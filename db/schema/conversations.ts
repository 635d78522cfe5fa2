import { type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { contacts } from './contacts';
import type { ConversationState } from './enums';

/**
 * One WhatsApp conversation = one Slack thread. Keyed by (phone_number_id, contact); at most one is open at a
 * time per pair, and a closed one that hears from the customer again opens a new one that links back.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: serial('id').primaryKey(),
    phoneNumberId: text('phone_number_id').notNull(),
    displayPhoneNumber: text('display_phone_number'),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id),
    channelId: text('channel_id').notNull(),
    /** ts of the header card, the thread's parent; null until the worker has posted it. */
    threadTs: text('thread_ts'),
    state: text('state').$type<ConversationState>().notNull().default('unassigned'),
    ownerId: text('owner_id'),
    /** Why the current owner has it, shown on the card ("claimed", "assigned by @ana", "on shift, fewest open"). */
    assignedReason: text('assigned_reason'),
    previousConversationId: integer('previous_conversation_id'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: text('closed_by'),
    /** The customer's last message: the 24-hour customer service window runs from here (reference/whatsapp.md §5). */
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    lastOutboundAt: timestamp('last_outbound_at', { withTimezone: true }),
    /** The customer's first message since the last agent reply: what /queue ages and ownership timeouts measure. */
    awaitingReplySince: timestamp('awaiting_reply_since', { withTimezone: true }),
    /** When the owner was last reminded that the customer is waiting (ownership timeout). */
    ownerRemindedAt: timestamp('owner_reminded_at', { withTimezone: true }),
    /** When the conversation last changed hands (claim, assignment, handoff). */
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    /** Bumped by every change the header card shows; the worker re-renders while rendered < version. */
    cardVersion: integer('card_version').notNull().default(1),
    cardRenderedVersion: integer('card_rendered_version').notNull().default(0),
    cardRenderedAt: timestamp('card_rendered_at', { withTimezone: true }),
    /** One worker at a time per conversation (DESIGN §4): a lease, so a crashed worker's hold expires. */
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /**
     * The thread's next post cannot go before this (its Slack slot, a Retry-After, a setup retry; wall-clock time):
     * the worker has a signal due then, so new customer messages do not wake it for nothing meanwhile (issue 7).
     */
    slackParkedUntil: timestamp('slack_parked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('conversations_open_per_customer').on(t.phoneNumberId, t.contactId).where(sql`${t.state} <> 'closed'`),
    index('conversations_thread').on(t.channelId, t.threadTs),
    index('conversations_contact').on(t.contactId, t.openedAt),
    index('conversations_state_owner').on(t.state, t.ownerId),
    index('conversations_awaiting').on(t.awaitingReplySince).where(sql`${t.state} <> 'closed'`),
    index('conversations_channel_state').on(t.channelId, t.state, t.openedAt),
    index('conversations_closed_at').on(t.closedAt),
    // The digest: new conversations and first replies of the last 24 hours.
    index('conversations_opened_at').on(t.openedAt),
    index('conversations_first_response_at').on(t.firstResponseAt),
    index('conversations_open_window').on(t.lastInboundAt).where(sql`${t.state} <> 'closed'`),
    // /queue (all, unassigned) and its counts: open conversations of one state, oldest first, without a sort.
    index('conversations_queue')
      .on(t.state, waitingSinceOf(t), t.id)
      .where(sql`${t.state} <> 'closed'`),
    // /queue mine and @user, App Home, least-open routing and /shift off: one person's open conversations.
    index('conversations_owner_queue')
      .on(t.ownerId, t.state, waitingSinceOf(t), t.id)
      .where(sql`${t.state} <> 'closed'`),
  ],
);

export type Conversation = typeof conversations.$inferSelect;

/**
 * Since when the conversation has waited in its current state: the customer's unanswered message, else the last
 * agent reply, else the opening. /queue sorts by it; queries must use this exact expression to hit the indexes.
 */
export function waitingSinceOf(t: {
  awaitingReplySince: AnyPgColumn;
  lastOutboundAt: AnyPgColumn;
  openedAt: AnyPgColumn;
}): SQL<Date> {
  return sql<Date>`coalesce(${t.awaitingReplySince}, ${t.lastOutboundAt}, ${t.openedAt})`.mapWith(t.openedAt) as SQL<Date>;
}
