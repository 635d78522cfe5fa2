/*
 * The line threadline posts in the thread under a held reply, for everyone there: the reply above was not sent to
 * the customer. Its buttons are the same as the author's ephemeral's, so the decision is still there once the
 * ephemeral is gone (ephemerals do not survive a reload). Snippets are escaped here.
 */
import type { KnownBlock } from '@slack/types';
import { ActionIds } from '../src/ids';
import { button, composeMessage, context, makeSnippet, mention, section } from './primitives';
import type { SlackMessage } from './types';

export interface HeldMarkerInput {
  messageId: number;
  authorId: string;
  snippet: string;
  /** not_owner: someone else owns the conversation; window_closed: WhatsApp's 24 hours are over. */
  hold: { reason: 'not_owner'; ownerId: string } | { reason: 'window_closed' };
}

export function buildHeldMarker(input: HeldMarkerInput): SlackMessage {
  const author = mention(input.authorId);
  const why =
    input.hold.reason === 'not_owner'
      ? `${mention(input.hold.ownerId)} owns this conversation`
      : 'the 24-hour window is closed, so WhatsApp would not deliver it';
  const text = `✋ Not sent: ${author}'s reply “${makeSnippet(input.snippet)}” is held, because ${why}. The customer has not seen it.`;
  const value = String(input.messageId);
  const elements = [
    ...(input.hold.reason === 'not_owner'
      ? [button({ actionId: ActionIds.takeOverAndSend, text: 'Take over and send', value, style: 'primary' as const })]
      : []),
    button({ actionId: ActionIds.keepAsNote, text: 'Keep as note', value }),
  ];
  const blocks: KnownBlock[] = [
    section(text),
    { type: 'actions', block_id: `held-marker:${input.messageId}`, elements },
    context([`Only ${author}, who wrote it, can send it or keep it as a note.`]),
  ];
  return composeMessage(text, blocks);
}

/** The marker once decided: no buttons left to press. */
export function buildHeldMarkerDecided(input: { authorId: string; snippet: string; outcome: 'sent' | 'noted' }): SlackMessage {
  const reply = `${mention(input.authorId)}'s held reply “${makeSnippet(input.snippet)}”`;
  const text =
    input.outcome === 'sent'
      ? `✅ ${reply} was sent after they took the conversation over.`
      : `📝 ${reply} was kept as a private note; it was never sent.`;
  return composeMessage(text, [section(text)]);
}
