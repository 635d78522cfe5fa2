/**
 * Meta webhook payloads as Meta sends them: builders for the `messages` field (messages, statuses, errors),
 * Meta's escaped serialisation, the X-Hub-Signature-256 signature, and a poster. Used by the Graph emulator,
 * tests and the sandbox. Shapes: reference/whatsapp.md §2; signing: §1.2.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const DEFAULT_BUSINESS_NUMBER = {
  phoneNumberId: '100000000000001',
  displayPhoneNumber: '15550001111',
  wabaId: '200000000000002',
} as const;

export type WebhookPayload = {
  object: 'whatsapp_business_account';
  entry: { id: string; changes: { field: string; value: Record<string, unknown> }[] }[];
};

export interface WebhookContact {
  waId?: string | undefined;
  /** Business-scoped user id (BSUID, 2026): present in every messages webhook (reference/whatsapp.md §6). */
  userId?: string | undefined;
  username?: string | undefined;
  name?: string | undefined;
}

export interface BusinessNumberRef {
  phoneNumberId: string;
  displayPhoneNumber: string;
  wabaId?: string | undefined;
  /** What GET /<PHONE_NUMBER_ID> answers (default GREEN, TIER_1K). */
  qualityRating?: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN' | undefined;
  messagingLimitTier?: string | undefined;
}

export interface GraphErrorObject {
  code: number;
  title: string;
  message?: string;
  details?: string;
}

type Json = Record<string, unknown>;

/** A fresh wamid in Meta's style ("wamid." + base64); unique per call. */
export function newWamid(): string {
  return `wamid.HBgL${randomBytes(25).toString('base64')}`;
}

/** Unix seconds as a string: every id and timestamp in a payload is a string (reference/whatsapp.md §2.1). */
export function unixSeconds(at: Date = new Date()): string {
  return String(Math.floor(at.getTime() / 1000));
}

function withoutUndefined(obj: Json): Json {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function contactObject(contact: WebhookContact): Json {
  const profile = withoutUndefined({ name: contact.name, username: contact.username });
  return withoutUndefined({
    profile: Object.keys(profile).length > 0 ? profile : undefined,
    wa_id: contact.waId,
    user_id: contact.userId,
  });
}

function envelope(number: BusinessNumberRef, value: Json): WebhookPayload {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: number.wabaId ?? DEFAULT_BUSINESS_NUMBER.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export function buildMessageWebhook(args: BusinessNumberRef & { contact: WebhookContact; messages: object[] }): WebhookPayload {
  return envelope(args, { contacts: [contactObject(args.contact)], messages: args.messages });
}

/** `contacts` beside statuses arrived in 2026 and is left out for `failed` (reference/whatsapp.md §2.5). */
export function buildStatusWebhook(args: BusinessNumberRef & { statuses: object[]; contacts?: WebhookContact[] }): WebhookPayload {
  const contacts = args.contacts?.length ? { contacts: args.contacts.map(contactObject) } : {};
  return envelope(args, { ...contacts, statuses: args.statuses });
}

/** value.errors[]: system-, app- or account-level problems (reference/whatsapp.md §2.6). */
export function buildErrorsWebhook(args: BusinessNumberRef & { errors: GraphErrorObject[] }): WebhookPayload {
  return envelope(args, { errors: args.errors.map(errorObject) });
}

/**
 * Several updates in one POST, as Meta batches them (up to 1,000, reference/whatsapp.md §1.3). `entries` keeps
 * each payload's entries side by side; `changes` puts every change under the first payload's entry.
 */
export function buildBatchWebhook(payloads: WebhookPayload[], mode: 'entries' | 'changes' = 'entries'): WebhookPayload {
  const entries = payloads.flatMap((p) => p.entry);
  if (mode === 'entries' || entries.length === 0) return { object: 'whatsapp_business_account', entry: entries };
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: entries[0]?.id ?? DEFAULT_BUSINESS_NUMBER.wabaId, changes: entries.flatMap((e) => e.changes) }],
  };
}

export function errorObject(error: GraphErrorObject): Json {
  return withoutUndefined({
    code: error.code,
    title: error.title,
    message: error.message ?? error.title,
    error_data: { details: error.details ?? error.title },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  });
}

