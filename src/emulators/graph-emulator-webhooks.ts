/**
 * The webhooks the Graph emulator posts: a customer's message and the statuses of the app's own sends, shaped
 * like the 2026 payloads (reference/whatsapp.md §2.3, §2.5).
 */
import type { EmulatedCustomer } from './graph-customers';
import type { CustomerSendArgs, EmulatedSend, ManualStatusArgs } from './graph-emulator-types';
import {
  type BusinessNumberRef,
  buildMessageWebhook,
  buildStatusWebhook,
  newWamid,
  statusObject,
  textMessage,
  unixSeconds,
  type WebhookPayload,
} from './whatsapp-webhooks';

export function buildCustomerMessageWebhook(
  number: BusinessNumberRef,
  customer: EmulatedCustomer,
  args: CustomerSendArgs,
  now: Date,
): { wamid: string; payload: WebhookPayload } {
  const userId = args.userId === null ? undefined : customer.userId;
  const base = {
    from: args.from === undefined ? undefined : customer.waId,
    fromUserId: userId,
    timestamp: now,
    contextId: args.contextId,
    contextFrom: number.displayPhoneNumber,
  };
  const message: Record<string, unknown> = args.message
    ? {
        ...(base.from === undefined ? {} : { from: base.from }),
        ...(userId === undefined ? {} : { from_user_id: userId }),
        id: newWamid(),
        timestamp: unixSeconds(now),
        ...(args.contextId ? { context: { from: number.displayPhoneNumber, id: args.contextId } } : {}),
        ...args.message,
      }
    : textMessage({ ...base, body: args.text ?? 'Hello' });
  const payload = buildMessageWebhook({
    ...number,
    contact: { waId: base.from, userId, username: args.username, name: args.name ?? 'WhatsApp User' },
    messages: [message],
  });
  return { wamid: String(message['id']), payload };
}

/**
 * `contacts` rides beside every status except `failed`; `recipient_id` is the phone the send went to and is
 * left out for BSUID-only sends (reference/whatsapp.md §2.5).
 */
export function buildSendStatusWebhook(
  number: BusinessNumberRef,
  send: EmulatedSend | undefined,
  args: ManualStatusArgs,
  now: Date,
): WebhookPayload {
  const failed = args.status === 'failed';
  return buildStatusWebhook({
    ...number,
    contacts: failed || !send ? undefined : [{ waId: send.waId, userId: send.userId }],
    statuses: [
      statusObject({
        wamid: args.wamid,
        status: args.status,
        recipientWaId: send?.waId,
        recipientUserId: send?.userId,
        timestamp: now,
        callbackData: args.callbackData ?? send?.callbackData,
        errors: args.errors,
        pricing: args.status === 'sent',
      }),
    ],
  });
}
