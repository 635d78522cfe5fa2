import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type MessageTemplateRow, type NewMessageTemplateRow, conversations, messageTemplates, messages, numberAccounts, templateAccounts } from '../schema';

/** Records which WABA a number belongs to; true when that is news (a catalogue to fetch). */
export async function upsertNumberAccount(db: DbOrTx, phoneNumberId: string, wabaId: string): Promise<boolean> {
  const rows = await db
    .insert(numberAccounts)
    .values({ phoneNumberId, wabaId })
    .onConflictDoUpdate({
      target: numberAccounts.phoneNumberId,
      set: { wabaId, updatedAt: sql`now()` },
      where: sql`${numberAccounts.wabaId} <> excluded.waba_id`,
    })
    .returning({ wabaId: numberAccounts.wabaId });
  const inserted = await db.insert(templateAccounts).values({ wabaId }).onConflictDoNothing().returning({ wabaId: templateAccounts.wabaId });
  return rows.length > 0 || inserted.length > 0;
}

export async function findWabaOfNumber(db: DbOrTx, phoneNumberId: string): Promise<string | undefined> {
  const [row] = await db.select({ wabaId: numberAccounts.wabaId }).from(numberAccounts).where(eq(numberAccounts.phoneNumberId, phoneNumberId));
  return row?.wabaId;
}

export async function ensureTemplateAccount(db: DbOrTx, wabaId: string): Promise<void> {
  await db.insert(templateAccounts).values({ wabaId }).onConflictDoNothing();
}

/** WABAs whose catalogue was never fetched, was marked stale, or is older than `olderThan`. */
export async function listAccountsDue(db: DbOrTx, olderThan: Date): Promise<string[]> {
  const rows = await db
    .select({ wabaId: templateAccounts.wabaId })
    .from(templateAccounts)
    .where(or(isNull(templateAccounts.syncedAt), isNotNull(templateAccounts.staleSince), lt(templateAccounts.syncedAt, olderThan)))
    .orderBy(asc(templateAccounts.wabaId));
  return rows.map((r) => r.wabaId);
}

export async function markAccountStale(db: DbOrTx, wabaId: string, at: Date): Promise<void> {
  await db
    .insert(templateAccounts)
    .values({ wabaId, staleSince: at })
    .onConflictDoUpdate({ target: templateAccounts.wabaId, set: { staleSince: sql`coalesce(${templateAccounts.staleSince}, excluded.stale_since)` } });
}

export async function recordSyncFailure(db: DbOrTx, wabaId: string, error: string): Promise<void> {
  await db.update(templateAccounts).set({ lastError: error.slice(0, 500) }).where(eq(templateAccounts.wabaId, wabaId));
}

/**
 * The whole catalogue of a WABA as just fetched: upserted by (name, language), and what Meta no longer lists is
 * removed. `startedAt` guards a status webhook that arrived during the fetch: its stale mark survives.
 */
export async function replaceTemplates(db: DbOrTx, wabaId: string, rows: NewMessageTemplateRow[], at: Date, startedAt: Date): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    await db
      .insert(messageTemplates)
      .values(chunk)
      .onConflictDoUpdate({
        target: [messageTemplates.wabaId, messageTemplates.name, messageTemplates.language],
        set: {
          metaId: sql`excluded.meta_id`,
          category: sql`excluded.category`,
          status: sql`excluded.status`,
          parameterFormat: sql`excluded.parameter_format`,
          components: sql`excluded.components`,
          syncedAt: sql`excluded.synced_at`,
        },
      });
  }
  const listed = new Set(rows.map((r) => `${r.name}\u0000${r.language}`));
  const stored = await db
    .select({ id: messageTemplates.id, name: messageTemplates.name, language: messageTemplates.language })
    .from(messageTemplates)
    .where(eq(messageTemplates.wabaId, wabaId));
  const gone = stored.filter((r) => !listed.has(`${r.name}\u0000${r.language}`)).map((r) => r.id);
  for (let i = 0; i < gone.length; i += 500) await db.delete(messageTemplates).where(inArray(messageTemplates.id, gone.slice(i, i + 500)));
  await db
    .update(templateAccounts)
    .set({
      syncedAt: at,
      lastError: null,
      templateCount: rows.length,
      staleSince: sql`case when ${templateAccounts.staleSince} > ${startedAt.toISOString()}::timestamptz then ${templateAccounts.staleSince} else null end`,
    })
    .where(eq(templateAccounts.wabaId, wabaId));
}

/** A status webhook applied at once, before the refetch it triggers: a paused template leaves the picker now. */
export async function updateTemplateStatus(
  db: DbOrTx,
  args: { wabaId: string; name: string; language: string; status: string; category?: string | undefined },
): Promise<number> {
  const rows = await db
    .update(messageTemplates)
    .set({ status: args.status, ...(args.category ? { category: args.category } : {}) })
    .where(and(eq(messageTemplates.wabaId, args.wabaId), eq(messageTemplates.name, args.name), eq(messageTemplates.language, args.language)))
    .returning({ id: messageTemplates.id });
  return rows.length;
}

export async function listApprovedTemplates(db: DbOrTx, wabaId: string): Promise<MessageTemplateRow[]> {
  return db
    .select()
    .from(messageTemplates)
    .where(and(eq(messageTemplates.wabaId, wabaId), eq(messageTemplates.status, 'APPROVED')))
    .orderBy(asc(messageTemplates.name), asc(messageTemplates.language));
}

export async function findTemplateById(db: DbOrTx, id: number): Promise<MessageTemplateRow | undefined> {
  const [row] = await db.select().from(messageTemplates).where(eq(messageTemplates.id, id));
  return row;
}

export async function countTemplates(db: DbOrTx, wabaId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(messageTemplates).where(eq(messageTemplates.wabaId, wabaId));
  return row?.n ?? 0;
}

/** The language of the last template this customer was sent (any conversation): the best guess at theirs. */
export async function findLastTemplateLanguage(db: DbOrTx, contactId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ code: sql<string | null>`${messages.payload} -> 'template' -> 'language' ->> 'code'` })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(conversations.contactId, contactId), eq(messages.kind, 'template'), eq(messages.direction, 'outbound')))
    .orderBy(desc(messages.id))
    .limit(1);
  return row?.code ?? undefined;
}
