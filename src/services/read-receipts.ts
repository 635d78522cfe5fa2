import { findConversationById } from '../../db/queries/conversations';
import { findLatestInboundWaId } from '../../db/queries/messages';
import type { Deps } from '../deps';

/**
 * Blue ticks when an agent takes the conversation or answers (READ_RECEIPTS, default on): Meta's mark-as-read on
 * the customer's latest message, which covers the earlier ones too (reference/whatsapp.md §3.1). In the
 * background, after the durable work: a failed receipt is logged, never in the way of the claim or the reply.
 */
export function markCustomerRead(deps: Deps, conversationId: number): void {
  if (!deps.config.whatsapp.readReceipts) return;
  deps.background.run('read receipt', async () => {
    const conversation = await findConversationById(deps.db, conversationId);
    const waMessageId = await findLatestInboundWaId(deps.db, conversationId);
    if (!conversation || !waMessageId) return;
    await deps.whatsapp.markRead({ phoneNumberId: conversation.phoneNumberId, waMessageId });
  });
}
