import type { Tx } from '../../db/client';
import { insertAuditEvent } from '../../db/queries/audit';
import { findContactById, updateContactIds, upsertContact } from '../../db/queries/contacts';
import {
  bumpCardVersion,
  findConversationById,
  findLatestClosedConversation,
  findOpenConversation,
  insertConversation,
  recordInbound,
} from '../../db/queries/conversations';
import { insertWebhookEvent } from '../../db/queries/inbox';
import { findMessageByWaId, insertInboundMessage } from '../../db/queries/messages';
import { enqueueCardUpdate, enqueueSlackOp } from '../../db/queries/slack-outbox';
import type { Conversation } from '../../db/schema';
import { channelForNumber } from '../config';
import type { Deps } from '../deps';
import type { InboundMessage, NumberRef, WebhookItem } from '../whatsapp/webhook-types';
import { type BulkRules, type KeptItem, type MessageItem, ingestMessagesInBulk, keepInBulk } from './ingest-bulk';
import { linkRacedNumberChange } from './number-change';
import { openConversations, openedAudit } from './open-conversations';
import { routeNewConversation } from './routing';
import { applyStatusUpdate } from './statuses';

/** A card change that only moves the window time waits a little, so a chatty customer costs one chat.update. */
const WINDOW_ONLY_CARD_DELAY_MS = 60_000;

export interface IngestResult {
  /** Conversations that got work: signal them once the transaction has committed. */
  conversationIds: Set<number>;
  stored: number;
  duplicates: number;
  kept: number;
  /** Items stored in place of what arrived ("could not be read") or kept raw only. */
  unreadable: number;
}

export function newIngestResult(): IngestResult {
  return { conversationIds: new Set(), stored: 0, duplicates: 0, kept: 0, unreadable: 0 };
}

export function mergeIngestResults(into: IngestResult, from: IngestResult): void {
  for (const id of from.conversationIds) into.conversationIds.add(id);
  into.stored += from.stored;
  into.duplicates += from.duplicates;
  into.kept += from.kept;
  into.unreadable += from.unreadable;
}

type IngestDeps = Pick<Deps, 'db' | 'config' | 'logger' | 'clock' | 'metrics'>;

/**
 * The items of one or more stored webhook POSTs, in order, inside the caller's transaction (which also marks their
 * inbox rows done, so each POST is ingested exactly once). Plain customer messages go set-based (ingest-bulk.ts),
 * many per statement; reactions, edits, deletions and system notices, which read what came before them, go one by one
 * between those runs (so an edit that follows its original in a batch finds it stored); statuses touch only our own replies, so they go one by one without breaking a run. Throws if any item
 * fails: the caller then retries the rows one by one with each item isolated (inbox-ingest.ts).
 */
export async function ingestItems(deps: IngestDeps, tx: Tx, items: readonly WebhookItem[], result: IngestResult): Promise<void> {
  const rules = bulkRules(deps);
  let run: MessageItem[] = [];
  let kept: KeptItem[] = [];
  const flush = async () => {
    while (run.length > 0) {
      const bulk = await ingestMessagesInBulk(deps, tx, rules, run);
      for (const id of bulk.result.conversationIds) result.conversationIds.add(id);
      result.stored += bulk.result.stored;
      result.duplicates += bulk.result.duplicates;
      deps.metrics.inboundMessages.inc(bulk.result.stored);
      const deferred = run[bulk.firstDeferred];
      if (deferred) await ingestItem(deps, tx, deferred, result);
      run = run.slice(bulk.firstDeferred + 1);
    }
    if (kept.length > 0) result.kept += await keepInBulk(tx, rules, kept);
    kept = [];
  };
  for (const item of items) {
    if (item.type === 'message' && !readsEarlierMessages(item.message)) run.push(item);
    else if (item.type === 'unknown' || item.type === 'error') {
      if (item.type === 'error') deps.logger.warn({ code: item.error.code, title: item.error.title }, 'WhatsApp reported an error in a webhook');
      kept.push(item);
    }
    else if (item.type === 'status') await ingestItem(deps, tx, item, result);
    else {
      await flush();
      await ingestItem(deps, tx, item, result);
    }
  }
  await flush();
}

/** The same rules, one item at a time: the per-item fallback, and the reference the set-based path must equal. */
export async function ingestItemsOneByOne(deps: IngestDeps, tx: Tx, items: readonly WebhookItem[], result: IngestResult): Promise<void> {
  for (const item of items) await ingestItem(deps, tx, item, result);
}

function bulkRules(deps: IngestDeps): BulkRules {
  return {
    openConversations: (tx, wanted) => openConversations(deps, tx, wanted),
    bodyOf: (item) => bodyOf(item.message),
    keptEventOf,
    windowOnlyCardDelayMs: WINDOW_ONLY_CARD_DELAY_MS,
  };
}

