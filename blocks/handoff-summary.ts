import type { KnownBlock } from '@slack/types';
import { describeState } from './header-card';
import { describeWindowLeft } from './handoff-modal';
import {
  composeMessage,
  context,
  customerDetails,
  customerLabel,
  customerLabelMrkdwn,
  escapeMrkdwn,
  fieldsSection,
  header,
  link,
  makeSnippet,
  mention,
  section,
  sections,
  slackDateTime,
  truncate,
} from './primitives';
import type { ConversationState, CustomerView, HandoffTarget, SlackMessage } from './types';

/** What the handoff leaves behind: the line in the thread, the receiver's DM, and the summary of a moved thread. */

/** A note as a mrkdwn quote, every line quoted (a `>` only quotes its own line). */
export function quoteNote(note: string, max = 1500): string {
  return truncate(note.trim(), max)
    .split('\n')
    .map((line) => `> ${escapeMrkdwn(line)}`)
    .join('\n');
}

function channelMention(channelId: string): string {
  return /^[CG][A-Z0-9]+$/.test(channelId) ? `<#${channelId}>` : escapeMrkdwn(channelId);
}

function describeTarget(target: HandoffTarget): string {
  switch (target.kind) {
    case 'user':
      return mention(target.userId);
    case 'pool':
      return 'the pool (anyone can claim it)';
    case 'channel':
      return channelMention(target.channelId);
    default:
      return target satisfies never;
  }
}

/** "🔀 Handed off from @ana to @bruno" (+ "by @carla" when a manager did it), then the note quoted. Mrkdwn. */
export function describeHandoffNotice(input: {
  fromUserId: string | null;
  actorId: string;
  target: HandoffTarget;
  note?: string | undefined;
}): string {
  const to = describeTarget(input.target);
  let line = input.fromUserId ? `🔀 Handed off from ${mention(input.fromUserId)} to ${to}` : `🔀 Handed to ${to}`;
  if (input.actorId !== input.fromUserId) line += ` by ${mention(input.actorId)}`;
  return input.note?.trim() ? `${line}\n${quoteNote(input.note)}` : line;
}

export interface HandoffDmItem {
  customer: CustomerView;
  state: ConversationState;
  window: { open: boolean; closesAt?: Date | undefined };
  note?: string | undefined;
  permalink?: string | undefined;
}

/** The receiver's DM: who handed what, each conversation with its state, window, note and a link to the thread. */
export function buildHandoffDm(input: { fromUserId: string | null; actorId: string; items: HandoffDmItem[]; now: Date }): SlackMessage {
  const n = input.items.length;
  const who = input.fromUserId && input.fromUserId !== input.actorId ? `${mention(input.actorId)} handed you ${mention(input.fromUserId)}'s` : `${mention(input.actorId)} handed you`;
  const headline = `${who} ${n} conversation${n === 1 ? '' : 's'}`;
  const blocks: KnownBlock[] = [section(`📥 ${headline}:`)];
  const shown = input.items.slice(0, 45);
  for (const item of shown) {
    const name = link(item.permalink, `*${customerLabelMrkdwn(item.customer)}*`);
    const status = `${describeState(item.state)} · ${describeWindowLeft(item.window, input.now)}`;
    blocks.push(section(item.note?.trim() ? `${name} — ${status}\n${quoteNote(item.note, 600)}` : `${name} — ${status}`));
  }
  if (input.items.length > shown.length) blocks.push(context([`+${input.items.length - shown.length} more — see /queue mine`]));
  return composeMessage(`${headline}.`, blocks);
}

/** To the person whose conversations a manager handed on. */
export function buildHandedAwayDm(input: { actorId: string; target: HandoffTarget; count: number }): SlackMessage {
  const text = `${mention(input.actorId)} handed ${input.count} of your conversations to ${describeTarget(input.target)}.`;
  return composeMessage(text, [section(text)]);
}

