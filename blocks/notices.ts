/*
 * App posts in a conversation thread that everyone there sees. Snippets, reasons and explanations are plain text and
 * are escaped here.
 */
import type { KnownBlock } from '@slack/types';
import { ActionIds } from '../src/ids';
import {
  button,
  composeMessage,
  confirm,
  context,
  escapeMrkdwn,
  formatPhone,
  link,
  makeSnippet,
  mention,
  section,
} from './primitives';
import type { SlackMessage } from './types';

export interface DeliveryFailedNotice {
  /** The agent who wrote the reply, mentioned so they hear about it. */
  agentId?: string | undefined;
  snippet: string;
  /** Where the failure came from: "WhatsApp error <Meta's code>" (whatsapp.md §4.2), or threadline's own failure. */
  origin: string;
  /** What the code means, in plain words. */
  explanation: string;
  /** The agent's reply in the thread. */
  permalink?: string | undefined;
}

export function buildDeliveryFailedNotice(notice: DeliveryFailedNotice): SlackMessage {
  const who = notice.agentId ? `${mention(notice.agentId)} ` : '';
  const reply = link(notice.permalink, `“${makeSnippet(notice.snippet)}”`);
  const headline = `${who}❌ Not delivered: ${reply}`;
  const explanation = escapeMrkdwn(notice.explanation.trim());
  const blocks: KnownBlock[] = [
    section(`${headline}\n${explanation}`),
    context([escapeMrkdwn(notice.origin)]),
  ];
  return composeMessage(`${headline} — ${explanation}`, blocks);
}

export interface DeliveryUncertainNotice {
  messageId: number;
  snippet: string;
}

/**
 * An uncertain send is never repeated on its own, so the customer cannot get it twice; a person decides, and a late
 * status settles it automatically (DESIGN §4).
 */
export function buildDeliveryUncertainNotice(notice: DeliveryUncertainNotice): SlackMessage {
  const text =
    `⚠️ Delivery uncertain: WhatsApp did not confirm “${makeSnippet(notice.snippet)}”. threadline will not resend ` +
    'it on its own, so the customer never gets it twice. If a status arrives it settles automatically.';
  const blocks: KnownBlock[] = [
    section(text),
    {
      type: 'actions',
      block_id: `resend:${notice.messageId}`,
      elements: [
        button({
          actionId: ActionIds.resend,
          text: 'Resend',
          value: String(notice.messageId),
          confirm: confirm({
            title: 'Resend this reply?',
            textMrkdwn: 'If the first attempt did reach the customer, they get it twice.',
            confirm: 'Resend',
            deny: 'Cancel',
          }),
        }),
      ],
    },
  ];
  return composeMessage(text, blocks);
}

export type UncertainSettlement =
  | { outcome: 'confirmed' }
  | { outcome: 'resent'; by: string }
  | { outcome: 'failed'; explanation: string };

/** Replaces the uncertain notice (chat.update) once a status arrived or someone resent the reply. */
export function buildUncertainSettledNotice(notice: { snippet: string } & UncertainSettlement): SlackMessage {
  const snippet = `“${makeSnippet(notice.snippet)}”`;
  let text: string;
  switch (notice.outcome) {
    case 'confirmed':
      text = `✅ Delivery confirmed: WhatsApp accepted ${snippet} after all. Nothing to resend.`;
      break;
    case 'resent':
      text = `↻ ${mention(notice.by)} resent ${snippet}. If the first attempt did arrive after all, the customer has it twice.`;
      break;
    case 'failed':
      text = `❌ Not delivered: ${snippet}\n${escapeMrkdwn(notice.explanation.trim())}`;
      break;
    default:
      text = notice satisfies never;
  }
  return composeMessage(text, [section(text)]);
}

export interface CustomerChangedNumberNotice {
  /** Digits; absent when Meta only told us a new user id. */
  oldPhone?: string | undefined;
  newPhone?: string | undefined;
}

export function buildCustomerChangedNumberNotice(notice: CustomerChangedNumberNotice): SlackMessage {
  const from = notice.oldPhone ? ` from ${escapeMrkdwn(formatPhone(notice.oldPhone))}` : '';
  const to = notice.newPhone ? ` to ${escapeMrkdwn(formatPhone(notice.newPhone))}` : '';
  const text =
    from || to
      ? `ℹ️ The customer changed their WhatsApp number${from}${to}. Replies in this thread go to the new number.`
      : 'ℹ️ The customer changed their WhatsApp account. Replies in this thread go to their new account.';
  return composeMessage(text, [section(text)]);
}

export function buildReopenedNotice(notice: { previousPermalink?: string | undefined }): SlackMessage {
  const earlier = link(notice.previousPermalink, 'earlier conversation');
  const text = `🔁 The customer wrote again after their ${earlier} was closed, so this is a new thread.`;
  return composeMessage(text, [section(text)]);
}

/** A file an agent shared in the thread that WhatsApp will not take. */
export function buildMediaRejectedNotice(notice: { filename: string; reason: string }): SlackMessage {
  const text =
    `❌ Not sent to the customer: *${makeSnippet(notice.filename, 200)}*\n` +
    `${escapeMrkdwn(notice.reason.trim())}`;
  return composeMessage(text, [section(text)]);
}

/** A notice whose text the caller already wrote as mrkdwn (user text escaped with escapeMrkdwn). */
export function buildGenericNotice(textMrkdwn: string): SlackMessage {
  return composeMessage(textMrkdwn, [section(textMrkdwn)]);
}
