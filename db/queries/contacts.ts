import { eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type Contact, contacts } from '../schema';

export interface ContactIdentity {
  waId?: string | undefined;
  userId?: string | undefined;
  username?: string | undefined;
  profileName?: string | undefined;
}

/**
 * Find the customer by BSUID or phone (2026 payloads may carry either, reference/whatsapp.md §6), fill in ids and
 * profile data we learn, or create them. Concurrent webhooks for a new customer race on the unique indexes; the
 * loser reads the winner's row.
 */
export async function upsertContact(db: DbOrTx, who: ContactIdentity): Promise<Contact> {
  if (!who.waId && !who.userId) throw new Error('a contact needs a wa_id or a user_id');
  const existing = await findContact(db, who);
  if (existing) return refreshContact(db, existing, who);
  const [inserted] = await db
    .insert(contacts)
    .values({ waId: who.waId ?? null, userId: who.userId ?? null, username: who.username, profileName: who.profileName })
    .onConflictDoNothing()
    .returning();
  if (inserted) return inserted;
  const winner = await findContact(db, who);
  if (!winner) throw new Error('contact vanished after a conflicting insert');
  return refreshContact(db, winner, who);
}

export async function findContact(db: DbOrTx, who: { waId?: string | undefined; userId?: string | undefined }) {
  const conditions = [];
  if (who.userId) conditions.push(eq(contacts.userId, who.userId));
  if (who.waId) conditions.push(eq(contacts.waId, who.waId));
  if (conditions.length === 0) return undefined;
  const rows = await db.select().from(contacts).where(or(...conditions));
  // Prefer the BSUID match: it is the stable key since 2026 (reference/whatsapp.md §6).
  return rows.find((r) => who.userId && r.userId === who.userId) ?? rows[0];
}

export async function findContactById(db: DbOrTx, id: number): Promise<Contact | undefined> {
  const [row] = await db.select().from(contacts).where(eq(contacts.id, id));
  return row;
}

async function refreshContact(db: DbOrTx, row: Contact, who: ContactIdentity): Promise<Contact> {
  const patch: Partial<Contact> = {};
  if (who.waId && !row.waId) patch.waId = who.waId;
  if (who.userId && !row.userId) patch.userId = who.userId;
  if (who.username && who.username !== row.username) patch.username = who.username;
  if (who.profileName && who.profileName !== row.profileName) patch.profileName = who.profileName;
  if (Object.keys(patch).length === 0) return row;
  try {
    // A savepoint: a unique violation must not abort the caller's transaction.
    const [updated] = await db.transaction((sp) =>
      sp
        .update(contacts)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(contacts.id, row.id))
        .returning(),
    );
    return updated ?? row;
  } catch {
    // Another contact already holds that id (a number moved between people): keep what we have.
    return row;
  }
}

/** A customer changed number or got a new BSUID (system message): move the id over so the thread does not fork. */
export async function updateContactIds(
  db: DbOrTx,
  id: number,
  ids: { waId?: string | undefined; userId?: string | undefined },
): Promise<boolean> {
  const patch: Partial<Contact> = {};
  if (ids.waId) patch.waId = ids.waId;
  if (ids.userId) patch.userId = ids.userId;
  if (Object.keys(patch).length === 0) return false;
  try {
    await db.transaction((sp) =>
      sp
        .update(contacts)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(contacts.id, id)),
    );
    return true;
  } catch {
    // The new id already belongs to another contact row; keep both rather than lose the message.
    return false;
  }
}

/** Every contact holding one of these wa_ids or BSUIDs, in one statement (set-based ingest). */
export async function findContactsByIds(db: DbOrTx, ids: { waIds: string[]; userIds: string[] }): Promise<Contact[]> {
  const conditions = [];
  if (ids.waIds.length > 0) conditions.push(inArray(contacts.waId, ids.waIds));
  if (ids.userIds.length > 0) conditions.push(inArray(contacts.userId, ids.userIds));
  if (conditions.length === 0) return [];
  return db.select().from(contacts).where(or(...conditions));
}

/** New contacts in one INSERT; a row another transaction created meanwhile is skipped (the caller reads it back). */
export async function insertContacts(db: DbOrTx, rows: ContactIdentity[]): Promise<Contact[]> {
  if (rows.length === 0) return [];
  return db
    .insert(contacts)
    .values(rows.map((who) => ({ waId: who.waId ?? null, userId: who.userId ?? null, username: who.username, profileName: who.profileName })))
    .onConflictDoNothing()
    .returning();
}

/** A known customer's new profile name or username (no unique index: cannot collide). */
export async function updateContactProfile(db: DbOrTx, id: number, who: { username?: string | undefined; profileName?: string | undefined }): Promise<void> {
  const patch: Partial<Contact> = {};
  if (who.username) patch.username = who.username;
  if (who.profileName) patch.profileName = who.profileName;
  if (Object.keys(patch).length === 0) return;
  await db.update(contacts).set({ ...patch, updatedAt: sql`now()` }).where(eq(contacts.id, id));
}
