import { index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Which WhatsApp Business Account (WABA) a business number belongs to: learnt from webhooks (`entry[].id` is the
 * WABA id, reference/whatsapp.md §2.1) or set with WHATSAPP_BUSINESS_ACCOUNT_ID. Templates belong to the WABA.
 */
export const numberAccounts = pgTable('number_accounts', {
  phoneNumberId: text('phone_number_id').primaryKey(),
  wabaId: text('waba_id').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One row per WABA: when its template catalogue was last fetched, and why the last fetch failed. */
export const templateAccounts = pgTable('template_accounts', {
  wabaId: text('waba_id').primaryKey(),
  syncedAt: timestamp('synced_at', { withTimezone: true }),
  /** Set by a status webhook: the catalogue should be fetched again soon. */
  staleSince: timestamp('stale_since', { withTimezone: true }),
  lastError: text('last_error'),
  templateCount: integer('template_count').notNull().default(0),
});

/**
 * A message template as GET /<WABA_ID>/message_templates returns it (name + language is the key Meta sends
 * with). `components` is kept as Meta wrote it; the picker reads the variables from it (src/whatsapp/templates.ts).
 */
export const messageTemplates = pgTable(
  'message_templates',
  {
    id: serial('id').primaryKey(),
    wabaId: text('waba_id').notNull(),
    metaId: text('meta_id'),
    name: text('name').notNull(),
    language: text('language').notNull(),
    /** MARKETING, UTILITY or AUTHENTICATION. */
    category: text('category').notNull(),
    /** APPROVED, PAUSED, DISABLED, REJECTED, PENDING, …: only APPROVED ones are offered. */
    status: text('status').notNull(),
    /** POSITIONAL ({{1}}) or NAMED ({{customer_name}}). */
    parameterFormat: text('parameter_format').notNull().default('POSITIONAL'),
    components: jsonb('components').$type<unknown[]>().notNull().default([]),
    syncedAt: timestamp('synced_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('message_templates_key').on(t.wabaId, t.name, t.language), index('message_templates_status').on(t.wabaId, t.status)],
);

export type MessageTemplateRow = typeof messageTemplates.$inferSelect;
export type NewMessageTemplateRow = typeof messageTemplates.$inferInsert;

/** Team-wide saved replies: a title and a text with {customer_name} / {agent_name} placeholders. */
export const savedReplies = pgTable(
  'saved_replies',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdBy: text('created_by').notNull(),
    updatedBy: text('updated_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('saved_replies_title').on(t.title)],
);

export type SavedReply = typeof savedReplies.$inferSelect;
