/**
 * The narrow surface of Meta's Graph API the app uses (reference/whatsapp.md §3). The implementation
 * (graph-client.ts) throws GraphApiError for every failure, classified by Meta's error code — never by HTTP
 * status, which does not discriminate (reference/whatsapp.md §4.1).
 */

/** Who receives a message: the phone number (wa_id) when known, else the business-scoped user id (2026). */
export interface Recipient {
  waId?: string | undefined;
  userId?: string | undefined;
}

export type OutboundContent =
  | { type: 'text'; text: string; previewUrl?: boolean }
  | { type: 'image'; mediaId: string; caption?: string }
  | { type: 'video'; mediaId: string; caption?: string }
  | { type: 'audio'; mediaId: string }
  | { type: 'document'; mediaId: string; caption?: string; filename: string }
  | { type: 'reaction'; messageId: string; emoji: string }
  /** An approved template, filled (src/whatsapp/templates.ts buildTemplateSend): the only send outside the window. */
  | { type: 'template'; template: { name: string; language: { code: string }; components: Record<string, unknown>[] } };

export interface SendMessageArgs {
  phoneNumberId: string;
  to: Recipient;
  content: OutboundContent;
  /** Quote an earlier message (WhatsApp `context.message_id`). */
  replyTo?: string;
  /** Echoed back in status webhooks (≤ 512 bytes): lets a later status settle an uncertain send (DESIGN §4). */
  callbackData?: string;
}

export interface MediaInfo {
  url: string;
  mimeType: string;
  fileSize?: number;
  sha256?: string;
}

export interface WhatsAppGateway {
  sendMessage(args: SendMessageArgs): Promise<{ waMessageId: string }>;
  /** POST /<PHONE_NUMBER_ID>/media (multipart). */
  uploadMedia(args: { phoneNumberId: string; data: Buffer; mimeType: string; filename: string }): Promise<{ mediaId: string }>;
  /** GET /<MEDIA_ID>: the download URL expires after 5 minutes, so fetch it right before downloading. */
  getMedia(mediaId: string): Promise<MediaInfo>;
  /** GET the media URL with the access token. */
  downloadMedia(url: string, maxBytes: number): Promise<Buffer>;
  /**
   * One page of GET /<WABA_ID>/message_templates (Graph cursor paging: pass the previous page's `after`). The items
   * are returned as Meta sent them; the caller parses them leniently.
   */
  listTemplates(args: { wabaId: string; after?: string | undefined; limit?: number }): Promise<{ templates: unknown[]; after?: string | undefined }>;
  /** Mark a customer's message (and the earlier ones) read: POST /messages with status "read" (reference/whatsapp.md §3.1). */
  markRead(args: { phoneNumberId: string; waMessageId: string }): Promise<void>;
}

export type GraphErrorKind = 'throttled' | 'transient' | 'permanent' | 'uncertain' | 'too_large';

export class GraphApiError extends Error {
  constructor(
    readonly kind: GraphErrorKind,
    /** Meta's error code (131047, 130429, …), or a reserved code below zero for threadline's own failures (local-failures.ts). */
    readonly code: number,
    readonly title: string,
    readonly details: string | undefined,
    readonly httpStatus: number | undefined,
  ) {
    super(`Graph API error ${code}: ${title}${details ? ` (${details})` : ''}`);
    this.name = 'GraphApiError';
  }
}
