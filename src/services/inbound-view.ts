import type { InboundMessageInput, InboundView } from '../../blocks/types';
import { type FollowUps, findFollowUps, findFollowUpsOfMany, findMessageByWaId } from '../../db/queries/messages';
import type { Message } from '../../db/schema';
import type { Deps } from '../deps';
import { whatsappToMrkdwn } from '../whatsapp/format-to-slack';
import type { EditedContent, InboundContent } from '../whatsapp/webhook-types';

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
    case 'edit':
      return viewOf(content.edited);
    case 'revoke':
      return { kind: 'system', description: 'deleted a message' };
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

/**
 * loadInboundInput for the messages of one post (coalesced), with their reactions, edits and deletions read in one
 * statement instead of one each (issue 7: statements per delivered message).
 */
export async function loadInboundInputs(
  deps: Pick<Deps, 'db' | 'slack' | 'logger'>,
  batch: Message[],
  channel: string,
): Promise<InboundMessageInput[]> {
  const targets = batch.filter((m) => m.waMessageId && m.direction === 'inbound').map((m) => m.waMessageId as string);
  const followUps = await findFollowUpsOfMany(deps.db, targets);
  const inputs: InboundMessageInput[] = [];
  for (const m of batch) inputs.push(await loadInboundInput(deps, m, channel, undefined, followUps.get(m.waMessageId ?? '') ?? {}));
  return inputs;
}

/**
 * The view plus what surrounds it: the quoted message, forwarding, the customer's reaction. `followUps` when the
 * caller read them already (loadInboundInputs).
 */
export async function loadInboundInput(
  deps: Pick<Deps, 'db' | 'slack' | 'logger'>,
  message: Message,
  channel: string,
  view: InboundView = viewOf(contentOf(message)),
  followUps?: FollowUps,
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
  if (message.waMessageId && message.direction === 'inbound') {
    const { reaction, edit, revoke } = followUps ?? (await findFollowUps(deps.db, message.waMessageId));
    const emoji = reaction ? (contentOf(reaction) as { emoji?: string }).emoji : undefined;
    if (reaction && emoji) input.reactions = [{ emoji, at: reaction.waTimestamp ?? reaction.createdAt }];
    const edited = edit ? contentOf(edit) : undefined;
    if (edit && edited?.kind === 'edit') {
      // The team may already have answered the first version: it stays in the post, under the new one.
      input.content = applyEdit(input.content, edited.edited);
      input.edited = { at: edit.waTimestamp ?? edit.createdAt, originalMrkdwn: originalOf(view), unreadable: edited.edited.kind === 'unknown' };
    }
    if (revoke) input.deleted = { at: revoke.waTimestamp ?? revoke.createdAt };
  }
  return input;
}

/**
 * The post's new body: an edited text replaces the text; an edited caption replaces only the caption, so a photo that
 * was too large or unavailable keeps saying so.
 */
export function applyEdit(view: InboundView, edited: EditedContent): InboundView {
  if (edited.kind === 'media' && 'captionMrkdwn' in view) {
    return { ...view, captionMrkdwn: edited.caption ? whatsappToMrkdwn(edited.caption) : undefined };
  }
  if (edited.kind === 'unknown') return view;
  return viewOf(edited);
}

/** What the customer first sent, as the "was" line quotes it: the text, or the caption of media. */
function originalOf(view: InboundView): string {
  if (view.kind === 'text') return view.textMrkdwn;
  if ('captionMrkdwn' in view) return view.captionMrkdwn ?? '';
  return '';
}
