/**
 * What a Meta webhook POST means to us, after lenient parsing (webhook-parse.ts). One item per message, status,
 * error and unknown change, in payload order, so a batch is handled item by item (reference/whatsapp.md §1.3).
 */

export interface GraphErrorInfo {
  code: number;
  title?: string | undefined;
  message?: string | undefined;
  details?: string | undefined;
}

/** The customer as a payload names them: wa_id and/or the 2026 business-scoped user id (BSUID). */
export interface ContactRef {
  waId?: string | undefined;
  userId?: string | undefined;
  username?: string | undefined;
  profileName?: string | undefined;
}

export type MediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export type InboundContent =
  | { kind: 'text'; body: string }
  | {
      kind: 'media';
      mediaType: MediaType;
      mediaId: string;
      mimeType?: string | undefined;
      sha256?: string | undefined;
      caption?: string | undefined;
      filename?: string | undefined;
      /** audio: a voice note (`voice: true`). */
      voice?: boolean | undefined;
      /** sticker: animated. */
      animated?: boolean | undefined;
      /** Since late 2025 webhooks may carry the download URL directly (reference/whatsapp.md §2.4). */
      url?: string | undefined;
    }
  | {
      kind: 'location';
      latitude: number;
      longitude: number;
      name?: string | undefined;
      address?: string | undefined;
      url?: string | undefined;
    }
  | { kind: 'contacts'; contacts: SharedContact[] }
  | {
      kind: 'interactive_reply';
      /** button_reply, list_reply, nfm_reply (Flows), call_permission_reply, … */
      replyType: string;
      id?: string | undefined;
      title: string;
      description?: string | undefined;
    }
  /** A quick-reply button of a template. */
  | { kind: 'button'; text: string; payload?: string | undefined }
  /** `emoji` absent (or empty in the payload) means the customer removed their reaction. */
  | { kind: 'reaction'; targetWaMessageId: string; emoji?: string | undefined }
  | { kind: 'order'; catalogId?: string | undefined; text?: string | undefined; items: OrderItem[] }
  | {
      kind: 'system';
      systemType: string;
      body?: string | undefined;
      newWaId?: string | undefined;
      newUserId?: string | undefined;
    }
  /**
   * The customer edited one of their messages (text, or a media caption) after sending it; `edited` is the new version.
   * Coexistence numbers only, within 15 minutes of the original (reference/whatsapp.md §2.4 [WR-EDIT]).
   */
  | { kind: 'edit'; targetWaMessageId: string; edited: EditedContent }
  /** The customer deleted one of their messages for everyone, within two days of sending it ([WR-REVOKE]). */
  | { kind: 'revoke'; targetWaMessageId: string }
  | { kind: 'unsupported'; unsupportedType?: string | undefined }
  /** A type we do not know: kept, shown as a notice, never dropped. */
  | { kind: 'unknown'; type: string }
  /**
   * Stored in place of a message that could not be stored as it came (ingest's last resort): the raw POST is kept in
   * the inbox, `reference` says where.
   */
  | { kind: 'unreadable'; type: string; reason: string; reference: string };

/** What an edit turns a message into: a text, or media whose caption changed; anything else is kept as unknown. */
export type EditedContent = Extract<InboundContent, { kind: 'text' | 'media' | 'unknown' }>;

export interface SharedContact {
  name: string;
  phones: { phone: string; waId?: string | undefined; type?: string | undefined }[];
  emails: string[];
  org?: string | undefined;
}

export interface OrderItem {
  productRetailerId: string;
  quantity?: number | undefined;
  itemPrice?: number | undefined;
  currency?: string | undefined;
}

export interface InboundMessage {
  waMessageId: string;
  timestamp: Date;
  /** `type` exactly as Meta sent it. */
  type: string;
  content: InboundContent;
  /** The message this one replies to (`context.id`), when it is a reply. */
  contextWaMessageId?: string | undefined;
  forwarded?: boolean | undefined;
  frequentlyForwarded?: boolean | undefined;
  /** Click-to-WhatsApp ad referral headline/body, when present. */
  referral?: { headline?: string | undefined; body?: string | undefined; sourceUrl?: string | undefined } | undefined;
  errors: GraphErrorInfo[];
  /** The message object as received, stored verbatim. */
  raw: Record<string, unknown>;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface StatusUpdate {
  waMessageId: string;
  /** Known statuses are typed; anything else is kept as the raw string. */
  status: DeliveryStatus | (string & {});
  timestamp: Date;
  recipientWaId?: string | undefined;
  recipientUserId?: string | undefined;
  /** biz_opaque_callback_data we sent. */
  callbackData?: string | undefined;
  errors: GraphErrorInfo[];
  raw: Record<string, unknown>;
}

export interface NumberRef {
  phoneNumberId: string;
  displayPhoneNumber?: string | undefined;
  wabaId?: string | undefined;
}

export type WebhookItem =
  | { type: 'message'; number: NumberRef; contact: ContactRef; message: InboundMessage }
  | { type: 'status'; number: NumberRef; status: StatusUpdate }
  /** value.errors[]: system-, app- or account-level problems (reference/whatsapp.md §2.6). */
  | { type: 'error'; number?: NumberRef | undefined; field: string; error: GraphErrorInfo; raw: unknown }
  /** An unknown `field`, or an item we could not make sense of: kept and acknowledged. */
  | { type: 'unknown'; field: string; reason: string; raw: unknown };

export interface ParsedWebhook {
  object: string | undefined;
  items: WebhookItem[];
}
