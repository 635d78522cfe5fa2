/*
 * Messages only the person who clicked or replied sees (chat.postEphemeral, or respond() to an action). Snippets,
 * filenames and reasons are plain text and are escaped here.
 */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import { ActionIds } from '../src/ids';
import {
  button,
  composeMessage,
  confirm,
  escapeMrkdwn,
  link,
  makeSnippet,
  mention,
  section,
  slackDateTime,
} from './primitives';
import type { SlackMessage } from './types';

/** What the refused person can do next depends on them: only managers and admins may reassign someone else's. */
export function buildClaimRefused(input: { ownerId: string; mayReassign: boolean }): SlackMessage {
  const text = `${mention(input.ownerId)} already owns this conversation.`;
  const next = input.mayReassign
    ? 'Ask them, or pick someone under *Reassign…* on the card.'
    : 'Ask them to hand it off to you, or ask a manager to reassign it.';
  return composeMessage(text, [section(`${text} ${next}`)]);
}

export interface HeldReply {
  /** Our id of the held outbound message; the buttons carry it. */
  messageId: number;
  snippet: string;
}

/**
 * A reply to a conversation someone else owns is held, so the customer does not get two different answers; the
 * replier can take over (and send) or keep it as a private note.
 */
export function buildReplyHeldNotOwner(input: HeldReply & { ownerId: string }): SlackMessage {
  const owner = mention(input.ownerId);
  const text = `Not sent: ${owner} owns this conversation, so the customer does not get two different answers.`;
  const takeOver = button({
    actionId: ActionIds.takeOverAndSend,
    text: 'Take over and send',
    value: String(input.messageId),
    style: 'primary',
    confirm: confirm({
      title: 'Take over this conversation?',
      textMrkdwn: `Take over from ${owner}? You become the owner and your reply goes to the customer.`,
      confirm: 'Take over and send',
      deny: 'Cancel',
    }),
  });
  return composeMessage(text, [
    section(`${text}\n>${makeSnippet(input.snippet)}`),
    heldActions(input.messageId, [takeOver, keepAsNoteButton(input.messageId)]),
  ]);
}

/** WhatsApp delivers only approved templates once 24 hours passed since the customer last wrote (whatsapp.md §5). */
export function buildReplyHeldWindowClosed(input: HeldReply & { closedAt: Date; conversationId?: number | undefined }): SlackMessage {
  const text =
    `Not sent: the 24-hour window closed at ${slackDateTime(input.closedAt)}. WhatsApp only delivers approved ` +
    'message templates now; the customer has to write first.';
  const template =
    input.conversationId !== undefined
      ? [button({ actionId: ActionIds.sendTemplate, text: 'Send a template', value: String(input.conversationId), style: 'primary' })]
      : [];
  return composeMessage(text, [
    section(`${text}\n>${makeSnippet(input.snippet)}`),
    heldActions(input.messageId, [...template, keepAsNoteButton(input.messageId)]),
  ]);
}

/** Slack edits and deletions are not relayed: WhatsApp has no API to edit or unsend a business message. */
export function buildEditNotRelayed(input: { kind: 'edited' | 'deleted' }): SlackMessage {
  let lead: string;
  switch (input.kind) {
    case 'edited':
      lead = 'Your edit was not sent.';
      break;
    case 'deleted':
      lead = 'Deleting it here does not unsend it.';
      break;
    default:
      lead = input.kind satisfies never;
  }
  const text = `${lead} The customer already has the original message; WhatsApp cannot edit or unsend it.`;
  return composeMessage(text, [section(text)]);
}

export function buildFileRejected(input: { filename: string; reason: string }): SlackMessage {
  const text = `Not sent: *${makeSnippet(input.filename, 200)}*. ${escapeMrkdwn(input.reason.trim())}`;
  return composeMessage(text, [section(text)]);
}

export function buildConversationClosedElsewhere(input: { permalink?: string | undefined }): SlackMessage {
  const where = input.permalink ? link(input.permalink, 'here') : 'in the channel';
  const text = `This conversation is closed; the customer's newer thread is ${where}.`;
  return composeMessage(text, [section(text)]);
}

/** `message` is plain text, typically an AppError's userMessage. */
/** A reply in a thread the conversation has left: it continues in another channel. */
export function buildConversationMoved(input: { channelId: string; permalink?: string | undefined }): SlackMessage {
  const where = input.permalink ? link(input.permalink, 'its new thread') : 'its new thread';
  const text = `Not sent: this conversation moved to <#${input.channelId}>. Continue in ${where}.`;
  return composeMessage(text, [section(text)]);
}

/** `messageMrkdwn` is threadline's own wording (it may mention people as <@U…>), never user text. */
export function buildActionError(messageMrkdwn: string): SlackMessage {
  const text = `⚠️ ${messageMrkdwn.trim()}`;
  return composeMessage(text, [section(text)]);
}

/** Replying in a resolved thread (no newer conversation) reopens it for the replier: they are told, not surprised. */
export function buildReopenedByReply(): SlackMessage {
  const text =
    '🔁 This conversation was resolved. Your reply reopened it and it is now yours; the reply went to the customer. ' +
    'Resolve it again when you are done.';
  return composeMessage(text, [section(text)]);
}

/**
 * WhatsApp takes at most 4,096 characters per text message (whatsapp.md §5), so a longer reply went as several: the
 * agent is told, since the customer sees them as separate messages.
 */
export function buildReplySplit(input: { messages: number; limit: number }): SlackMessage {
  const text =
    `✂️ Your reply was longer than WhatsApp's ${input.limit.toLocaleString('en-US')} characters per message, so it went to the customer ` +
    `as ${input.messages} messages, in order.`;
  return composeMessage(text, [section(text)]);
}

export function buildNoteSaved(): SlackMessage {
  const text = '🔒 Saved as a private note. The customer does not see it.';
  return composeMessage(text, [section(text)]);
}

function keepAsNoteButton(messageId: number) {
  return button({ actionId: ActionIds.keepAsNote, text: 'Keep as note', value: String(messageId) });
}

function heldActions(messageId: number, elements: ActionsBlock['elements']): KnownBlock {
  return { type: 'actions', block_id: `held:${messageId}`, elements };
}
