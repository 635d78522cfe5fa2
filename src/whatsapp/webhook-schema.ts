/**
 * zod schemas for the parts of a Meta `messages` webhook we read, each turning one item into our own types
 * (webhook-types.ts). Rule of thumb: a missing or malformed *required* field fails the item (it becomes an
 * `unknown` item, see webhook-parse.ts); a malformed *optional* field is dropped, since `raw` keeps it anyway.
 */
import { z } from 'zod';
import type { EditedContent, GraphErrorInfo, InboundContent, MediaType, OrderItem, SharedContact } from './webhook-types';

const optionalString = z.string().optional().catch(undefined);
const optionalBoolean = z.boolean().optional().catch(undefined);

/** Meta sends IDs and numbers as strings in some places and JSON numbers in others (reference/whatsapp.md §2.1, §2.4). */
const numberLike = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const optionalNumber = numberLike.optional().catch(undefined);

/** `timestamp` is a string of Unix seconds (reference/whatsapp.md §2.1). */
export const unixSecondsSchema = z
  .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
  .transform((seconds) => new Date(Number(seconds) * 1000));

/** Keeps the elements that parse and drops the rest, so one odd phone or error entry does not fail its item. */
function lenientArray<T>(schema: z.ZodType<T>) {
  return z
    .array(z.unknown())
    .optional()
    .catch(undefined)
    .transform((items): T[] =>
      (items ?? []).flatMap((item) => {
        const result = schema.safeParse(item);
        return result.success ? [result.data] : [];
      }),
    );
}

/** `{code, title, message, error_data.details}` in statuses, messages and value.errors (reference/whatsapp.md §4.1). */
export const graphErrorSchema = z
  .object({
    code: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
    title: optionalString,
    message: optionalString,
    error_data: z.object({ details: optionalString }).optional().catch(undefined),
  })
  .transform(
    (e): GraphErrorInfo => ({ code: e.code, title: e.title, message: e.message, details: e.error_data?.details }),
  );
export const graphErrorListSchema = lenientArray(graphErrorSchema);

export const metadataSchema = z.object({
  phone_number_id: z.string().min(1),
  display_phone_number: optionalString,
});

/** value.contacts[]: wa_id may be absent for username users since 2026 (reference/whatsapp.md §2.2). */
export const contactSchema = z.object({
  wa_id: optionalString,
  user_id: optionalString,
  profile: z.object({ name: optionalString, username: optionalString }).optional().catch(undefined),
});
export type WebhookContact = z.infer<typeof contactSchema>;
export const contactListSchema = lenientArray(contactSchema);

/** Fields every message carries, whatever its type (reference/whatsapp.md §2.3). */
export const messageEnvelopeSchema = z.object({
  id: z.string().min(1),
  timestamp: unixSecondsSchema,
  type: z.string().min(1),
  from: optionalString,
  from_user_id: optionalString,
  context: z
    .object({ id: optionalString, forwarded: optionalBoolean, frequently_forwarded: optionalBoolean })
    .optional()
    .catch(undefined),
  referral: z
    .object({ headline: optionalString, body: optionalString, source_url: optionalString })
    .optional()
    .catch(undefined),
  errors: graphErrorListSchema,
});

/** value.statuses[]: unknown status strings are kept (reference/whatsapp.md §2.5). */
export const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: unixSecondsSchema,
  recipient_id: optionalString,
  recipient_user_id: optionalString,
  biz_opaque_callback_data: optionalString,
  errors: graphErrorListSchema,
});

const textContentSchema = z
  .object({ body: z.string() })
  .transform((t): InboundContent => ({ kind: 'text', body: t.body }));

/** Image, video, audio, document and sticker share one shape; `url` rolls out from 2025-11 (reference/whatsapp.md §2.4). */
function mediaContentSchema(mediaType: MediaType) {
  return z
    .object({
      id: z.string().min(1),
      mime_type: optionalString,
      sha256: optionalString,
      caption: optionalString,
      filename: optionalString,
      url: optionalString,
      voice: optionalBoolean,
      animated: optionalBoolean,
    })
    .transform(
      (m): InboundContent => ({
        kind: 'media',
        mediaType,
        mediaId: m.id,
        mimeType: m.mime_type,
        sha256: m.sha256,
        caption: m.caption,
        filename: m.filename,
        url: m.url,
        voice: m.voice,
        animated: m.animated,
      }),
    );
}

