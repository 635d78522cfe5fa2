import { index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { conversations } from './conversations';

/**
 * A conversation handed to another channel (sales → support) keeps its id and continues in a new thread; the old
 * thread stays behind. This remembers where it was, so the old thread can still be recognised (a reply there, a
 * link to it) and the move is shown in the new thread's summary.
 */
export const conversationMoves = pgTable(
  'conversation_moves',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    fromChannelId: text('from_channel_id').notNull(),
    /** The old thread's parent (the old header card); null when the card had not been posted yet. */
    fromThreadTs: text('from_thread_ts'),
    toChannelId: text('to_channel_id').notNull(),
    movedBy: text('moved_by').notNull(),
    movedAt: timestamp('moved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('conversation_moves_old_thread').on(t.fromChannelId, t.fromThreadTs),
    index('conversation_moves_conversation').on(t.conversationId, t.movedAt),
  ],
);

export type ConversationMove = typeof conversationMoves.$inferSelect;
