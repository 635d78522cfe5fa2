import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { GraphEmulator } from '../emulators/graph-emulator';
import { buttonMessage, editMessage, interactiveReply, locationMessage, mediaMessage, reactionMessage, revokeMessage } from '../emulators/whatsapp-webhooks';

/**
 * What a customer does on the playground's phone, as the Graph emulator's signed webhooks to threadline: the same
 * payloads Meta posts (reference/whatsapp.md §2.3, §2.4).
 */

const waId = z.string().trim().regex(/^\d{6,15}$/, 'a phone number in digits, country code first (e.g. 4915123456789)');

/** 8 MB of file is plenty to try it and keeps the JSON body (base64) small. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export const customerActionSchema = z.object({
  waId,
  name: z.string().trim().min(1).max(100),
  phoneNumberId: z.string().regex(/^\d+$/),
  message: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('text'), text: z.string().min(1).max(4096) }),
    z.object({
      kind: z.literal('media'),
      mediaType: z.enum(['image', 'document', 'video', 'audio']),
      filename: z.string().min(1).max(240),
      mimeType: z.string().min(3).max(120),
      dataBase64: z.string().min(1).max(Math.ceil((MAX_FILE_BYTES * 4) / 3) + 4),
      caption: z.string().max(1024).optional(),
    }),
    z.object({
      kind: z.literal('location'),
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: z.string().max(200).optional(),
      address: z.string().max(300).optional(),
    }),
    /** An empty emoji takes the customer's reaction back. */
    z.object({ kind: z.literal('reaction'), messageId: z.string().min(1), emoji: z.string().max(16) }),
    /** A tap on an interactive message's reply button… */
    z.object({ kind: z.literal('button_reply'), messageId: z.string().min(1), replyId: z.string().min(1), title: z.string().min(1).max(20) }),
    /** …or on a template's quick-reply button. */
    z.object({ kind: z.literal('quick_reply'), messageId: z.string().min(1).optional(), text: z.string().min(1).max(20) }),
    /** The customer edits a text they sent, or deletes one of their messages for everyone (coexistence numbers). */
    z.object({ kind: z.literal('edit'), messageId: z.string().min(1), text: z.string().min(1).max(4096) }),
    z.object({ kind: z.literal('revoke'), messageId: z.string().min(1) }),
  ]),
});

export type CustomerAction = z.infer<typeof customerActionSchema>;

function messageFor(graph: GraphEmulator, action: CustomerAction): { text?: string; message?: Record<string, unknown> } {
  const m = action.message;
  const base = { from: action.waId };
  switch (m.kind) {
    case 'text':
      return { text: m.text };
    case 'media': {
      const data = Buffer.from(m.dataBase64, 'base64');
      const mediaId = graph.addMedia({ data, mimeType: m.mimeType, filename: m.filename });
      const sha256 = createHash('sha256').update(data).digest('base64');
      return {
        message: mediaMessage(m.mediaType, {
          ...base,
          mediaId,
          mimeType: m.mimeType,
          sha256,
          ...(m.caption ? { caption: m.caption } : {}),
          ...(m.mediaType === 'document' ? { filename: m.filename } : {}),
        }),
      };
    }
    case 'location':
      return { message: locationMessage({ ...base, latitude: m.latitude, longitude: m.longitude, name: m.name, address: m.address }) };
    case 'reaction':
      return { message: reactionMessage({ ...base, messageId: m.messageId, ...(m.emoji ? { emoji: m.emoji } : {}) }) };
    case 'button_reply':
      return { message: interactiveReply({ ...base, contextId: m.messageId, replyType: 'button_reply', replyId: m.replyId, title: m.title }) };
    case 'quick_reply':
      return { message: buttonMessage({ ...base, contextId: m.messageId, text: m.text, payload: m.text }) };
    case 'edit':
      return { message: editMessage({ ...base, originalId: m.messageId, body: m.text }) };
    case 'revoke':
      return { message: revokeMessage({ ...base, originalId: m.messageId }) };
    default:
      return m satisfies never;
  }
}

export async function sendAsCustomer(graph: GraphEmulator, action: CustomerAction): Promise<{ wamid: string; status: number }> {
  const { text, message } = messageFor(graph, action);
  const result = await graph.customerSends({
    from: action.waId,
    name: action.name,
    phoneNumberId: action.phoneNumberId,
    ...(text !== undefined ? { text } : {}),
    ...(message ? { message } : {}),
  });
  return { wamid: result.wamid, status: result.status };
}
