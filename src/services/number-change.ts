import { formatPhone } from '../../blocks/primitives';
import type { Tx } from '../../db/client';
import { findContact } from '../../db/queries/contacts';
import { findOpenConversation } from '../../db/queries/conversations';
import type { Conversation } from '../../db/schema';
import { enqueueThreadNotice } from './thread-notice';

/**
 * A customer's first message from a new number can arrive before WhatsApp's `user_changed_number` notice: Meta
 * does not order webhooks (reference/whatsapp.md), and the message comes from the new wa_id, so it opened a thread
 * of its own under a new contact. When the notice then names that wa_id, the two conversations are linked instead
 * of merged (each keeps its owner, notes and history): the old thread says where the customer went on, the new one
 * links back. Returns whether it linked anything.
 */
export async function linkRacedNumberChange(
  tx: Tx,
  from: Conversation,
  newIds: { waId?: string | undefined; userId?: string | undefined },
): Promise<boolean> {
  if (!from.threadTs || (!newIds.waId && !newIds.userId)) return false;
  const other = await findContact(tx, newIds);
  if (!other || other.id === from.contactId) return false;
  const to = await findOpenConversation(tx, from.phoneNumberId, other.id);
  if (!to || to.id === from.id) return false;
  const where = newIds.waId ? `from ${formatPhone(newIds.waId)}` : 'from a new WhatsApp account';
  // Both are posted by the new conversation's worker, in order: into the old thread, then into its own.
  await enqueueThreadNotice(tx, to.id, {
    text: `↪ The customer changed their number and now writes ${where}. The conversation continues in another thread.`,
    channel: from.channelId,
    threadTs: from.threadTs,
    link: { label: 'Go to the new thread' },
  });
  await enqueueThreadNotice(tx, to.id, {
    text: '↩ This customer changed their number: they wrote before from their previous one.',
    link: { label: 'Earlier conversation', channel: from.channelId, threadTs: from.threadTs },
  });
  return true;
}
