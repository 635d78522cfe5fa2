import type { Tx } from '../../db/client';
import { type ContactIdentity, findContactsByIds, insertContacts, updateContactProfile } from '../../db/queries/contacts';
import { listOpenConversationsOfContacts, recordInboundMany } from '../../db/queries/conversations';
import { insertWebhookEvents } from '../../db/queries/inbox';
import { insertInboundMessages } from '../../db/queries/messages';
import { type NewSlackOp, enqueueCardUpdates, enqueueSlackOps } from '../../db/queries/slack-outbox';
import type { Contact, Conversation } from '../../db/schema';
import { channelForNumber } from '../config';
import type { Deps } from '../deps';
import type { WebhookItem } from '../whatsapp/webhook-types';
import type { NewInbound } from './open-conversations';

type IngestDeps = Pick<Deps, 'db' | 'config' | 'logger' | 'clock' | 'metrics'>;
export type MessageItem = Extract<WebhookItem, { type: 'message' }>;
export type KeptItem = Extract<WebhookItem, { type: 'unknown' | 'error' }>;

/** What the set-based path needs from the per-item rules (ingest.ts), so both make exactly the same rows. */
export interface BulkRules {
  /** Opens a conversation for each of these customers (none has one open), in this order; the same rows as one by one. */
  openConversations(tx: Tx, wanted: NewInbound[]): Promise<Conversation[]>;
  bodyOf(item: MessageItem): string | null;
  keptEventOf(item: KeptItem): { field: string; reason: string; payload: unknown };
  /** A card change that only moves the window time waits this long (one chat.update for a chatty customer). */
  windowOnlyCardDelayMs: number;
}

export interface BulkResult {
  conversationIds: number[];
  stored: number;
  duplicates: number;
  kept: number;
}

/** A message whose customer the set-based path can name without a per-row decision (see splitResolvable). */
function identityOf(item: MessageItem): ContactIdentity {
  return item.contact;
}

/**
 * Which contact each message belongs to, resolved in memory exactly as upsertContact would one by one: a known
 * contact (by BSUID first, then wa_id), or a new one, merged with earlier new ones of the batch that share an id.
 * Returns undefined for an item that needs a decision only the database can make (a new id on a known contact may
 * collide with another contact's): the caller takes that one through the per-item path.
 */
class ContactPlan {
  private readonly known: Contact[];
  readonly fresh: ContactIdentity[] = [];
  /** Profile updates of known contacts (no unique index: they cannot fail), last value wins as it would in order. */
  readonly renames = new Map<number, ContactIdentity>();

  constructor(known: Contact[]) {
    this.known = known.map((c) => ({ ...c }));
  }

  /** The slot of the item's contact: a known contact id, or `fresh:<n>`. */
  place(who: ContactIdentity): { known: number } | { fresh: number } | undefined {
    if (!who.waId && !who.userId) return undefined;
    const byUser = who.userId ? this.known.find((c) => c.userId === who.userId) : undefined;
    const byWa = who.waId ? this.known.find((c) => c.waId === who.waId) : undefined;
    const match = byUser ?? byWa;
    if (match) {
      // Learning an id for a known contact can collide with another row's unique id: only the database decides.
      if ((who.waId && !match.waId) || (who.userId && !match.userId)) return undefined;
      if ((who.username && who.username !== match.username) || (who.profileName && who.profileName !== match.profileName)) {
        if (who.username) match.username = who.username;
        if (who.profileName) match.profileName = who.profileName;
        this.renames.set(match.id, { username: match.username ?? undefined, profileName: match.profileName ?? undefined });
      }
      return { known: match.id };
    }
    const index = this.fresh.findIndex((f) => (who.userId && f.userId === who.userId) || (who.waId && f.waId === who.waId));
    if (index < 0) {
      this.fresh.push({ ...who });
      return { fresh: this.fresh.length - 1 };
    }
    const f = this.fresh[index]!;
    // Conflicting ids for one new customer (same wa_id, two BSUIDs): let the per-item path keep both apart.
    if ((who.waId && f.waId && who.waId !== f.waId) || (who.userId && f.userId && who.userId !== f.userId)) return undefined;
    f.waId ??= who.waId;
    f.userId ??= who.userId;
    if (who.username) f.username = who.username;
    if (who.profileName) f.profileName = who.profileName;
    return { fresh: index };
  }
}

/**
 * Plain customer messages (not reactions or system notices), many at once, with set-based statements: contacts,
 * open conversations, messages ON CONFLICT by wamid, their post ops and the conversations' new turn, each one
 * statement for the whole run (a new conversation is still opened one by one: it is routed and audited). The rows
 * are the ones the per-item path would write, in the same order; items it cannot decide alone are returned in
 * `deferred` for the caller to take through the per-item path after this run.
 */
