import type { Db } from '../../db/client';
import { upsertContact } from '../../db/queries/contacts';
import { type ConversationState, auditEvents, conversations, messages } from '../../db/schema';

/** Rows written straight into the tables, with exact times, for the digest's queries to count. */

export const HOUR = 3600_000;
export const MIN = 60_000;

export interface SeedConversation {
  waId: string;
  name?: string;
  state?: ConversationState;
  ownerId?: string | null;
  openedAt: Date;
  lastInboundAt?: Date | null;
  awaitingReplySince?: Date | null;
  firstResponseAt?: Date | null;
  closedAt?: Date | null;
  channelId?: string;
  threadTs?: string | null;
}

export async function seedConversation(db: Db, seed: SeedConversation): Promise<number> {
  const contact = await upsertContact(db, { waId: seed.waId, profileName: seed.name ?? `Customer ${seed.waId}` });
  const [row] = await db
    .insert(conversations)
    .values({
      phoneNumberId: '100000000000001',
      contactId: contact.id,
      channelId: seed.channelId ?? 'C0INBOX001',
      threadTs: seed.threadTs === undefined ? `1795000000.${seed.waId.slice(-6)}` : seed.threadTs,
      state: seed.state ?? 'unassigned',
      ownerId: seed.ownerId ?? null,
      openedAt: seed.openedAt,
      lastInboundAt: seed.lastInboundAt === undefined ? seed.openedAt : seed.lastInboundAt,
      awaitingReplySince: seed.awaitingReplySince ?? null,
      firstResponseAt: seed.firstResponseAt ?? null,
      closedAt: seed.closedAt ?? null,
    })
    .returning({ id: conversations.id });
  if (!row) throw new Error('seed conversation not inserted');
  return row.id;
}

export async function seedInbound(db: Db, conversationId: number, sentAt: Date, waMessageId: string): Promise<void> {
  await db.insert(messages).values({ conversationId, direction: 'inbound', kind: 'text', body: 'hi', waMessageId, waTimestamp: sentAt });
}

export async function seedFailedDelivery(db: Db, conversationId: number, at: Date, code: number, title: string): Promise<void> {
  await db.insert(auditEvents).values({ conversationId, type: 'failed', actorId: 'whatsapp', detail: { code, title }, at });
}
