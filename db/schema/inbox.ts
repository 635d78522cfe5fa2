import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Slack delivers events at least once and retries for 3 s timeouts: each event_id is handled once (slack.md §2.1). */
export const slackEvents = pgTable('slack_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Webhook content we do not act on (unknown `field`s, value-level errors, items that failed to store) is kept
 * here and acknowledged: nothing Meta sends is dropped silently, and Meta cannot re-send it later.
 */
export const webhookEvents = pgTable('webhook_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  field: text('field').notNull(),
  reason: text('reason').notNull(),
  payload: jsonb('payload').$type<unknown>().notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Meta's webhook POSTs, stored verbatim (after the signature check) before the 200: the durable write on the ack
 * path is one INSERT, group-committed with concurrent requests. The inbox processor then parses and ingests them
 * in arrival order; a row is marked done in the same transaction as its effects, so nothing is lost or doubled.
 */
export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    body: text('body').notNull(),
    state: text('state').$type<'pending' | 'done' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [index('webhook_inbox_pending').on(t.id).where(sql`${t.state} = 'pending'`)],
);

/** Named leases for singletons across processes (the inbox processor). */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  owner: text('owner').notNull(),
  until: timestamp('until', { withTimezone: true }).notNull(),
});
