import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { conversations } from './conversations';
import type { OutboxState } from './enums';

/**
 * Everything the worker must do in a conversation's Slack thread, in order: post the header card, post inbound
 * messages, update the card, show delivery status, post notices. Postgres is the outbox; queue signals only say
 * "conversation X has work" (DESIGN §4).
 */
export const slackOutbox = pgTable(
  'slack_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Null for a channel-level post (the digest, an inbox notice): those go by `channelId`. */
    conversationId: integer('conversation_id').references(() => conversations.id),
    channelId: text('channel_id'),
    kind: text('kind').$type<SlackOpKind>().notNull(),
    messageId: bigint('message_id', { mode: 'number' }),
    /** Typed per kind: slack-op-payloads.ts. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    state: text('state').$type<OutboxState>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    notBefore: timestamp('not_before', { withTimezone: true }),
    resultTs: text('result_ts'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [
    index('slack_outbox_open').on(t.conversationId, t.id).where(sql`${t.state} in ('pending', 'in_flight')`),
    index('slack_outbox_open_age').on(t.createdAt).where(sql`${t.state} in ('pending', 'in_flight')`),
    index('slack_outbox_channel_open')
      .on(t.id)
      .where(sql`${t.conversationId} is null and ${t.state} in ('pending', 'in_flight')`),
  ],
);

export const slackOpKinds = [
  'post_card',
  'update_card',
  'post_message',
  'update_message',
  'show_status',
  'add_reaction',
  'post_notice',
  'post_channel',
] as const;
export type SlackOpKind = (typeof slackOpKinds)[number];
export type SlackOpRow = typeof slackOutbox.$inferSelect;
