import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type SavedReply, savedReplies } from '../schema';

export async function listSavedReplies(db: DbOrTx): Promise<SavedReply[]> {
  return db.select().from(savedReplies).orderBy(asc(savedReplies.title), asc(savedReplies.id));
}

export async function findSavedReply(db: DbOrTx, id: number): Promise<SavedReply | undefined> {
  const [row] = await db.select().from(savedReplies).where(eq(savedReplies.id, id));
  return row;
}

/** undefined when another saved reply already has this title. */
export async function insertSavedReply(db: DbOrTx, args: { title: string; body: string; createdBy: string }): Promise<SavedReply | undefined> {
  const [row] = await db.insert(savedReplies).values(args).onConflictDoNothing().returning();
  return row;
}

export async function updateSavedReply(db: DbOrTx, id: number, args: { title: string; body: string; updatedBy: string }): Promise<SavedReply | undefined> {
  const [row] = await db
    .update(savedReplies)
    .set({ ...args, updatedAt: sql`now()` })
    .where(eq(savedReplies.id, id))
    .returning();
  return row;
}

export async function deleteSavedReply(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db.delete(savedReplies).where(eq(savedReplies.id, id)).returning({ id: savedReplies.id });
  return rows.length > 0;
}