/** To the person who submitted, when some conversations could not be handed off. */
export function buildHandoffSkippedDm(input: { done: number; skipped: { customer: CustomerView; reason: string }[] }): SlackMessage {
  const lines = input.skipped.slice(0, 40).map((s) => `• *${customerLabelMrkdwn(s.customer)}*: ${escapeMrkdwn(s.reason)}`);
  const headline = `⚠️ ${input.skipped.length} conversation${input.skipped.length === 1 ? ' was' : 's were'} not handed off${input.done > 0 ? ` (${input.done} went through)` : ''}:`;
  return composeMessage(headline, sections(`${headline}\n${lines.join('\n')}`, 3));
}

export interface MoveSummaryInput {
  customer: CustomerView;
  fromChannelId: string;
  actorId: string;
  previousOwnerId?: string | undefined;
  previousState: ConversationState;
  note?: string | undefined;
  window: { open: boolean; closesAt?: Date | undefined };
  openedAt: Date;
  recent: { fromCustomer: boolean; authorId?: string | undefined; text: string; at: Date }[];
  notes: { authorId: string; body: string; at: Date }[];
  now: Date;
}

/** The first reply in the new thread: where it came from, the customer, recent messages, every note, the window. */
export function buildMoveSummary(input: MoveSummaryInput): SlackMessage {
  const headline = `➡️ Moved here from ${channelMention(input.fromChannelId)} by ${mention(input.actorId)}`;
  const blocks: KnownBlock[] = [section(input.note?.trim() ? `${headline}\n${quoteNote(input.note)}` : headline)];
  const details = customerDetails(input.customer);
  blocks.push(
    fieldsSection([
      `*Customer*\n${customerLabelMrkdwn(input.customer)}${details ? `\n${escapeMrkdwn(details)}` : ''}`,
      `*Before the move*\n${describeState(input.previousState)}${input.previousOwnerId ? `, ${mention(input.previousOwnerId)}` : ''}`,
      `*24-hour window*\n${describeWindowLeft(input.window, input.now)}`,
      `*Opened*\n${slackDateTime(input.openedAt)}`,
    ]),
  );
  if (input.recent.length > 0) {
    const lines = input.recent.map((m) => {
      const who = m.fromCustomer ? '*Customer*' : m.authorId ? mention(m.authorId) : '*Agent*';
      return `${who} ${slackDateTime(m.at)}: ${makeSnippet(m.text, 280)}`;
    });
    blocks.push(...sections(`*Recent messages*\n${lines.join('\n')}`, 4));
  }
  if (input.notes.length > 0) {
    const lines = input.notes.map((n) => `${mention(n.authorId)} ${slackDateTime(n.at)}:\n${quoteNote(n.body, 800)}`);
    blocks.push(...sections(`*Notes (${input.notes.length})*\n${lines.join('\n')}`, 30));
  }
  const fallback = `Moved here from ${channelMention(input.fromChannelId)}: ${customerLabelMrkdwn(input.customer)}`;
  return composeMessage(fallback, blocks);
}

/** The line left in the old thread; the worker appends the link to the new thread when it posts it. */
export function describeMovedNotice(input: { toChannelId: string; actorId: string }): string {
  return `➡️ Moved to ${channelMention(input.toChannelId)} by ${mention(input.actorId)}. The customer's next messages arrive there, and replies here no longer reach them.`;
}

/** The old header card once the conversation has moved: no buttons left to press on a thread nobody works in. */
export function buildMovedCard(input: { customer: CustomerView; toChannelId: string; actorId: string; at: Date }): SlackMessage {
  const text = `➡️ Moved to ${channelMention(input.toChannelId)} by ${mention(input.actorId)} ${slackDateTime(input.at)}`;
  const details = customerDetails(input.customer);
  return composeMessage(`WhatsApp conversation with ${customerLabelMrkdwn(input.customer)} — moved`, [
    header(customerLabel(input.customer)),
    section(details ? `WhatsApp ${escapeMrkdwn(details)}` : 'WhatsApp'),
    section(text),
  ]);
}
