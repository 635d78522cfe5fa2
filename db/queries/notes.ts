import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type Note, notes } from '../schema';

export async function insertNote(
  db: DbOrTx,
  values: { conversationId: number; authorId: string; body: string; slackTs?: string | undefined; source: string },
): Promise<Note | undefined> {
  const [row] = await db
    .insert(notes)
    .values({ ...values, slackTs: values.slackTs ?? null })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function updateNoteBody(db: DbOrTx, conversationId: number, slackTs: string, body: string): Promise<boolean> {
  const rows = await db
    .update(notes)
    .set({ body, updatedAt: sql`now()` })
    .where(and(eq(notes.conversationId, conversationId), eq(notes.slackTs, slackTs), isNull(notes.deletedAt)))
    .returning({ id: notes.id });
  return rows.length > 0;
}

/** Soft delete, once: false when there was no such note or it was already deleted. */
export async function markNoteDeleted(db: DbOrTx, conversationId: number, slackTs: string, at: Date): Promise<Note | undefined> {
  const [row] = await db
    .update(notes)
    .set({ deletedAt: at, updatedAt: sql`now()` })
    .where(and(eq(notes.conversationId, conversationId), eq(notes.slackTs, slackTs), isNull(notes.deletedAt)))
    .returning();
  return row;
}

export async function findNoteBySlackTs(db: DbOrTx, conversationId: number, slackTs: string): Promise<Note | undefined> {
  const [row] = await db
    .select()
    .from(notes)
    .where(and(eq(notes.conversationId, conversationId), eq(notes.slackTs, slackTs)));
  return row;
}

export async function listNotes(db: DbOrTx, conversationId: number): Promise<Note[]> {
  return db
    .select()
    .from(notes)
    .where(and(eq(notes.conversationId, conversationId), isNull(notes.deletedAt)))
    .orderBy(asc(notes.createdAt), asc(notes.id));
}

export async function findLastNote(db: DbOrTx, conversationId: number): Promise<Note | undefined> {
  const [row] = await db
    .select()
    .from(notes)
    .where(and(eq(notes.conversationId, conversationId), isNull(notes.deletedAt)))
    .orderBy(desc(notes.createdAt), desc(notes.id))
    .limit(1);
  return row;
}
