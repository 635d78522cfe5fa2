import { sql } from 'drizzle-orm';
import { pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * A WhatsApp customer. Since 2026 a payload may carry only the business-scoped user id (BSUID) and no phone
 * number, so either id may be missing, never both (reference/whatsapp.md §2.2, §6).
 */
export const contacts = pgTable(
  'contacts',
  {
    id: serial('id').primaryKey(),
    waId: text('wa_id'),
    userId: text('user_id'),
    username: text('username'),
    profileName: text('profile_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contacts_wa_id_unique').on(t.waId).where(sql`${t.waId} is not null`),
    uniqueIndex('contacts_user_id_unique').on(t.userId).where(sql`${t.userId} is not null`),
  ],
);

export type Contact = typeof contacts.$inferSelect;
