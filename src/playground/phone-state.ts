import type { EmulatedSend, GraphEmulator } from '../emulators/graph-emulator';
import type { PhoneChat, PhoneMessage, Tick } from './state-types';

/**
 * What the customer's phone shows, read from the Graph emulator: the messages customers sent (the webhooks it
 * posted to threadline), what the business sent back (its accepted sends, templates included) with the ticks its
 * status webhooks reported, reactions both ways, and the blue ticks threadline's read receipts put on the
 * customer's own messages.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

export const waMediaUrl = (mediaId: string) => `/playground/api/wa-media/${encodeURIComponent(mediaId)}`;

/** Every `value` of the `messages` field in a webhook payload. */
function changeValues(payload: object): Json[] {
  const entries = objects((payload as Json).entry);
  return entries.flatMap((e) => objects(e.changes)).flatMap((c) => (isObject(c.value) ? [c.value] : []));
}

/** What a media id stands for in the Graph emulator's store: the business's sends carry no MIME type of their own. */
type MimeTypeOf = (mediaId: string) => string | undefined;

function mediaOf(body: Json | undefined, mimeTypeOf?: MimeTypeOf): PhoneMessage['media'] {
  if (!body) return undefined;
  const id = str(body.id);
  const mimeType = str(body.mime_type) ?? (id ? mimeTypeOf?.(id) : undefined);
  return { url: id ? waMediaUrl(id) : str(body.link), mimeType, filename: str(body.filename) };
}

function describeCustomerMessage(m: Json, at: string): PhoneMessage {
  const type = str(m.type) ?? 'unknown';
  const body = isObject(m[type]) ? (m[type] as Json) : undefined;
  const message: PhoneMessage = { id: str(m.id) ?? '', from: 'customer', at, type, reactions: [] };
  const context = isObject(m.context) ? str(m.context.id) : undefined;
  if (context) message.contextId = context;
  switch (type) {
    case 'text':
      message.text = str(body?.body);
      break;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      message.media = mediaOf(body);
      message.text = str(body?.caption);
      break;
    case 'location':
      message.location = {
        latitude: Number(body?.latitude),
        longitude: Number(body?.longitude),
        name: str(body?.name),
        address: str(body?.address),
      };
      break;
    case 'reaction':
      message.contextId = str(body?.message_id);
      message.text = str(body?.emoji);
      break;
    case 'edit': {
      message.contextId = str(body?.original_message_id);
      const edited = isObject(body?.message) ? body.message : undefined;
      const editedType = str(edited?.type) ?? '';
      const editedBody = edited && isObject(edited[editedType]) ? (edited[editedType] as Json) : undefined;
      message.text = str(editedBody?.body) ?? str(editedBody?.caption);
      break;
    }
    case 'revoke':
      message.contextId = str(body?.original_message_id);
      break;
    case 'button':
      message.text = str(body?.text);
      break;
    case 'interactive': {
      const reply = isObject(body?.button_reply) ? body.button_reply : isObject(body?.list_reply) ? body.list_reply : undefined;
      message.text = str(reply?.title);
      break;
    }
    default:
      message.text = `(${type})`;
  }
  return message;
}

const HEADER_MEDIA_KINDS = ['image', 'video', 'document'] as const;

/** The template's filled-in values; its header's image, video or document is shown as media, not as a word. */
function templateOf(content: Json): PhoneMessage['template'] {
  const language = isObject(content.language) ? (str(content.language.code) ?? '') : '';
  const parameters = objects(content.components)
    .flatMap((c) => objects(c.parameters))
    .filter((p) => !headerMediaKindOf(p))
    .map((p) => str(p.text) ?? str(p.type) ?? '');
  return { name: str(content.name) ?? '', language, parameters };
}

function headerMediaKindOf(parameter: Json): (typeof HEADER_MEDIA_KINDS)[number] | undefined {
  return HEADER_MEDIA_KINDS.find((kind) => parameter.type === kind && isObject(parameter[kind]));
}

/** A template header's media ({type: image, image: {id | link}}), read like a media message's body. */
function templateHeaderMediaOf(content: Json, mimeTypeOf: MimeTypeOf): PhoneMessage['media'] {
  const header = objects(content.components).find((c) => str(c.type)?.toLowerCase() === 'header');
  for (const parameter of objects(header?.parameters)) {
    const kind = headerMediaKindOf(parameter);
    if (!kind) continue;
    const media = mediaOf(parameter[kind] as Json, mimeTypeOf);
    // Sent by link, the media has no stored type: the header's declared kind says what to show.
    return media && !media.mimeType && kind === 'image' ? { ...media, mimeType: 'image/*' } : media;
  }
  return undefined;
}