/** Fields every inbound message carries. `from` may be absent for username users (reference/whatsapp.md §2.3, §6). */
export interface MessageBase {
  id?: string | undefined;
  from?: string | undefined;
  fromUserId?: string | undefined;
  timestamp?: Date | string | undefined;
  /** The message this one quotes (`context.id`); `contextFrom` defaults to the business display number. */
  contextId?: string | undefined;
  contextFrom?: string | undefined;
}

function messageObject(type: string, base: MessageBase, body: Json | undefined): Json {
  const timestamp = base.timestamp instanceof Date ? unixSeconds(base.timestamp) : (base.timestamp ?? unixSeconds());
  const context = base.contextId
    ? { context: { from: base.contextFrom ?? DEFAULT_BUSINESS_NUMBER.displayPhoneNumber, id: base.contextId } }
    : {};
  return withoutUndefined({
    from: base.from,
    from_user_id: base.fromUserId,
    id: base.id ?? newWamid(),
    timestamp,
    ...context,
    type,
    ...(body === undefined ? {} : { [type]: body }),
  });
}

export function textMessage(args: MessageBase & { body: string }): Json {
  return messageObject('text', args, { body: args.body });
}

export type WebhookMediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export function mediaMessage(
  type: WebhookMediaType,
  args: MessageBase & {
    mediaId: string;
    mimeType: string;
    /** base64, as in Meta's examples (reference/whatsapp.md §2.4). */
    sha256?: string;
    caption?: string;
    filename?: string;
    voice?: boolean;
    animated?: boolean;
    url?: string;
  },
): Json {
  return messageObject(
    type,
    args,
    withoutUndefined({
      caption: args.caption,
      filename: args.filename,
      mime_type: args.mimeType,
      sha256: args.sha256 ?? randomBytes(32).toString('base64'),
      id: args.mediaId,
      url: args.url,
      voice: args.voice,
      animated: args.animated,
    }),
  );
}

/** Latitude and longitude are JSON numbers (reference/whatsapp.md §2.1). */
export function locationMessage(
  args: MessageBase & { latitude: number; longitude: number; name?: string; address?: string; url?: string },
): Json {
  return messageObject(
    'location',
    args,
    withoutUndefined({ latitude: args.latitude, longitude: args.longitude, name: args.name, address: args.address, url: args.url }),
  );
}

/** No `emoji` means the customer removed their reaction (reference/whatsapp.md §2.4). */
export function reactionMessage(args: MessageBase & { messageId: string; emoji?: string }): Json {
  return messageObject('reaction', args, withoutUndefined({ message_id: args.messageId, emoji: args.emoji }));
}

/**
 * The customer edited their message `originalId` (coexistence numbers; within 15 minutes): `edit.message` is the new
 * version, a text or a media object with its new caption. Shape: Meta's edit webhook reference and pywa's
 * edited_message.json fixture (see src/whatsapp/webhook-schema.ts).
 */
export function editMessage(
  args: MessageBase & { originalId: string } & (
      | { body: string }
      | { mediaType: WebhookMediaType; mediaId: string; mimeType: string; caption: string }
    ),
): Json {
  const message =
    'body' in args
      ? { type: 'text', text: { body: args.body } }
      : {
          type: args.mediaType,
          [args.mediaType]: { caption: args.caption, mime_type: args.mimeType, sha256: randomBytes(32).toString('base64'), id: args.mediaId },
        };
  return messageObject('edit', args, { original_message_id: args.originalId, message });
}

/** The customer deleted their message `originalId` for everyone (coexistence numbers; within two days). */
export function revokeMessage(args: MessageBase & { originalId: string }): Json {
  return messageObject('revoke', args, { original_message_id: args.originalId });
}

export function interactiveReply(
  args: MessageBase & { replyType: 'button_reply' | 'list_reply'; replyId: string; title: string; description?: string },
): Json {
  const reply = withoutUndefined({ id: args.replyId, title: args.title, description: args.description });
  return messageObject('interactive', args, { type: args.replyType, [args.replyType]: reply });
}

/** A template's quick-reply button. */
export function buttonMessage(args: MessageBase & { text: string; payload?: string }): Json {
  return messageObject('button', args, withoutUndefined({ payload: args.payload, text: args.text }));
}

