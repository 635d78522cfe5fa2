import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type AuditEvent, type AuditType, auditEvents } from '../schema';

export interface AuditEntry {
  conversationId?: number | null;
  type: AuditType;
  actorId: string;
  targetId?: string | null | undefined;
  detail?: Record<string, unknown>;
  at: Date;
}

export async function insertAuditEvent(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await insertAuditEvents(db, [entry]);
}

export async function insertAuditEvents(db: DbOrTx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditEvents).values(
    entries.map((entry) => ({
      conversationId: entry.conversationId ?? null,
      type: entry.type,
      actorId: entry.actorId,
      targetId: entry.targetId ?? null,
      detail: entry.detail ?? {},
      at: entry.at,
    })),
  );
}

export async function listAuditEvents(db: DbOrTx, conversationId: number): Promise<AuditEvent[]> {
  return db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.conversationId, conversationId))
    .orderBy(asc(auditEvents.at), asc(auditEvents.id));
}
