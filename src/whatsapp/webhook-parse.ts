/**
 * Turns a Meta webhook POST body into WebhookItems, leniently: it never throws, and every entry, change,
 * message, status and error is read — Meta batches up to 1000 updates per POST and popular libraries that
 * read only `[0]` lose data (reference/whatsapp.md §1.3). Each item is parsed on its own, so one malformed
 * item becomes an `unknown` item and never sinks the rest.
 */
import {
  contactListSchema,
  describeZodError,
  graphErrorSchema,
  isKnownMessageType,
  messageEnvelopeSchema,
  metadataSchema,
  selectContentSchema,
  statusSchema,
  type WebhookContact,
} from './webhook-schema';
import type { ContactRef, InboundContent, NumberRef, ParsedWebhook, WebhookItem } from './webhook-types';

/** `field` of an unknown item that could not be tied to a change (malformed envelope or entry). */
export const NO_FIELD = '';

const MESSAGES_FIELD = 'messages';

type Json = Record<string, unknown>;

export function parseWebhook(json: unknown): ParsedWebhook {
  if (!isRecord(json)) {
    return { object: undefined, items: [unknownItem(NO_FIELD, 'payload is not a JSON object', json)] };
  }
  const object = typeof json.object === 'string' ? json.object : undefined;
  if (!Array.isArray(json.entry)) {
    return { object, items: [unknownItem(NO_FIELD, 'payload has no entry array', json)] };
  }
  return { object, items: json.entry.flatMap(parseEntry) };
}

function parseEntry(entry: unknown): WebhookItem[] {
  if (!isRecord(entry) || !Array.isArray(entry.changes)) {
    return [unknownItem(NO_FIELD, 'entry has no changes array', entry)];
  }
  // entry[].id is the WABA id (reference/whatsapp.md §2.1).
  const wabaId = typeof entry.id === 'string' ? entry.id : undefined;
  return entry.changes.flatMap((change) => parseChange(change, wabaId));
}

function parseChange(change: unknown, wabaId: string | undefined): WebhookItem[] {
  if (!isRecord(change) || typeof change.field !== 'string') {
    return [unknownItem(NO_FIELD, 'change has no field', change)];
  }
  const { field } = change;
  if (field !== MESSAGES_FIELD) {
    return [unknownItem(field, 'unhandled field', change)];
  }
  if (!isRecord(change.value)) {
    return [unknownItem(field, 'change has no value object', change)];
  }
  return parseMessagesValue(change.value, field, wabaId, change);
}

function parseMessagesValue(value: Json, field: string, wabaId: string | undefined, change: Json): WebhookItem[] {
  const metadata = metadataSchema.safeParse(value.metadata);
  const number: NumberRef | undefined = metadata.success
    ? {
        phoneNumberId: metadata.data.phone_number_id,
        displayPhoneNumber: metadata.data.display_phone_number,
        wabaId,
      }
    : undefined;
  const contacts = contactListSchema.safeParse(value.contacts).data ?? [];

  const messages = readList(value, 'messages', field);
  const statuses = readList(value, 'statuses', field);
  const errors = readList(value, 'errors', field);
  const items: WebhookItem[] = [
    ...messages.invalid,
    ...messages.list.map((message) =>
      number ? parseMessage(message, number, contacts, field) : missingNumber(field, message),
    ),
    ...statuses.invalid,
    ...statuses.list.map((status) => (number ? parseStatus(status, number, field) : missingNumber(field, status))),
    ...errors.invalid,
    ...errors.list.map((error) => parseValueError(error, number, field)),
  ];
  // A `messages` change that carries none of the three is still kept, so nothing Meta sends goes unseen.
  return items.length > 0 ? items : [unknownItem(field, 'no messages, statuses or errors in value', change)];
}

function readList(value: Json, key: string, field: string): { list: unknown[]; invalid: WebhookItem[] } {
  const list = value[key];
  if (list === undefined) return { list: [], invalid: [] };
  if (Array.isArray(list)) return { list, invalid: [] };
  return { list: [], invalid: [unknownItem(field, `value.${key} is not an array`, list)] };
}

function missingNumber(field: string, raw: unknown): WebhookItem {
  return unknownItem(field, 'value.metadata.phone_number_id is missing', raw);
}

