import type { InboundMessageInput, InboundView } from '../../blocks/types';
import { findLatestReaction, findMessageByWaId } from '../../db/queries/messages';
import type { Message } from '../../db/schema';
import type { Deps } from '../deps';
import { whatsappToMrkdwn } from '../whatsapp/format-to-slack';
import type { InboundContent } from '../whatsapp/webhook-types';

const SNIPPET_CHARS = 140;

export function contentOf(message: Message): InboundContent {
  const c = message.content as InboundContent | null;
  return c ?? { kind: 'unknown', type: message.kind };
}

const SYSTEM_DESCRIPTIONS: Record<string, string> = {
  user_changed_number: 'changed their phone number. threadline keeps this thread.',
  customer_changed_number: 'changed their phone number. threadline keeps this thread.',
  user_changed_user_id: 'changed their WhatsApp account. threadline keeps this thread.',
  customer_identity_changed: "security code changed (they may have reinstalled WhatsApp or changed phone).",
};

/** A stored customer message as the blocks show it. Media is turned into a view by the post step itself. */
export function viewOf(content: InboundContent): InboundView {
  switch (content.kind) {
    case 'text':
      return { kind: 'text', textMrkdwn: whatsappToMrkdwn(content.body) };
    case 'media':
      return {
        kind: 'media',
        mediaType: content.mediaType,
        voice: content.voice,
        captionMrkdwn: content.caption ? whatsappToMrkdwn(content.caption) : undefined,
        filename: content.filename,
      };
    case 'location':
      return { kind: 'location', latitude: content.latitude, longitude: content.longitude, name: content.name, address: content.address, url: content.url };
    case 'contacts':
      return {
        kind: 'contacts',
        contacts: content.contacts.map((c) => ({ name: c.name, phones: c.phones.map((p) => p.phone), emails: c.emails, org: c.org })),
      };
    case 'interactive_reply':
      return { kind: 'interactive_reply', title: content.title, description: content.description };
    case 'button':
      return { kind: 'button', text: content.text };
    case 'order':
      return { kind: 'order', text: content.text, items: content.items };
    case 'system': {
      const described = SYSTEM_DESCRIPTIONS[content.systemType];
      return { kind: 'system', description: described ?? content.body ?? `sent a ${content.systemType} system message.` };
    }
    case 'unsupported':
      return { kind: 'unsupported', unsupportedType: content.unsupportedType };
    case 'reaction':
      return { kind: 'system', description: content.emoji ? `reacted ${content.emoji}` : 'removed a reaction' };
    case 'unknown':
      return { kind: 'unknown', type: content.type };
    case 'unreadable':
      return { kind: 'unreadable', type: content.type, reference: content.reference };
    default:
      return content satisfies never;
  }
}

/** The short text a quote or a notice shows for a message. */
export function snippetOf(message: Message): string {
  const text = message.body?.trim() || `[${message.kind}]`;
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS - 1)}…` : text;
}

/** The view plus what surrounds it: the quoted message, forwarding, the customer's reaction. */
export async function loadInboundInput(
  deps: Pick<Deps, 'db' | 'slack' | 'logger'>,
  message: Message,
  channel: string,
  view: InboundView = viewOf(contentOf(message)),
): Promise<InboundMessageInput> {
  const input: InboundMessageInput = { content: view, sentAt: message.waTimestamp ?? message.createdAt };
  const raw = message.payload as { context?: { forwarded?: boolean; frequently_forwarded?: boolean } };
  if (raw.context?.frequently_forwarded) input.forwarded = 'frequently_forwarded';
  else if (raw.context?.forwarded) input.forwarded = 'forwarded';
  if (message.contextWaMessageId) {
    const quoted = await findMessageByWaId(deps.db, message.contextWaMessageId);
    if (!quoted) input.quoted = { missing: true };
    else {
      let permalink: string | undefined;
      if (quoted.slackTs) {
        try {
          permalink = await deps.slack.getPermalink({ channel, ts: quoted.slackTs });
        } catch (err) {
          deps.logger.debug({ err }, 'no permalink for a quoted message');
        }
      }
      input.quoted = { snippetMrkdwn: whatsappToMrkdwn(snippetOf(quoted)), permalink, fromCustomer: quoted.direction === 'inbound' };
    }
  }
  if (message.waMessageId) {
    const reaction = await findLatestReaction(deps.db, message.waMessageId);
    const emoji = reaction ? (contentOf(reaction) as { emoji?: string }).emoji : undefined;
    if (reaction && emoji) input.reactions = [{ emoji, at: reaction.waTimestamp ?? reaction.createdAt }];
  }
  return input;
}