export async function ingestMessagesInBulk(
  deps: IngestDeps,
  tx: Tx,
  rules: BulkRules,
  items: MessageItem[],
): Promise<{ result: BulkResult; firstDeferred: number }> {
  const result: BulkResult = { conversationIds: [], stored: 0, duplicates: 0, kept: 0 };
  const waIds = new Set<string>();
  const userIds = new Set<string>();
  for (const item of items) {
    if (item.contact.waId) waIds.add(item.contact.waId);
    if (item.contact.userId) userIds.add(item.contact.userId);
  }
  const plan = new ContactPlan(await findContactsByIds(tx, { waIds: [...waIds], userIds: [...userIds] }));
  const places: ({ known: number } | { fresh: number })[] = [];
  let firstDeferred = items.length;
  for (const [i, item] of items.entries()) {
    const place = channelForNumber(deps.config, item.number.phoneNumberId) ? plan.place(identityOf(item)) : undefined;
    if (!place) {
      firstDeferred = i;
      break;
    }
    places.push(place);
  }
  const run = items.slice(0, firstDeferred);
  if (run.length === 0) return { result, firstDeferred };

  const created = await insertContacts(tx, plan.fresh);
  if (created.length !== plan.fresh.length) throw new Error('a new contact was created concurrently; retrying item by item');
  const freshIds = plan.fresh.map((f) => {
    const row = created.find((c) => (f.userId && c.userId === f.userId) || (f.waId && c.waId === f.waId));
    if (!row) throw new Error('a new contact did not come back from its insert');
    return row.id;
  });
  for (const [id, who] of plan.renames) await updateContactProfile(tx, id, who);
  const contactIds = places.map((p) => ('known' in p ? p.known : freshIds[p.fresh]!));

  // Open conversations of these customers; the missing ones are opened in arrival order, as one by one would.
  const open = new Map<string, Conversation>();
  for (const c of await listOpenConversationsOfContacts(tx, [...new Set(contactIds)])) open.set(`${c.phoneNumberId}:${c.contactId}`, c);
  const keyOf = (i: number) => `${run[i]!.number.phoneNumberId}:${contactIds[i]}`;
  const missing = new Map<string, NewInbound>();
  for (const [i, item] of run.entries()) {
    const key = keyOf(i);
    if (open.has(key) || missing.has(key)) continue;
    const channelId = channelForNumber(deps.config, item.number.phoneNumberId) as string;
    missing.set(key, { number: item.number, contactId: contactIds[i]!, channelId, at: item.message.timestamp });
  }
  const opened = await rules.openConversations(tx, [...missing.values()]);
  for (const [index, key] of [...missing.keys()].entries()) open.set(key, opened[index]!);
  const stateBefore = new Map<number, string>();
  const conversationOf: Conversation[] = [];
  for (const i of run.keys()) {
    const conversation = open.get(keyOf(i))!;
    if (!stateBefore.has(conversation.id)) stateBefore.set(conversation.id, conversation.state);
    conversationOf.push(conversation);
  }

  const inserted = await insertInboundMessages(
    tx,
    run.map((item, i) => ({
      conversationId: conversationOf[i]!.id,
      kind: item.message.type,
      waMessageId: item.message.waMessageId,
      waTimestamp: item.message.timestamp,
      body: rules.bodyOf(item),
      payload: item.message.raw,
      content: item.message.content as unknown as Record<string, unknown>,
      contextWaMessageId: item.message.contextWaMessageId ?? null,
    })),
  );
  const idByWamid = new Map(inserted.map((r) => [r.waMessageId, r.id]));
  const ops: NewSlackOp[] = [];
  const touches = new Map<number, { id: number; firstAt: Date; lastAt: Date; count: number }>();
  for (const [i, item] of run.entries()) {
    const id = idByWamid.get(item.message.waMessageId);
    // Only the first of several copies of one wamid was stored; the rest are Meta's redeliveries.
    if (id === undefined) {
      result.duplicates += 1;
      continue;
    }
    idByWamid.delete(item.message.waMessageId);
    const conversation = conversationOf[i]!;
    ops.push({ conversationId: conversation.id, kind: 'post_message', messageId: id });
    const at = item.message.timestamp;
    const touch = touches.get(conversation.id);
    if (!touch) touches.set(conversation.id, { id: conversation.id, firstAt: at, lastAt: at, count: 1 });
    else {
      if (at > touch.lastAt) touch.lastAt = at;
      touch.count += 1;
    }
    result.stored += 1;
  }
  await enqueueSlackOps(tx, ops);
  const after = await recordInboundMany(tx, [...touches.values()]);
  const now = deps.clock.now();
  await enqueueCardUpdates(
    tx,
    after.map((row) => ({
      conversationId: row.id,
      notBefore: row.state === stateBefore.get(row.id) ? new Date(now.getTime() + rules.windowOnlyCardDelayMs) : undefined,
    })),
  );
  result.conversationIds = [...touches.keys()];
  return { result, firstDeferred };
}

export async function keepInBulk(tx: Tx, rules: BulkRules, items: KeptItem[]): Promise<number> {
  await insertWebhookEvents(tx, items.map(rules.keptEventOf));
  return items.length;
}
