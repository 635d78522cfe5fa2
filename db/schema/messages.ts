import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { conversations } from './conversations';
import type { MessageDirection, SlackState, WaState } from './enums';

/**
 * Every WhatsApp message in either direction. This table is also the WhatsApp outbox: outbound rows in
 * `queued` are what the worker sends, in id order per conversation (DESIGN §4).
 */
export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    direction: text('direction').$type<MessageDirection>().notNull(),
    /** The WhatsApp type (text, image, reaction, …); unknown types are kept verbatim. */
    kind: text('kind').notNull(),
    /** The wamid. Meta delivers at least once: the unique index makes a redelivery a no-op. */
    waMessageId: text('wa_message_id'),
    waTimestamp: timestamp('wa_timestamp', { withTimezone: true }),
    /** Text or caption, for summaries and search. */
    body: text('body'),
    /** Inbound: the message object as Meta sent it. Outbound: what we send (media reference, file name, part). */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    /** Inbound: the message as we understood it (InboundContent, src/whatsapp/webhook-types.ts). */
    content: jsonb('content').$type<Record<string, unknown>>(),
    /** wamid this message replies to (WhatsApp `context.id`), or the message a reaction is on. */
    contextWaMessageId: text('context_wa_message_id'),
    /** Inbound: ts of our post in the thread. Outbound: ts of the agent's Slack message. */
    slackTs: text('slack_ts'),
    /** The channel of `slackTs` (a conversation moved to another channel leaves its earlier posts behind). */
    slackChannelId: text('slack_channel_id'),
    /** Outbound: the Slack user who wrote it. */
    slackUserId: text('slack_user_id'),
    /** Outbound split across several WhatsApp messages (text over 4,096 characters, files): 0, 1, 2, … */
    part: integer('part').notNull().default(0),
    slackState: text('slack_state').$type<SlackState>(),
    waState: text('wa_state').$type<WaState>(),
    /** Why a reply was held instead of sent: `not_owner` or `window_closed`. */
    holdReason: text('hold_reason'),
    waStatusAt: timestamp('wa_status_at', { withTimezone: true }),
    errorCode: integer('error_code'),
    errorTitle: text('error_title'),
    errorDetail: text('error_detail'),
    /** The delivery status last shown as a reaction on the Slack message (add-only, coalesced). */
    statusShown: text('status_shown').$type<WaState>(),
    attempts: integer('attempts').notNull().default(0),
    notBefore: timestamp('not_before', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('messages_wa_message_id_unique').on(t.waMessageId),
    index('messages_conversation').on(t.conversationId, t.id),
    index('messages_slack_ts').on(t.slackTs),
    index('messages_context').on(t.contextWaMessageId).where(sql`${t.contextWaMessageId} is not null`),
    // The digest's customer messages per hour, by when the customer sent them.
    index('messages_inbound_sent_at').on(t.waTimestamp).where(sql`${t.direction} = 'inbound'`),
    index('messages_wa_queue').on(t.conversationId, t.id).where(sql`${t.waState} in ('queued', 'sending')`),
  ],
);

export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/**
 * Raw delivery statuses, one row per (wamid, status): the dedupe key for Meta's redeliveries, and a parking
 * place for a status that arrives before the send recorded its wamid (reference/whatsapp.md §1.3, §2.5).
 */
export const messageStatuses = pgTable(
  'message_statuses',
  {
    waMessageId: text('wa_message_id').notNull(),
    status: text('status').notNull(),
    statusAt: timestamp('status_at', { withTimezone: true }),
    callbackData: text('callback_data'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    applied: integer('applied').notNull().default(0),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('message_statuses_pk').on(t.waMessageId, t.status)],
);
