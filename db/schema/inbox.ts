import { sql } from 'drizzle-orm';
import { bigserial, customType, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Raw bytes, exactly as they arrived: the signature was checked over them, and text could not hold them all. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

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

export const inboxStates = ['pending', 'done', 'parked'] as const;
export type InboxState = (typeof inboxStates)[number];

/**
 * Meta's webhook POSTs, stored byte for byte (after the signature check) before the 200: the durable write on the
 * ack path is one INSERT, group-committed with concurrent requests. The inbox processor then parses and ingests them
 * in arrival order; a row is marked done in the same transaction as its effects, so nothing is lost or doubled.
 * A row that keeps failing is `parked` (dead letter) after a few tries, so it never holds up the rows behind it.
 */
export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    raw: bytea('raw').notNull(),
    state: text('state').$type<InboxState>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** After a failed try: not before this (backoff), so a failing row cannot spin. */
    notBefore: timestamp('not_before', { withTimezone: true }),
    lastError: text('last_error'),
    /** Something in it had to be replaced to be stored (NUL, lone surrogates) or could not be stored: kept past retention. */
    keep: integer('keep').notNull().default(0),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    parkedAt: timestamp('parked_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_inbox_pending').on(t.id).where(sql`${t.state} = 'pending'`),
    index('webhook_inbox_parked').on(t.id).where(sql`${t.state} = 'parked'`),
  ],
);

/** Named leases for singletons across processes (the inbox processor). */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  owner: text('owner').notNull(),
  until: timestamp('until', { withTimezone: true }).notNull(),
});
