import type { Tx } from '../../db/client';
import { insertAuditEvents } from '../../db/queries/audit';
import { listSettingsOfChannels } from '../../db/queries/channel-settings';
import { insertConversations, listLatestClosedConversations } from '../../db/queries/conversations';
import { enqueueSlackOps } from '../../db/queries/slack-outbox';
import type { Conversation } from '../../db/schema';
import type { Deps } from '../deps';
import type { NumberRef } from '../whatsapp/webhook-types';
import { routeNewConversation } from './routing';

type OpenDeps = Pick<Deps, 'db' | 'config' | 'logger' | 'clock'>;

/** A customer of a set-based run with no open conversation: what opening one needs. */
export interface NewInbound {
  number: NumberRef;
  contactId: number;
  channelId: string;
  at: Date;
}

export function openedAudit(created: Conversation, previous: Conversation | undefined, at: Date) {
  return {
    conversationId: created.id,
    type: previous ? ('reopened' as const) : ('opened' as const),
    actorId: 'customer',
    detail: previous ? { previousConversationId: previous.id } : {},
    at,
  };
}

/**
 * findOrOpenConversation for the customers of a set-based run that have no open conversation (ingest-bulk.ts), with
 * the same rows in the same order per conversation, a statement for all of them where one by one took ~9 each
 * (issue 7: a burst's first batch opened 200 conversations in 2.4 s on Postgres). Routing still goes one by one
 * in channels that route automatically: each pick changes the next one's load.
 */
export async function openConversations(deps: OpenDeps, tx: Tx, wanted: NewInbound[]): Promise<Conversation[]> {
  const keyOf = (phoneNumberId: string, contactId: number) => `${phoneNumberId}:${contactId}`;
  const previous = await listLatestClosedConversations(
    tx,
    wanted.map((w) => ({ phoneNumberId: w.number.phoneNumberId, contactId: w.contactId })),
  );
  const created = await insertConversations(
    tx,
    wanted.map((w) => {
      const before = previous.get(keyOf(w.number.phoneNumberId, w.contactId));
      return {
        phoneNumberId: w.number.phoneNumberId,
        displayPhoneNumber: w.number.displayPhoneNumber,
        contactId: w.contactId,
        // A returning customer lands where their earlier conversation lives (it may have moved to another channel).
        channelId: before?.channelId ?? w.channelId,
        previousConversationId: before?.id,
        openedAt: w.at,
      };
    }),
  );
  // Only the inbox processor opens conversations, one run at a time (a lease): a conflict means that guarantee broke,
  // and the item-by-item path, which finds the winner, takes the batch.
  if (created.length !== wanted.length) throw new Error('a conversation was opened concurrently; retrying item by item');
  const byKey = new Map(created.map((c) => [keyOf(c.phoneNumberId, c.contactId), c]));
  const opened = wanted.map((w) => byKey.get(keyOf(w.number.phoneNumberId, w.contactId))!);
  await enqueueSlackOps(tx, opened.map((c) => ({ conversationId: c.id, kind: 'post_card' as const })));
  const now = deps.clock.now();
  await insertAuditEvents(tx, opened.map((c) => openedAudit(c, previous.get(keyOf(c.phoneNumberId, c.contactId)), now)));
  const automatic = new Set(
    (await listSettingsOfChannels(tx, [...new Set(opened.map((c) => c.channelId))])).filter((s) => s.routingMode !== 'manual').map((s) => s.channelId),
  );
  for (const c of opened) {
    if (automatic.has(c.channelId)) await routeNewConversation(deps, tx, c, previous.get(keyOf(c.phoneNumberId, c.contactId)));
  }
  return opened;
}
