import { listAuditEvents } from '../../db/queries/audit';
import { findConversationByThread } from '../../db/queries/conversations';
import type { AuditEvent } from '../../db/schema';
import { waitUntilQuiet } from './quiescence';
import type { EmulatedSend } from '../../src/emulators/graph-emulator';
import type { EphemeralMessage, StoredMessage } from '../../src/emulators/slack-types';
import { type Harness, INBOX } from './harness';
import { waitFor } from './wait';

/**
 * Steps and lookups the end-to-end tests share: a customer opening a conversation, what the card offers, who was
 * told what, and what reached WhatsApp. Everything is read from the emulators' records or the app's database.
 */

export interface OpenConversation {
  waId: string;
  name: string;
  cardTs: string;
  conversationId: number;
}

/** The customer writes; resolves once the card is up and their message is in the thread. */
export async function openConversation(h: Harness, args: { waId: string; name: string; text?: string }): Promise<OpenConversation> {
  const cardsBefore = new Set(h.cards().map((c) => c.ts));
  const sent = await h.graph.customerSends({ from: args.waId, name: args.name, text: args.text ?? 'Hello, I need help' });
  if (sent.status !== 200) throw new Error(`webhook answered ${sent.status}`);
  const card = await waitFor(`a new card for ${args.name}`, () => h.cards().find((c) => !cardsBefore.has(c.ts) && c.text.includes(args.name)));
  await waitFor(`${args.name}'s message in the thread`, () => h.slack.thread(INBOX, card.ts).length >= 2);
  const conversation = await waitFor('the conversation row', () => findConversationByThread(h.app.deps.db, INBOX, card.ts));
  return { waId: args.waId, name: args.name, cardTs: card.ts, conversationId: conversation.id };
}

export function cardOf(h: Harness, c: OpenConversation): StoredMessage {
  const card = h.slack.message(INBOX, c.cardTs);
  if (!card) throw new Error(`no card ${c.cardTs}`);
  return card;
}

/** Every action_id offered by a message's blocks. */
export function actionIdsOf(message: StoredMessage | EphemeralMessage): string[] {
  const ids: string[] = [];
  for (const block of (message.blocks ?? []) as { elements?: { action_id?: string }[]; accessory?: { action_id?: string } }[]) {
    for (const element of block.elements ?? []) if (element.action_id) ids.push(element.action_id);
    if (block.accessory?.action_id) ids.push(block.accessory.action_id);
  }
  return ids;
}

/** Text and blocks of a message as one string, for "it says …" checks. */
export function renderedText(message: { text?: string; blocks?: unknown[] } | undefined): string {
  return message ? `${message.text ?? ''}\n${JSON.stringify(message.blocks ?? [])}` : '';
}

/** Waits until the card satisfies `check` (chat.update arrives asynchronously through the outbox). */
export function waitForCard(h: Harness, c: OpenConversation, what: string, check: (card: StoredMessage) => boolean): Promise<StoredMessage> {
  return waitFor(`card: ${what}`, () => {
    const card = cardOf(h, c);
    return check(card) ? card : undefined;
  });
}

export function ephemeralsTo(h: Harness, user: string, c?: OpenConversation): EphemeralMessage[] {
  return h.slack.ephemerals.filter((e) => e.user === user && (!c || e.thread_ts === c.cardTs));
}

export function waitForEphemeral(h: Harness, user: string, c: OpenConversation, contains: string): Promise<EphemeralMessage> {
  return waitFor(`an ephemeral to ${user} saying "${contains}"`, () =>
    ephemeralsTo(h, user, c).find((e) => renderedText(e).includes(contains)),
  );
}

export function auditOf(h: Harness, c: OpenConversation): Promise<AuditEvent[]> {
  return listAuditEvents(h.app.deps.db, c.conversationId);
}

export function waitForAudit(h: Harness, c: OpenConversation, type: AuditEvent['type']): Promise<AuditEvent> {
  return waitFor(`audit "${type}"`, async () => (await auditOf(h, c)).find((e) => e.type === type));
}

/** Messages WhatsApp accepted for this customer, in the order they were sent. */
export function sendsTo(h: Harness, c: OpenConversation): EmulatedSend[] {
  return h.graph.sent.filter((s) => s.waId === c.waId);
}

/** The thread's replies (the card excluded). */
export function threadOf(h: Harness, c: OpenConversation): StoredMessage[] {
  return h.slack.thread(INBOX, c.cardTs).slice(1);
}

/** An agent writes in the conversation's thread. */
export function agentReplies(
  h: Harness,
  c: OpenConversation,
  user: string,
  text: string,
  files?: { name: string; data: Buffer | string; mimetype?: string }[],
) {
  return h.slack.userPosts({ user, channel: INBOX, threadTs: c.cardTs, text, ...(files ? { files } : {}) });
}

/** Lets in-flight work finish, so "nothing was sent" is checked after the app had every chance to send it. */
export async function settle(h: Harness): Promise<void> {
  await waitUntilQuiet(h);
}