/** Latitude and longitude are JSON numbers on the wire (reference/whatsapp.md §2.1); numeric strings are tolerated. */
const locationContentSchema = z
  .object({
    latitude: numberLike,
    longitude: numberLike,
    name: optionalString,
    address: optionalString,
    url: optionalString,
  })
  .transform(
    (l): InboundContent => ({
      kind: 'location',
      latitude: l.latitude,
      longitude: l.longitude,
      name: l.name,
      address: l.address,
      url: l.url,
    }),
  );

const sharedContactSchema = z
  .object({
    name: z
      .object({ formatted_name: optionalString, first_name: optionalString, last_name: optionalString })
      .optional()
      .catch(undefined),
    phones: lenientArray(z.object({ phone: optionalString, wa_id: optionalString, type: optionalString })),
    emails: lenientArray(z.object({ email: z.string() })),
    org: z.object({ company: optionalString }).optional().catch(undefined),
  })
  .transform(
    (c): SharedContact => ({
      name:
        c.name?.formatted_name ?? [c.name?.first_name, c.name?.last_name].filter((part) => part).join(' '),
      phones: c.phones.flatMap((p) => {
        const phone = p.phone ?? p.wa_id;
        return phone === undefined ? [] : [{ phone, waId: p.wa_id, type: p.type }];
      }),
      emails: c.emails.map((e) => e.email),
      org: c.org?.company,
    }),
  );
const contactsContentSchema = z
  .array(sharedContactSchema)
  .min(1)
  .transform((contacts): InboundContent => ({ kind: 'contacts', contacts }));

const interactiveReplySchema = z.object({
  id: optionalString,
  title: optionalString,
  description: optionalString,
  body: optionalString,
  name: optionalString,
  response: optionalString,
});

/**
 * `interactive.type` names the sub-object: button_reply/list_reply carry id+title, nfm_reply (Flows) carries
 * body/name, call_permission_reply carries response (reference/whatsapp.md §2.4).
 */
const interactiveContentSchema = z
  .looseObject({ type: z.string().min(1) })
  .transform((interactive, ctx): InboundContent => {
    const reply = interactiveReplySchema.safeParse(interactive[interactive.type]);
    if (!reply.success) {
      ctx.addIssue({ code: 'custom', message: `${interactive.type} is missing or not an object` });
      return z.NEVER;
    }
    const r = reply.data;
    return {
      kind: 'interactive_reply',
      replyType: interactive.type,
      id: r.id,
      title: r.title ?? r.body ?? r.name ?? r.response ?? interactive.type,
      description: r.description,
    };
  });

const buttonContentSchema = z
  .object({ text: z.string(), payload: optionalString })
  .transform((b): InboundContent => ({ kind: 'button', text: b.text, payload: b.payload }));

/** A missing or empty `emoji` means the customer removed the reaction (reference/whatsapp.md §2.4). */
const reactionContentSchema = z
  .object({ message_id: z.string().min(1), emoji: optionalString })
  .transform(
    (r): InboundContent => ({
      kind: 'reaction',
      targetWaMessageId: r.message_id,
      emoji: r.emoji === '' ? undefined : r.emoji,
    }),
  );

/** quantity/item_price are numbers in real payloads, strings in the old SDK types (reference/whatsapp.md §2.4). */
const orderItemSchema = z
  .object({
    product_retailer_id: z.string().min(1),
    quantity: optionalNumber,
    item_price: optionalNumber,
    currency: optionalString,
  })
  .transform(
    (i): OrderItem => ({
      productRetailerId: i.product_retailer_id,
      quantity: i.quantity,
      itemPrice: i.item_price,
      currency: i.currency,
    }),
  );
const orderContentSchema = z
  .object({ catalog_id: optionalString, text: optionalString, product_items: lenientArray(orderItemSchema) })
  .transform(
    (o): InboundContent => ({ kind: 'order', catalogId: o.catalog_id, text: o.text, items: o.product_items }),
  );

/**
 * For a number change `system.wa_id` is the NEW id (legacy: `new_wa_id`); a 2026 BSUID change carries the new
 * `user_id` (reference/whatsapp.md §2.4, §6). For customer_identity_changed, wa_id is not a new id.
 */
const IDENTIFIER_CHANGE_TYPES: ReadonlySet<string> = new Set([
  'user_changed_number',
  'customer_changed_number',
  'user_changed_user_id',
]);
const systemContentSchema = z
  .object({
    type: optionalString,
    body: optionalString,
    wa_id: optionalString,
    new_wa_id: optionalString,
    user_id: optionalString,
  })
  .transform((s): InboundContent => {
    const systemType = s.type ?? 'unknown';
    const isIdChange = IDENTIFIER_CHANGE_TYPES.has(systemType);
    return {
      kind: 'system',
      systemType,
      body: s.body,
      newWaId: isIdChange ? (s.wa_id ?? s.new_wa_id) : undefined,
      newUserId: isIdChange ? s.user_id : undefined,
    };
  });