function parseMessage(raw: unknown, number: NumberRef, contacts: WebhookContact[], field: string): WebhookItem {
  if (!isRecord(raw)) return unknownItem(field, 'message is not an object', raw);
  const envelope = messageEnvelopeSchema.safeParse(raw);
  if (!envelope.success) return unknownItem(field, `message ${describeZodError(envelope.error, '')}`, raw);
  const m = envelope.data;
  // Since 2026 `from` may be absent, leaving only the BSUID `from_user_id` (reference/whatsapp.md §2.3, §6).
  if (m.from === undefined && m.from_user_id === undefined) {
    return unknownItem(field, 'message has neither from nor from_user_id', raw);
  }
  const parsed = parseContent(m.type, raw);
  // A known type whose body we cannot read still reached the customer's chat: show it as something that arrived
  // rather than keep it out of sight (nothing is dropped silently); the reason travels with it.
  const content: InboundContent = parsed.ok ? parsed.content : { kind: 'unknown', type: m.type };
  const errors = parsed.ok ? m.errors : [...m.errors, { code: 0, title: parsed.reason }];
  return {
    type: 'message',
    number,
    contact: resolveContact(contacts, m.from, m.from_user_id),
    message: {
      waMessageId: m.id,
      timestamp: m.timestamp,
      type: m.type,
      content,
      contextWaMessageId: m.context?.id,
      forwarded: m.context?.forwarded,
      frequentlyForwarded: m.context?.frequently_forwarded,
      referral: m.referral
        ? { headline: m.referral.headline, body: m.referral.body, sourceUrl: m.referral.source_url }
        : undefined,
      errors,
      raw,
    },
  };
}

type ContentResult = { ok: true; content: InboundContent } | { ok: false; reason: string };

function parseContent(type: string, message: Json): ContentResult {
  if (!isKnownMessageType(type)) return { ok: true, content: { kind: 'unknown', type } };
  const parsed = selectContentSchema(type).safeParse(message[type]);
  if (parsed.success) return { ok: true, content: parsed.data };
  return { ok: false, reason: `${type} message: ${describeZodError(parsed.error, type)}` };
}

/**
 * Pairs the sender with value.contacts[] by identity — `from` ↔ `wa_id`, `from_user_id` ↔ `user_id` — never
 * by array index, whose order Meta does not promise (reference/whatsapp.md §2.2). System messages carry no
 * contacts at all, so the ids on the message itself come first.
 */
function resolveContact(contacts: WebhookContact[], from: string | undefined, fromUserId: string | undefined): ContactRef {
  const contact =
    (fromUserId === undefined ? undefined : contacts.find((c) => c.user_id === fromUserId)) ??
    (from === undefined ? undefined : contacts.find((c) => c.wa_id === from));
  return {
    waId: from ?? contact?.wa_id,
    userId: fromUserId ?? contact?.user_id,
    username: contact?.profile?.username,
    profileName: contact?.profile?.name,
  };
}

function parseStatus(raw: unknown, number: NumberRef, field: string): WebhookItem {
  if (!isRecord(raw)) return unknownItem(field, 'status is not an object', raw);
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return unknownItem(field, `status ${describeZodError(parsed.error, '')}`, raw);
  const s = parsed.data;
  return {
    type: 'status',
    number,
    status: {
      waMessageId: s.id,
      status: s.status,
      timestamp: s.timestamp,
      recipientWaId: s.recipient_id,
      recipientUserId: s.recipient_user_id,
      callbackData: s.biz_opaque_callback_data,
      errors: s.errors,
      raw,
    },
  };
}

/** value.errors[]: system-, app- or account-level problems (reference/whatsapp.md §2.6). */
function parseValueError(raw: unknown, number: NumberRef | undefined, field: string): WebhookItem {
  const parsed = graphErrorSchema.safeParse(raw);
  if (!parsed.success) return unknownItem(field, `error ${describeZodError(parsed.error, '')}`, raw);
  return { type: 'error', number, field, error: parsed.data, raw };
}

function unknownItem(field: string, reason: string, raw: unknown): WebhookItem {
  return { type: 'unknown', field, reason, raw };
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
