import type { KnownBlock } from '@slack/types';

/** A message for chat.postMessage / chat.update / chat.postEphemeral: `text` is the fallback (slack.md §5). */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Kept identical to db/schema/enums.ts; blocks may not import db (STYLE: three rings). */
export type ConversationState = 'unassigned' | 'waiting_on_agent' | 'waiting_on_customer' | 'closed';

export interface CustomerView {
  name?: string | undefined;
  /** Digits only, e.g. 15550002222. Since 2026 a customer may have none (whatsapp.md §6). */
  phone?: string | undefined;
  username?: string | undefined;
}

export interface HeaderCardInput {
  conversationId: number;
  cardVersion: number;
  customer: CustomerView;
  /** The business line the customer wrote to, as Meta displays it (digits). */
  businessNumber?: string | undefined;
  state: ConversationState;
  ownerId?: string | undefined;
  /** Why the owner was picked, in words, e.g. "on shift, fewest open". */
  /** Written by threadline itself ("on shift, fewest open", "assigned by <@U1>"): mrkdwn, inserted as is. */
  assignedReasonMrkdwn?: string | undefined;
  window: { open: boolean; closesAt?: Date | undefined; closedAt?: Date | undefined };
  openedAt: Date;
  closedAt?: Date | undefined;
  closedBy?: string | undefined;
  previous?: { permalink?: string | undefined; closedAt?: Date | undefined; lastNote?: string | undefined } | undefined;
  now: Date;
}

export type InboundMediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

/**
 * One customer message, already normalized. Customer text arrives already converted to Slack mrkdwn (the service
 * runs whatsappToMrkdwn), so fields named `…Mrkdwn` are inserted as they are; every other string is plain text and
 * is escaped here.
 */
export type InboundView =
  | { kind: 'text'; textMrkdwn: string }
  | {
      kind: 'media';
      mediaType: InboundMediaType;
      voice?: boolean | undefined;
      captionMrkdwn?: string | undefined;
      filename?: string | undefined;
    }
  | {
      kind: 'media_too_large';
      mediaType: InboundMediaType;
      sizeBytes?: number | undefined;
      limitBytes: number;
      captionMrkdwn?: string | undefined;
    }
  | { kind: 'media_unavailable'; mediaType: InboundMediaType; reason: string; captionMrkdwn?: string | undefined }
  | {
      kind: 'location';
      latitude: number;
      longitude: number;
      name?: string | undefined;
      address?: string | undefined;
      url?: string | undefined;
    }
  | { kind: 'contacts'; contacts: SharedContactView[] }
  | { kind: 'interactive_reply'; title: string; description?: string | undefined }
  | { kind: 'button'; text: string }
  | { kind: 'order'; text?: string | undefined; items: OrderItemView[] }
  | { kind: 'system'; description: string }
  | { kind: 'unsupported'; unsupportedType?: string | undefined }
  | { kind: 'unknown'; type: string }
  /** Something arrived that could not be stored as it was (it is kept raw): what is known of it. */
  | { kind: 'unreadable'; type: string; reference: string };

export type InboundKind = InboundView['kind'];

export interface SharedContactView {
  name: string;
  phones: string[];
  emails: string[];
  org?: string | undefined;
}

export interface OrderItemView {
  productRetailerId: string;
  quantity?: number | undefined;
  itemPrice?: number | undefined;
  currency?: string | undefined;
}

export type QuotedView =
  | { snippetMrkdwn: string; permalink?: string | undefined; fromCustomer: boolean }
  | { missing: true };

export interface InboundMessageInput {
  content: InboundView;
  sentAt: Date;
  quoted?: QuotedView | undefined;
  forwarded?: 'forwarded' | 'frequently_forwarded' | undefined;
  /** The customer's current reaction(s) on this message; the post is re-rendered when they change. */
  reactions?: { emoji: string; at: Date }[] | undefined;
  /**
   * The customer edited this message on WhatsApp: `content` is the new version and this keeps the first one (mrkdwn,
   * empty for media that had no caption) for the team, who may already have answered it. `unreadable`: an edit came
   * whose new version could not be read, so `content` is still the first one.
   */
  edited?: { at: Date; originalMrkdwn: string; unreadable?: boolean | undefined } | undefined;
  /** The customer deleted this message for everyone on WhatsApp; the post stays for the team, marked. */
  deleted?: { at: Date } | undefined;
}

/** Where handed-off conversations go: a person, the unassigned pool, or another channel (sales → support). */
export type HandoffTarget = { kind: 'user'; userId: string } | { kind: 'pool' } | { kind: 'channel'; channelId: string };
