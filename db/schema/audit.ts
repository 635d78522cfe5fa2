import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const auditTypes = [
  'opened',
  'claimed',
  'assigned',
  'reassigned',
  'taken_over',
  'released',
  'noted',
  'note_deleted',
  'held',
  'sent',
  'failed',
  'resolved',
  'reopened',
  'handed_off',
  'moved',
  'reminded',
  'template_sent',
  'saved_reply_sent',
] as const;
export type AuditType = (typeof auditTypes)[number];

/** Who did what to which conversation, and when. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: integer('conversation_id'),
    type: text('type').$type<AuditType>().notNull(),
    /** A Slack user id, or "system" for the app itself. */
    actorId: text('actor_id').notNull(),
    targetId: text('target_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_conversation').on(t.conversationId, t.at), index('audit_type_at').on(t.type, t.at)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
