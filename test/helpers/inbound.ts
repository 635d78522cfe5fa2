import { countPendingInbox } from '../../db/queries/webhook-inbox';
import { eq } from 'drizzle-orm';
import { messageStatuses, messages, webhookEvents, webhookInbox } from '../../db/schema';
import type { StoredMessage } from '../../src/emulators/slack-types';
import { type Harness, INBOX } from './harness';
import { waitFor } from './wait';

/** What the inbound end-to-end tests read back: Slack as the emulator holds it, Postgres as the app wrote it. */

/** The header card whose fallback text names this customer (cards are posted in the order customers appear). */
export function findCard(h: Harness, customer: string): StoredMessage | undefined {
  return h.cards().find((card) => card.text.includes(customer));
}

export async function waitForCardOf(h: Harness, customer: string): Promise<StoredMessage> {
  return waitFor(`the card of ${customer}`, () => findCard(h, customer));
}

/** The replies under a card, oldest first. */
export function repliesUnder(h: Harness, cardTs: string): StoredMessage[] {
  return h.slack.thread(INBOX, cardTs).slice(1);
}

/** Every reply's fallback text joined: coalesced posts carry each message's body on its own line. */
export function threadText(h: Harness, cardTs: string): string {
  return repliesUnder(h, cardTs)
    .map((m) => m.text)
    .join('\n');
}

/** Waits until the thread under `cardTs` has a reply containing `text` and returns that reply. */
export async function waitForReply(h: Harness, cardTs: string, text: string): Promise<StoredMessage> {
  return waitFor(`a reply containing "${text}"`, () => repliesUnder(h, cardTs).find((m) => m.text.includes(text)));
}

/** How many times `needle` occurs in `haystack`. */
export function countOf(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

export async function findStoredMessage(h: Harness, waMessageId: string) {
  const [row] = await h.app.deps.db.select().from(messages).where(eq(messages.waMessageId, waMessageId));
  return row;
}

/** Row counts of the tables a webhook can write: compared before and after a request that must store nothing. */
export async function countStoredRows(h: Harness): Promise<{ inbox: number; messages: number; statuses: number; kept: number }> {
  const db = h.app.deps.db;
  return {
    inbox: (await db.select({ id: webhookInbox.id }).from(webhookInbox)).length,
    messages: (await db.select({ id: messages.id }).from(messages)).length,
    statuses: (await db.select({ id: messageStatuses.waMessageId }).from(messageStatuses)).length,
    kept: (await db.select({ id: webhookEvents.id }).from(webhookEvents)).length,
  };
}

/** Wait until every stored POST has been ingested (the inbox processor runs right after each 200). */
export async function waitForIngested(h: Harness): Promise<void> {
  await waitFor('the inbox to be ingested', async () => (await countPendingInbox(h.app.deps.db)) === 0);
}

/** The stored POST bodies (the webhook's durable write before its 200). */
export async function listInboxBodies(h: Harness): Promise<string[]> {
  return (await h.app.deps.db.select({ raw: webhookInbox.raw }).from(webhookInbox)).map((r) => r.raw.toString('utf8'));
}

export async function listKeptEvents(h: Harness) {
  return h.app.deps.db.select().from(webhookEvents).orderBy(webhookEvents.id);
}

export async function listStatusRows(h: Harness, waMessageId: string) {
  return h.app.deps.db.select().from(messageStatuses).where(eq(messageStatuses.waMessageId, waMessageId));
}
