import { button, composeMessage, context, section } from './primitives';
import type { SlackMessage } from './types';
import { ActionIds } from '../src/ids';

export interface ParkedRowNotice {
  inboxId: number;
  attempts: number;
  /** The last failure, already safe to show (no customer text: database errors are redacted upstream). */
  error: string;
}

/**
 * A channel post when a stored webhook is set aside (dead letter): nothing behind it is held up, and an admin can
 * send it through again once the cause is fixed.
 */
export function buildInboxParkedNotice(notice: ParkedRowNotice): SlackMessage {
  const text =
    `⚠️ A WhatsApp webhook (inbox row #${notice.inboxId}) could not be ingested after ${notice.attempts} tries and is parked. ` +
    'Everything that arrived after it keeps flowing. The webhook is kept exactly as it arrived.';
  return composeMessage(text, [
    section(text),
    context([`Last error: ${truncate(notice.error, 500)}`, `Retry it with \`/threadline inbox retry ${notice.inboxId}\` or the button (admins and managers).`]),
    { type: 'actions', elements: [button({ actionId: ActionIds.inboxRetry, text: 'Retry', value: String(notice.inboxId) })] },
  ]);
}

export interface ParkedRowSummary {
  id: number;
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
  bytes: number;
}

/** `/threadline inbox`: what is parked, oldest first. */
export function buildInboxStatus(input: { pending: number; oldestAgeSeconds: number; parked: ParkedRowSummary[]; parkedTotal: number }): SlackMessage {
  const head = `*Inbox:* ${input.pending} waiting${input.pending > 0 ? ` (oldest ${Math.round(input.oldestAgeSeconds)} s)` : ''}, ${input.parkedTotal} parked.`;
  const lines = input.parked.map(
    (r) => `• #${r.id}: ${r.bytes} bytes, received ${r.receivedAt.toISOString()}, ${r.attempts} tries — ${truncate(r.lastError ?? 'no error recorded', 200)}`,
  );
  const more = input.parkedTotal > input.parked.length ? [`…and ${input.parkedTotal - input.parked.length} more.`] : [];
  const hint = input.parkedTotal > 0 ? ['`/threadline inbox retry <id>` or `/threadline inbox retry all` sends parked webhooks through again.'] : [];
  return composeMessage(head, [section([head, ...lines, ...more].join('\n')), ...(hint.length ? [context(hint)] : [])]);
}

function truncate(text: string, max: number): string {
  const clean = text.replace(/[`*_~<>&]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