export function contactsMessage(
  args: MessageBase & { contacts: { name: string; phones?: { phone: string; waId?: string; type?: string }[] }[] },
): Json {
  const msg = messageObject('contacts', args, undefined);
  msg['contacts'] = args.contacts.map((c) => ({
    name: { formatted_name: c.name, first_name: c.name.split(' ')[0] },
    phones: (c.phones ?? []).map((p) => withoutUndefined({ phone: p.phone, wa_id: p.waId, type: p.type ?? 'CELL' })),
  }));
  return msg;
}

/** Types the API cannot show (polls, edits, …) arrive as `unsupported` with errors[131051] (reference/whatsapp.md §2.4). */
export function unsupportedMessage(args: MessageBase & { unsupportedType?: string; code?: 131051 | 131060 }): Json {
  const msg = messageObject('unsupported', args, withoutUndefined({ type: args.unsupportedType }));
  const errorCode = args.code ?? 131051;
  const title = errorCode === 131051 ? 'Message type unknown' : 'This message is currently unavailable';
  msg['errors'] = [errorObject({ code: errorCode, title })];
  return msg;
}

export function systemMessage(
  args: MessageBase & { systemType: string; body: string; newWaId?: string; newUserId?: string },
): Json {
  return messageObject(
    'system',
    args,
    withoutUndefined({ body: args.body, wa_id: args.newWaId, user_id: args.newUserId, type: args.systemType }),
  );
}

export type StatusName = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

/**
 * One statuses[] object. v24+ omits `conversation`; pricing (PMP) rides on `sent` (reference/whatsapp.md §2.5).
 * `recipient_user_id` is left out of `failed` when the send went to a phone number (reference/whatsapp.md §2.5).
 */
export function statusObject(args: {
  wamid: string;
  status: StatusName;
  recipientWaId?: string | undefined;
  recipientUserId?: string | undefined;
  timestamp?: Date | undefined;
  callbackData?: string | undefined;
  errors?: GraphErrorObject[] | undefined;
  pricing?: boolean | undefined;
}): Json {
  const failedToPhone = args.status === 'failed' && args.recipientWaId !== undefined;
  return withoutUndefined({
    id: args.wamid,
    status: args.status,
    timestamp: unixSeconds(args.timestamp),
    recipient_id: args.recipientWaId,
    recipient_user_id: failedToPhone ? undefined : args.recipientUserId,
    biz_opaque_callback_data: args.callbackData,
    pricing: args.pricing
      ? { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' }
      : undefined,
    errors: args.errors?.map(errorObject),
  });
}

/**
 * JSON as Meta puts it on the wire: non-ASCII as lowercase `\u00e9`-style escapes and `/` as `\/`. Meta signs this escaped
 * form, so a receiver that re-serialises breaks the signature (reference/whatsapp.md §1.2). `alsoEscape` lists
 * extra ASCII characters to escape, for the old note's `@`, `%`, `<` escapes (unconfirmed today).
 */
export function serializeLikeMeta(obj: unknown, options: { alsoEscape?: string } = {}): string {
  const extra = new Set(options.alsoEscape ?? '');
  const json = JSON.stringify(obj);
  let out = '';
  // Per UTF-16 unit, so an emoji becomes its escaped surrogate pair, as Meta writes it.
  for (let i = 0; i < json.length; i += 1) {
    const ch = json.charAt(i);
    const unit = json.charCodeAt(i);
    if (unit > 0x7e || extra.has(ch)) out += `\\u${unit.toString(16).padStart(4, '0')}`;
    else if (ch === '/') out += '\\/';
    else out += ch;
  }
  return out;
}

export function signMetaBody(rawBody: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export interface PostedWebhook {
  status: number;
  body: string;
  rawBody: string;
}

/**
 * POSTs a payload signed with the app secret. An object is serialised like Meta; a string or Buffer goes as is.
 * `signature: null` omits the header and a string replaces it, for the 401 paths.
 */
export async function postWebhook(
  url: string,
  payloadOrRaw: object | string | Buffer,
  appSecret: string,
  options: { signature?: string | null; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<PostedWebhook> {
  const raw = typeof payloadOrRaw === 'string' || Buffer.isBuffer(payloadOrRaw) ? payloadOrRaw : serializeLikeMeta(payloadOrRaw);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = options.signature === undefined ? signMetaBody(raw, appSecret) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: raw,
    signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
  });
  return { status: res.status, body: await res.text(), rawBody: raw.toString() };
}
