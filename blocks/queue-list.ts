/*
 * /queue: open conversations grouped by state, oldest first, with counts, ages, the 24-hour window and Claim. Customer
 * names are plain text and are escaped here.
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { ActionIds } from '../src/ids';
import { describeWindowLeft, formatElapsed } from './durations';
import { describeState } from './header-card';
import { button, composeMessage, context, customerLabelMrkdwn, link, mention, section, SlackLimits } from './primitives';
import type { CustomerView, SlackMessage } from './types';

export type OpenStateView = 'unassigned' | 'waiting_on_agent' | 'waiting_on_customer';

export interface QueueRowView {
  conversationId: number;
  customer: CustomerView;
  state: OpenStateView;
  ownerId?: string | undefined;
  /** Since when it has waited in its current state (the customer's unanswered message, or the last reply). */
  waitingSince: Date;
  window: { open: boolean; closesAt?: Date | undefined };
  /** The thread; without it the row is plain text. */
  permalink?: string | undefined;
}

export interface QueueGroupView {
  state: OpenStateView;
  /** Every open conversation of this state in the scope; `rows` are the oldest of them. */
  count: number;
  rows: QueueRowView[];
}

export interface QueueListInput {
  /** "Your open conversations", or mrkdwn with a mention for /queue @user. */
  titleMrkdwn: string;
  /** Show who owns each row (not for one person's own list). */
  showOwner: boolean;
  groups: QueueGroupView[];
  now: Date;
}

/**
 * One row: the customer (linked to the thread), how long it has waited, the window, the owner. An unowned row
 * carries Claim, handled like the card's.
 */
export function buildQueueRow(row: QueueRowView, now: Date, showOwner: boolean): SectionBlock {
  const name = link(row.permalink, `*${customerLabelMrkdwn(row.customer)}*`);
  const age =
    row.state === 'waiting_on_customer'
      ? `last reply ${formatElapsed(row.waitingSince, now)} ago`
      : `waiting ${formatElapsed(row.waitingSince, now)}`;
  const parts = [name, age, describeWindowLeft(row.window, now)];
  if (showOwner) parts.push(row.ownerId ? mention(row.ownerId) : '_nobody_');
  const block = section(parts.join('  ·  '));
  if (!row.ownerId) {
    block.accessory = button({ actionId: ActionIds.queueClaim, text: 'Claim', value: String(row.conversationId), style: 'primary' });
  }
  return block;
}

/** "3 unassigned · 5 waiting on agent · 0 waiting on customer". */
export function describeCounts(counts: Record<OpenStateView, number>): string {
  return (['unassigned', 'waiting_on_agent', 'waiting_on_customer'] as const)
    .map((state) => `${counts[state]} ${describeState(state).toLowerCase()}`)
    .join('  ·  ');
}

/**
 * Fits Slack's 50 blocks (slack.md §5): a title, then per group a heading, its rows and a "+N more" line. Rows are
 * given out in group order while they fit; whatever does not fit is counted in that group's "+N more".
 */
export function buildQueueList(input: QueueListInput): SlackMessage {
  const groups = input.groups.filter((g) => g.count > 0);
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  const counts = { unassigned: 0, waiting_on_agent: 0, waiting_on_customer: 0 };
  for (const g of input.groups) counts[g.state] = g.count;
  const blocks: KnownBlock[] = [section(`*${input.titleMrkdwn}* (${total})\n${describeCounts(counts)}`)];
  if (total === 0) {
    blocks.push(context(['Nothing open here.']));
    return composeMessage(`${input.titleMrkdwn}: nothing open`, blocks);
  }
  // Every group keeps its heading and a possible "+N more"; rows share the rest.
  let rowBudget = SlackLimits.blocksPerMessage - blocks.length - groups.length * 2;
  for (const group of groups) {
    blocks.push(section(`*${describeState(group.state)}* (${group.count})`));
    const shown = group.rows.slice(0, Math.max(0, rowBudget));
    rowBudget -= shown.length;
    for (const row of shown) blocks.push(buildQueueRow(row, input.now, input.showOwner));
    const more = group.count - shown.length;
    if (more > 0) blocks.push(context([`+${more} more, oldest shown first`]));
  }
  return composeMessage(`${input.titleMrkdwn}: ${total} open (${describeCounts(counts)})`, blocks);
}
