/**
 * Checks a POST /<PHONE_NUMBER_ID>/messages body the way Meta does, so a malformed send fails in tests as it
 * would in production (reference/whatsapp.md §3.1, §3.2, §5).
 */
import { type GraphErrorSpec, graphErrors } from './graph-errors';

export const MESSAGE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'reaction',
  'template',
  'interactive',
  'location',
  'contacts',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Text body ≤ 4096 characters, captions ≤ 1024, callback data ≤ 512 bytes (reference/whatsapp.md §3.1, §5). */
const MAX_TEXT_CHARS = 4096;
const MAX_CAPTION_CHARS = 1024;
const MAX_CALLBACK_BYTES = 512;

type Json = Record<string, unknown>;

export interface ValidatedSend {
  kind: 'message';
  /** `to` as sent, when present; wins over `recipient` (reference/whatsapp.md §3.1). */
  to?: string | undefined;
  /** Digits of `to`: the wa_id Meta answers with. */
  waId?: string | undefined;
  /** BSUID recipient, used only when there is no `to`. */
  recipient?: string | undefined;
  type: MessageType;
  content: Json;
  contextMessageId?: string | undefined;
  callbackData?: string | undefined;
}

export interface ValidatedRead {
  kind: 'read';
  messageId: string;
  typingIndicator: boolean;
}

export type SendValidation = { ok: true; value: ValidatedSend | ValidatedRead } | { ok: false; error: GraphErrorSpec };

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
/** Meta counts characters; code points are the closest measure we have (unconfirmed for emoji sequences). */
const charCount = (s: string) => [...s].length;

const fail = (details: string): SendValidation => ({ ok: false, error: graphErrors.invalidParameter(details) });

export function validateSendBody(body: Json, ctx: { mediaExists(id: string): boolean }): SendValidation {
  if (body['messaging_product'] !== 'whatsapp') return fail('The parameter messaging_product is required and must be "whatsapp".');
  if (body['status'] === 'read') return validateRead(body);

  const to = body['to'];
  const recipient = body['recipient'];
  if (to !== undefined && !isNonEmptyString(to)) return fail('Param to must be a phone number string.');
  if (recipient !== undefined && !isNonEmptyString(recipient)) return fail('Param recipient must be a string.');
  if (to === undefined && recipient === undefined) return fail('The parameter to is required.');
  const waId = to === undefined ? undefined : to.replace(/\D/g, '');
  if (waId !== undefined && waId.length < 5) return fail(`Param to (${to}) is not a valid phone number.`);

  const recipientType = body['recipient_type'];
  if (recipientType !== undefined && recipientType !== 'individual' && recipientType !== 'group') {
    return fail('Param recipient_type must be one of {individual, group}.');
  }

  const rawType = body['type'] ?? 'text';
  if (typeof rawType !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(rawType)) {
    return fail(`Param type must be one of {${MESSAGE_TYPES.join(', ')}}.`);
  }
  const type = rawType as MessageType;
  const content = body[type];
  if (type === 'contacts' ? !Array.isArray(content) || content.length === 0 : !isObject(content)) {
    return fail(`The parameter ${type} is required.`);
  }

  const contentProblem = findContentProblem(type, content as Json, ctx);
  if (contentProblem) return fail(contentProblem);

  const context = body['context'];
  let contextMessageId: string | undefined;
  if (context !== undefined) {
    if (!isObject(context) || !isNonEmptyString(context['message_id'])) return fail("Param context['message_id'] is required.");
    if (type === 'reaction') return fail('Replies (context) are not supported for reaction messages.');
    contextMessageId = context['message_id'];
  }

  const callbackData = body['biz_opaque_callback_data'];
  if (callbackData !== undefined) {
    if (typeof callbackData !== 'string') return fail('Param biz_opaque_callback_data must be a string.');
    if (Buffer.byteLength(callbackData) > MAX_CALLBACK_BYTES) {
      return fail(`Param biz_opaque_callback_data must be at most ${MAX_CALLBACK_BYTES} bytes.`);
    }
  }

  return {
    ok: true,
    value: {
      kind: 'message',
      to,
      waId,
      recipient: to === undefined ? recipient : undefined,
      type,
      content: (type === 'contacts' ? { contacts: content } : content) as Json,
      contextMessageId,
      callbackData,
    },
  };
}

