import { index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { conversations } from './conversations';

/** Private notes: stay in Slack, never sent, carry context to the next person. */
export const notes = pgTable(
  'notes',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    authorId: text('author_id').notNull(),
    body: text('body').notNull(),
    slackTs: text('slack_ts'),
    /** thread (a prefixed reply), held (a held reply kept as a note), handoff (written in the handoff modal). */
    source: text('source').notNull().default('thread'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Deleted in Slack: kept for the audit trail, no longer carried into handoffs, summaries or prefills. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notes_slack_ts_unique').on(t.conversationId, t.slackTs),
    index('notes_conversation').on(t.conversationId, t.createdAt),
  ],
);

export type Note = typeof notes.$inferSelect;
