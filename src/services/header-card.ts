import type { HeaderCardInput } from '../../blocks/types';
import { findContactById } from '../../db/queries/contacts';
import { findConversationById } from '../../db/queries/conversations';
import { findLastNote } from '../../db/queries/notes';
import type { Conversation } from '../../db/schema';
import type { Deps } from '../deps';
import { windowState } from './window';

/** Everything the header card shows, read fresh at render time so the card always tells the current truth. */
export async function loadHeaderCardInput(
  deps: Pick<Deps, 'db' | 'clock' | 'slack' | 'logger'>,
  conversation: Conversation,
): Promise<HeaderCardInput> {
  const now = deps.clock.now();
  const contact = await findContactById(deps.db, conversation.contactId);
  const window = windowState(conversation.lastInboundAt, now);
  const input: HeaderCardInput = {
    conversationId: conversation.id,
    cardVersion: conversation.cardVersion,
    customer: {
      name: contact?.profileName ?? undefined,
      phone: contact?.waId ?? undefined,
      username: contact?.username ?? undefined,
    },
    businessNumber: conversation.displayPhoneNumber ?? undefined,
    state: conversation.state,
    ownerId: conversation.ownerId ?? undefined,
    assignedReasonMrkdwn: conversation.assignedReason ?? undefined,
    window: window.open ? { open: true, closesAt: window.closesAt } : { open: false, closedAt: window.closesAt },
    openedAt: conversation.openedAt,
    closedAt: conversation.closedAt ?? undefined,
    closedBy: conversation.closedBy ?? undefined,
    now,
  };
  if (conversation.previousConversationId) {
    const previous = await findConversationById(deps.db, conversation.previousConversationId);
    if (previous) {
      const lastNote = await findLastNote(deps.db, previous.id);
      let permalink: string | undefined;
      if (previous.threadTs) {
        try {
          permalink = await deps.slack.getPermalink({ channel: previous.channelId, ts: previous.threadTs });
        } catch (err) {
          deps.logger.warn({ err, conversationId: conversation.id }, 'no permalink for the earlier conversation');
        }
      }
      input.previous = { permalink, closedAt: previous.closedAt ?? undefined, lastNote: lastNote?.body };
    }
  }
  return input;
}

/** The customer's name as posts show it (chat:write.customize username, slack.md §6.1). */
export function customerDisplayName(contact: { profileName: string | null; waId: string | null; username: string | null } | undefined): string {
  if (contact?.profileName) return contact.profileName;
  if (contact?.username) return `@${contact.username}`;
  if (contact?.waId) return `+${contact.waId}`;
  return 'WhatsApp customer';
}