/**
 * An edit (coexistence numbers only; reference/whatsapp.md §2.4 [WR-EDIT] — the fuller shape below is not in the
 * reference). Meta's edit reference (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/
 * reference/messages/edit, "Updated: Dec 3, 2025", re-read as "Jul 20, 2026") gives
 *   "type": "edit", "edit": { "original_message_id": "<wamid>",
 *                             "message": { "context": { "id": … }, "type": "image", "image": { "caption", "mime_type", "sha256", "id", "url" } } }
 * and pywa's fixture (david-lev/pywa tests/data/updates/edited_message.json) the text form
 *   "message": { "type": "text", "text": { "body": "Text was edited" } }.
 * So `edit.message` is a message body of its own, read with the same schemas; a body we cannot read still says which
 * message was edited. Meta's page of 2026-06-11 says edits are "temporarily" delivered as `unsupported` instead.
 */
const EDITABLE_TYPES: ReadonlySet<string> = new Set(['text', 'image', 'video', 'document', 'audio', 'sticker']);
const editContentSchema = z
  .object({
    original_message_id: z.string().min(1),
    message: z.looseObject({ type: z.string().min(1) }).optional().catch(undefined),
  })
  .transform((e): InboundContent => ({ kind: 'edit', targetWaMessageId: e.original_message_id, edited: readEdited(e.message) }));

function readEdited(message: ({ type: string } & Record<string, unknown>) | undefined): EditedContent {
  const type = message?.type ?? 'edit';
  if (!message || !EDITABLE_TYPES.has(type) || !isKnownMessageType(type)) return { kind: 'unknown', type };
  const parsed = selectContentSchema(type).safeParse(message[type]);
  return parsed.success && (parsed.data.kind === 'text' || parsed.data.kind === 'media') ? parsed.data : { kind: 'unknown', type };
}

/**
 * A deletion for everyone: `"type": "revoke", "revoke": { "original_message_id": "<wamid>" }` (Meta's revoke reference,
 * …/webhooks/reference/messages/revoke, "Updated: May 21, 2026"; pywa tests/data/updates/deleted_message.json).
 */
const revokeContentSchema = z
  .object({ original_message_id: z.string().min(1) })
  .transform((r): InboundContent => ({ kind: 'revoke', targetWaMessageId: r.original_message_id }));

const unsupportedContentSchema = z
  .object({ type: optionalString })
  .optional()
  .catch(undefined)
  .transform((u): InboundContent => ({ kind: 'unsupported', unsupportedType: u?.type }));

/** Legacy name for `unsupported` (reference/whatsapp.md §2.4); it has no body of its own. */
const legacyUnknownContentSchema = z
  .unknown()
  .transform((): InboundContent => ({ kind: 'unsupported', unsupportedType: undefined }));

export const knownMessageTypes = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'edit',
  'revoke',
  'unsupported',
  'unknown',
] as const;
export type KnownMessageType = (typeof knownMessageTypes)[number];

export function isKnownMessageType(type: string): type is KnownMessageType {
  return (knownMessageTypes as readonly string[]).includes(type);
}

/** The schema that reads `message[type]` for a known type. */
export function selectContentSchema(type: KnownMessageType): z.ZodType<InboundContent> {
  switch (type) {
    case 'text':
      return textContentSchema;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return mediaContentSchema(type);
    case 'location':
      return locationContentSchema;
    case 'contacts':
      return contactsContentSchema;
    case 'interactive':
      return interactiveContentSchema;
    case 'button':
      return buttonContentSchema;
    case 'reaction':
      return reactionContentSchema;
    case 'order':
      return orderContentSchema;
    case 'system':
      return systemContentSchema;
    case 'edit':
      return editContentSchema;
    case 'revoke':
      return revokeContentSchema;
    case 'unsupported':
      return unsupportedContentSchema;
    case 'unknown':
      return legacyUnknownContentSchema;
    default:
      return type satisfies never;
  }
}

export function describeZodError(error: z.ZodError, prefix: string): string {
  return error.issues
    .map((issue) => `${[prefix, ...issue.path.map(String)].filter((p) => p).join('.')}: ${issue.message}`)
    .join('; ');
}