function validateRead(body: Json): SendValidation {
  if (!isNonEmptyString(body['message_id'])) return fail('The parameter message_id is required.');
  return { ok: true, value: { kind: 'read', messageId: body['message_id'], typingIndicator: isObject(body['typing_indicator']) } };
}

function findMediaProblem(type: MessageType, media: Json, ctx: { mediaExists(id: string): boolean }): string | undefined {
  const { id, link } = media;
  if ((id === undefined) === (link === undefined)) return `Param ${type} must have exactly one of id or link.`;
  if (id !== undefined && (!isNonEmptyString(id) || !ctx.mediaExists(id))) {
    return `Param ${type}['id'] is not a valid whatsapp business account media attachment ID.`;
  }
  if (link !== undefined && (typeof link !== 'string' || !/^https?:\/\//.test(link))) {
    return `Param ${type}['link'] must be an http(s) URL.`;
  }
  const caption = media['caption'];
  if (caption !== undefined) {
    if (type === 'audio' || type === 'sticker') return `Param ${type}['caption'] is not supported for ${type} messages.`;
    if (typeof caption !== 'string') return `Param ${type}['caption'] must be a string.`;
    if (charCount(caption) > MAX_CAPTION_CHARS) {
      return `Param ${type}['caption'] is too long. Max length is ${MAX_CAPTION_CHARS}.`;
    }
  }
  return undefined;
}

const HEADER_MEDIA_KINDS = ['image', 'video', 'document'] as const;

/**
 * A template's header media sent by id must be one this number uploaded, as for a plain media message: Meta refuses
 * the send at once with code 100, "Param …['id'] is not a valid whatsapp business account media attachment ID", naming
 * the parameter's path (template['components'][0]['parameters'][0]['image']['id']) — the wording WhatsApp clients
 * match on (n8n's WhatsApp node; bulk senders that fall back to a link on that path). A bad *link* is different: Meta
 * accepts the send and fails it later with 131053 in the status webhook (fazer-ai/chatwoot#349, #363), which the
 * emulator does not model.
 */
function findTemplateMediaProblem(content: Json, ctx: { mediaExists(id: string): boolean }): string | undefined {
  const components = Array.isArray(content['components']) ? (content['components'] as unknown[]) : [];
  for (const [c, component] of components.entries()) {
    if (!isObject(component) || String(component['type']).toLowerCase() !== 'header') continue;
    const parameters = Array.isArray(component['parameters']) ? (component['parameters'] as unknown[]) : [];
    for (const [p, parameter] of parameters.entries()) {
      if (!isObject(parameter)) continue;
      for (const kind of HEADER_MEDIA_KINDS) {
        const media = parameter[kind];
        if (!isObject(media) || media['id'] === undefined) continue;
        const id = media['id'];
        if (!isNonEmptyString(id) || !ctx.mediaExists(id)) {
          return `Param template['components'][${c}]['parameters'][${p}]['${kind}']['id'] is not a valid whatsapp business account media attachment ID.`;
        }
      }
    }
  }
  return undefined;
}

function findContentProblem(type: MessageType, content: Json, ctx: { mediaExists(id: string): boolean }): string | undefined {
  switch (type) {
    case 'text': {
      const body = content['body'];
      if (!isNonEmptyString(body)) return "The parameter text['body'] is required.";
      if (charCount(body) > MAX_TEXT_CHARS) return `Param text['body'] is too long. Max length is ${MAX_TEXT_CHARS}.`;
      return undefined;
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return findMediaProblem(type, content, ctx);
    case 'reaction':
      if (!isNonEmptyString(content['message_id'])) return "The parameter reaction['message_id'] is required.";
      return typeof content['emoji'] === 'string' ? undefined : "The parameter reaction['emoji'] is required.";
    case 'template': {
      const language = content['language'];
      if (!isNonEmptyString(content['name'])) return "The parameter template['name'] is required.";
      if (!isObject(language) || !isNonEmptyString(language['code'])) return "The parameter template['language']['code'] is required.";
      return findTemplateMediaProblem(content, ctx);
    }
    case 'interactive':
      return isNonEmptyString(content['type']) ? undefined : "The parameter interactive['type'] is required.";
    case 'location':
      return typeof content['latitude'] === 'number' && typeof content['longitude'] === 'number'
        ? undefined
        : 'Params location latitude and longitude must be numbers.';
    case 'contacts':
      return undefined; // checked above: a non-empty array
    default:
      return type satisfies never;
  }
}