function keptEventOf(item: KeptItem): { field: string; reason: string; payload: unknown } {
  return item.type === 'error'
    ? { field: item.field, reason: `error ${item.error.code}`, payload: item.raw }
    : { field: item.field, reason: item.reason, payload: item.raw };
}

/** Longest wamid kept on a stand-in row: past it the id itself may be what could not be stored. */
const MAX_STANDIN_WAMID = 256;

/**
 * The last resort for an item that failed to store (it runs in a savepoint of its own): a message becomes a
 * stand-in in its conversation that says it could not be read — the team sees that the customer wrote — and every
 * item is kept in webhook_events with the reason. The raw POST stays in the inbox (`reference`).
 */
export async function keepUnreadable(
  deps: IngestDeps,
  tx: Tx,
  item: WebhookItem,
  failure: { reason: string; reference: string },
  result: IngestResult,
): Promise<void> {
  await insertWebhookEvent(tx, { field: 'field' in item ? item.field : 'messages', reason: `failed to store: ${failure.reason}`, payload: rawOf(item) });
  result.kept += 1;
  if (item.type !== 'message') return;
  const { message } = item;
  const waMessageId = message.waMessageId.length <= MAX_STANDIN_WAMID ? message.waMessageId : null;
  const standIn: InboundMessage = {
    ...message,
    type: message.type.slice(0, 64),
    content: { kind: 'unreadable', type: message.type.slice(0, 64), reason: failure.reason.slice(0, 300), reference: failure.reference },
    contextWaMessageId: undefined,
    raw: { unreadable: true, reference: failure.reference },
  };
  const before = result.stored;
  await ingestMessage(deps, tx, { ...item, message: standIn }, result, waMessageId);
  if (result.stored > before) result.unreadable += 1;
}

async function ingestItem(deps: IngestDeps, tx: Tx, item: WebhookItem, result: IngestResult): Promise<void> {
  switch (item.type) {
    case 'message':
      return ingestMessage(deps, tx, item, result);
    case 'status': {
      const touched = await applyStatusUpdate(deps, tx, item.status);
      if (touched === 'duplicate') result.duplicates += 1;
      else if (touched !== undefined) result.conversationIds.add(touched);
      return;
    }
    case 'error':
    case 'unknown':
      await insertWebhookEvent(tx, keptEventOf(item));
      result.kept += 1;
      return;
    default:
      item satisfies never;
  }
}

async function ingestMessage(
  deps: IngestDeps,
  tx: Tx,
  item: Extract<WebhookItem, { type: 'message' }>,
  result: IngestResult,
  /** A stand-in for an unreadable message may carry no wamid (it can be what failed). */
  waMessageId: string | null = item.message.waMessageId,
): Promise<void> {
  const { message, number } = item;
  const channelId = channelForNumber(deps.config, number.phoneNumberId);
  if (!channelId) throw new Error(`no Slack channel for number ${number.phoneNumberId}`);
  const contact = await upsertContact(tx, item.contact);
  const now = deps.clock.now();
  const target = targetOf(message);
  const conversation =
    (target === undefined ? undefined : await findTargetConversation(tx, number, contact.id, target)) ??
    (await findOrOpenConversation(deps, tx, number, contact.id, channelId, message.timestamp));

  const stored = await insertInboundMessage(tx, {
    conversationId: conversation.id,
    kind: message.type,
    waMessageId,
    waTimestamp: message.timestamp,
    body: bodyOf(message),
    payload: message.raw,
    content: message.content as unknown as Record<string, unknown>,
    contextWaMessageId: target ?? message.contextWaMessageId ?? null,
  });
  if (!stored) {
    result.duplicates += 1;
    return;
  }
  result.stored += 1;
  deps.metrics.inboundMessages.inc();
  result.conversationIds.add(conversation.id);

  if (message.content.kind === 'system') {
    await enqueueSlackOp(tx, { conversationId: conversation.id, kind: 'post_message', messageId: stored.id });
    // WhatsApp wrote this, not the customer: it neither opens the 24-hour window, which only a user's own message
    // or call does (reference/whatsapp.md §5), nor hands the turn back to the agent. A new id shows on the card.
    if (await applySystemChange(tx, contact.id, message)) {
      await bumpCardVersion(tx, conversation.id);
      await enqueueCardUpdate(tx, conversation.id);
    } else {
      await linkRacedNumberChange(tx, conversation, { waId: message.content.newWaId, userId: message.content.newUserId });
    }
    return;
  }

  if (target !== undefined) {
    // A reaction, an edit or a deletion shows on the message it is about, not as a post of its own. An edit is not a
    // new turn: it neither restarts the 24-hour window (Meta names messages and calls, reference/whatsapp.md §5) nor
    // puts the conversation back in the team's court; the edited post says what changed.
    await enqueueSlackOp(tx, { conversationId: conversation.id, kind: 'update_message', messageId: stored.id });
    return;
  }
  await enqueueSlackOp(tx, { conversationId: conversation.id, kind: 'post_message', messageId: stored.id });
  const updated = await recordInbound(tx, conversation.id, message.timestamp);
  const stateChanged = updated.state !== conversation.state;
  await enqueueCardUpdate(
    tx,
    conversation.id,
    stateChanged ? undefined : new Date(now.getTime() + WINDOW_ONLY_CARD_DELAY_MS),
  );
}