function describeSend(send: EmulatedSend, mimeTypeOf: MimeTypeOf): PhoneMessage {
  const content = send.content;
  const message: PhoneMessage = { id: send.wamid, from: 'business', at: send.at.toISOString(), type: send.type, reactions: [] };
  if (send.contextMessageId) message.contextId = send.contextMessageId;
  switch (send.type) {
    case 'text':
      message.text = send.text;
      break;
    case 'template':
      message.template = templateOf(content);
      message.media = templateHeaderMediaOf(content, mimeTypeOf);
      break;
    case 'interactive': {
      const bodyText = isObject(content.body) ? str(content.body.text) : undefined;
      message.text = bodyText;
      const action = isObject(content.action) ? content.action : {};
      message.buttons = objects(action.buttons).flatMap((b) =>
        isObject(b.reply) ? [{ id: str(b.reply.id) ?? '', title: str(b.reply.title) ?? '' }] : [],
      );
      break;
    }
    case 'reaction':
      message.contextId = str(content.message_id);
      message.text = str(content.emoji);
      break;
    case 'location':
      message.location = { latitude: Number(content.latitude), longitude: Number(content.longitude), name: str(content.name), address: str(content.address) };
      break;
    default:
      message.media = mediaOf(content, mimeTypeOf);
      message.text = str(content.caption) ?? (message.media ? undefined : `(${send.type})`);
  }
  return message;
}

const TICK_ORDER: Record<Tick, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/** Latest status per wamid (forward only, as threadline treats them), with the error title of a failure. */
function statusesOf(graph: GraphEmulator): Map<string, { tick: Tick; error?: string | undefined }> {
  const byId = new Map<string, { tick: Tick; error?: string | undefined }>();
  for (const delivery of graph.webhookDeliveries.filter((d) => d.kind === 'status')) {
    for (const status of changeValues(delivery.payload).flatMap((v) => objects(v.statuses))) {
      const id = str(status.id);
      const tick = str(status.status);
      if (!id || !(tick === 'sent' || tick === 'delivered' || tick === 'read' || tick === 'failed')) continue;
      const current = byId.get(id);
      if (current && TICK_ORDER[current.tick] >= TICK_ORDER[tick]) continue;
      const error = objects(status.errors)[0];
      byId.set(id, { tick, error: error ? `${String(error.code)}: ${str(error.title) ?? ''}` : undefined });
    }
  }
  return byId;
}

export function buildPhoneChats(graph: GraphEmulator, names: ReadonlyMap<string, string>): PhoneChat[] {
  const chats = new Map<string, PhoneChat>();
  const chatOf = (waId: string, phoneNumberId: string) => {
    const key = `${phoneNumberId}:${waId}`;
    let chat = chats.get(key);
    if (!chat) {
      chat = { waId, phoneNumberId, name: names.get(waId), messages: [] };
      chats.set(key, chat);
    }
    return chat;
  };
  for (const delivery of graph.webhookDeliveries.filter((d) => d.kind === 'message')) {
    for (const value of changeValues(delivery.payload)) {
      const phoneNumberId = isObject(value.metadata) ? (str(value.metadata.phone_number_id) ?? '') : '';
      const contact = objects(value.contacts)[0];
      for (const m of objects(value.messages)) {
        const waId = str(m.from) ?? str(contact?.wa_id);
        if (!waId) continue;
        const chat = chatOf(waId, phoneNumberId);
        const profileName = isObject(contact?.profile) ? str(contact.profile.name) : undefined;
        chat.name ??= profileName;
        chat.messages.push(describeCustomerMessage(m, delivery.at.toISOString()));
      }
    }
  }
  const statuses = statusesOf(graph);
  const mimeTypeOf: MimeTypeOf = (mediaId) => graph.findMedia(mediaId)?.mimeType;
  for (const send of graph.sent) {
    if (!send.waId) continue;
    const message = describeSend(send, mimeTypeOf);
    const status = statuses.get(send.wamid);
    message.tick = status?.tick;
    message.error = status?.error;
    chatOf(send.waId, send.phoneNumberId).messages.push(message);
  }
  const read = new Set(graph.reads.map((r) => r.messageId));
  for (const chat of chats.values()) {
    chat.messages.sort((a, b) => a.at.localeCompare(b.at));
    foldReactions(chat);
    foldEdits(chat);
    for (const m of chat.messages) if (m.from === 'customer' && read.has(m.id)) m.tick = 'read';
  }
  return [...chats.values()];
}

/** A reaction is shown on the message it reacts to, not as a bubble of its own; an empty emoji removes it. */
function foldReactions(chat: PhoneChat): void {
  const byId = new Map(chat.messages.map((m) => [m.id, m]));
  const latest = new Map<string, { target: PhoneMessage; emoji: string; by: 'customer' | 'business' }>();
  chat.messages = chat.messages.filter((m) => {
    if (m.type !== 'reaction') return true;
    const target = m.contextId ? byId.get(m.contextId) : undefined;
    if (target) latest.set(`${m.from}:${target.id}`, { target, emoji: m.text ?? '', by: m.from });
    return !target;
  });
  for (const { target, emoji, by } of latest.values()) if (emoji) target.reactions.push({ emoji, by });
}

/** As on WhatsApp: an edit changes its message's text (marked edited), a deletion leaves "You deleted this message". */
function foldEdits(chat: PhoneChat): void {
  const byId = new Map(chat.messages.map((m) => [m.id, m]));
  chat.messages = chat.messages.filter((m) => {
    if (m.type !== 'edit' && m.type !== 'revoke') return true;
    const target = m.contextId ? byId.get(m.contextId) : undefined;
    if (!target) return false;
    if (m.type === 'edit') {
      target.text = m.text ?? target.text;
      target.edited = true;
    } else {
      target.deleted = true;
      target.text = undefined;
      target.media = undefined;
    }
    return false;
  });
}