/** The earlier message a reaction, an edit or a deletion is about. */
function targetOf(message: InboundMessage): string | undefined {
  const c = message.content;
  return c.kind === 'reaction' || c.kind === 'edit' || c.kind === 'revoke' ? c.targetWaMessageId : undefined;
}

/** Items the set-based path cannot take: they read (or change how we show) what came before them. */
function readsEarlierMessages(message: InboundMessage): boolean {
  return targetOf(message) !== undefined || message.content.kind === 'system';
}

/**
 * A reaction, edit or deletion belongs with the open conversation or, when there is none, with the message it is
 * about: a 👍 on "resolved, bye!" or a typo fixed after it must not open a new thread for agents to triage.
 */
async function findTargetConversation(
  tx: Tx,
  number: NumberRef,
  contactId: number,
  targetWaMessageId: string,
): Promise<Conversation | undefined> {
  const open = await findOpenConversation(tx, number.phoneNumberId, contactId);
  if (open) return open;
  const target = await findMessageByWaId(tx, targetWaMessageId);
  const home = target ? await findConversationById(tx, target.conversationId) : undefined;
  return home?.contactId === contactId ? home : undefined;
}

async function findOrOpenConversation(
  deps: IngestDeps,
  tx: Tx,
  number: NumberRef,
  contactId: number,
  channelId: string,
  at: Date,
): Promise<Conversation> {
  const open = await findOpenConversation(tx, number.phoneNumberId, contactId);
  if (open) return open;
  const previous = await findLatestClosedConversation(tx, number.phoneNumberId, contactId);
  const created = await insertConversation(tx, {
    phoneNumberId: number.phoneNumberId,
    displayPhoneNumber: number.displayPhoneNumber,
    contactId,
    // A returning customer lands where their earlier conversation lives (it may have moved to another channel).
    channelId: previous?.channelId ?? channelId,
    previousConversationId: previous?.id,
    openedAt: at,
  });
  if (!created) {
    const winner = await findOpenConversation(tx, number.phoneNumberId, contactId);
    if (!winner) throw new Error('open conversation vanished after a conflicting insert');
    return winner;
  }
  await enqueueSlackOp(tx, { conversationId: created.id, kind: 'post_card' });
  await insertAuditEvent(tx, openedAudit(created, previous, deps.clock.now()));
  await routeNewConversation(deps, tx, created, previous);
  return created;
}

/** True when the customer's ids changed (a new number or BSUID), which the header card shows. */
async function applySystemChange(tx: Tx, contactId: number, message: InboundMessage): Promise<boolean> {
  if (message.content.kind !== 'system') return false;
  const { newWaId, newUserId } = message.content;
  if (!newWaId && !newUserId) return false;
  const contact = await findContactById(tx, contactId);
  if (!contact) return false;
  const unchanged = (newWaId ?? contact.waId) === contact.waId && (newUserId ?? contact.userId) === contact.userId;
  return !unchanged && updateContactIds(tx, contactId, { waId: newWaId, userId: newUserId });
}

function bodyOf(message: InboundMessage): string | null {
  const c = message.content;
  switch (c.kind) {
    case 'text':
      return c.body;
    case 'media':
      return c.caption ?? null;
    case 'location':
      return [c.name, c.address].filter(Boolean).join(', ') || null;
    case 'interactive_reply':
      return c.title;
    case 'button':
      return c.text;
    case 'reaction':
      return c.emoji ?? null;
    case 'edit':
      // The new version; the original row keeps what was first sent.
      return c.edited.kind === 'text' ? c.edited.body : c.edited.kind === 'media' ? (c.edited.caption ?? null) : null;
    case 'revoke':
      return null;
    case 'order':
      return c.text ?? null;
    case 'system':
      return c.body ?? null;
    case 'contacts':
      return c.contacts.map((x) => x.name).join(', ') || null;
    case 'unsupported':
    case 'unknown':
    case 'unreadable':
      return null;
    default:
      return c satisfies never;
  }
}

function rawOf(item: WebhookItem): unknown {
  switch (item.type) {
    case 'message':
      return item.message.raw;
    case 'status':
      return item.status.raw;
    case 'error':
    case 'unknown':
      return item.raw;
    default:
      return item satisfies never;
  }
}
