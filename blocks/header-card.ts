import type { ActionsBlock, KnownBlock, UsersSelect } from '@slack/types';
import { ActionIds, cardBlockId } from '../src/ids';
import {
  button,
  composeMessage,
  confirm,
  context,
  customerDetails,
  customerLabel,
  escapeMrkdwn,
  fieldsSection,
  formatPhone,
  header,
  link,
  makeSnippet,
  mention,
  plainText,
  section,
  SlackLimits,
  slackDateTime,
  slackDay,
} from './primitives';
import type { ConversationState, HeaderCardInput, SlackMessage } from './types';

const STATE_LABELS = {
  unassigned: 'Unassigned',
  waiting_on_agent: 'Waiting on agent',
  waiting_on_customer: 'Waiting on customer',
  closed: 'Closed',
} as const satisfies Record<ConversationState, string>;

export function describeState(state: ConversationState): string {
  return STATE_LABELS[state];
}

/**
 * The thread's parent message: who the customer is, state, owner, the 24-hour window, a link to the earlier
 * conversation, and the actions. Each version of the card gets a new block_id, which Slack asks for on every update
 * (slack.md §4).
 */
export function buildHeaderCard(input: HeaderCardInput): SlackMessage {
  const closed = input.state === 'closed';
  const blocks: KnownBlock[] = [header(customerLabel(input.customer)), section(describeLines(input))];
  blocks.push(
    fieldsSection([
      `*State*\n${describeState(input.state)}`,
      `*Owner*\n${input.ownerId ? mention(input.ownerId) : '_Nobody yet_'}`,
      `*24-hour window*\n${describeWindow(input)}`,
      `*Opened*\n${slackDateTime(input.openedAt)}`,
    ]),
  );
  if (input.ownerId && input.assignedReasonMrkdwn?.trim() && !closed) {
    blocks.push(context([`assigned to ${mention(input.ownerId)} — ${input.assignedReasonMrkdwn.trim()}`]));
  }
  if (input.previous) blocks.push(section(describePrevious(input.previous)));
  if (closed) {
    blocks.push(context([describeClosing(input)]));
  } else {
    blocks.push(buildCardActions(input));
  }
  return composeMessage(buildFallback(input), blocks);
}

function describeLines(input: HeaderCardInput): string {
  const details = customerDetails(input.customer);
  const who = details ? `WhatsApp ${escapeMrkdwn(details)}` : 'WhatsApp';
  return input.businessNumber ? `${who}  ·  to ${escapeMrkdwn(formatPhone(input.businessNumber))}` : who;
}

function isWindowOpen({ window, now }: HeaderCardInput): boolean {
  // The card is not re-rendered when the window lapses on its own, so a stale "open" is shown as closed.
  return window.open && (!window.closesAt || window.closesAt.getTime() > now.getTime());
}

function describeWindow(input: HeaderCardInput): string {
  const { window } = input;
  const closesAt = window.closesAt;
  const open = isWindowOpen(input);
  if (open) return closesAt ? `open until ${slackDateTime(closesAt)}` : 'open';
  const closedAt = window.closedAt ?? (window.open ? closesAt : undefined);
  return closedAt ? `closed since ${slackDateTime(closedAt)}` : 'closed';
}

function describePrevious(previous: NonNullable<HeaderCardInput['previous']>): string {
  const when = previous.closedAt ? ` (closed ${slackDay(previous.closedAt)})` : '';
  const line = `↩ ${link(previous.permalink, 'Earlier conversation')}${when}`;
  const note = previous.lastNote?.trim();
  return note ? `${line}\n> Last note: ${makeSnippet(note, 300)}` : line;
}

function describeClosing(input: HeaderCardInput): string {
  const by = input.closedBy ? ` by ${mention(input.closedBy)}` : '';
  const when = input.closedAt ? ` ${slackDateTime(input.closedAt)}` : '';
  return `Closed${by}${when}`;
}

function buildCardActions(input: HeaderCardInput): ActionsBlock {
  const id = String(input.conversationId);
  const elements: ActionsBlock['elements'] = [];
  if (!input.ownerId) {
    elements.push(button({ actionId: ActionIds.claim, text: 'Claim', value: id, style: 'primary' }));
  }
  elements.push(
    button({
      actionId: ActionIds.resolve,
      text: 'Resolve',
      value: id,
      confirm: confirm({
        title: 'Resolve this conversation?',
        textMrkdwn: 'The conversation closes. If the customer writes again, a new thread opens and links back here.',
        confirm: 'Resolve',
        deny: 'Cancel',
      }),
    }),
  );
  // Slash commands do not work in threads (slack.md §3): the card is where one conversation is handed off.
  elements.push(button({ actionId: ActionIds.handoff, text: 'Hand off', value: id }));
  // Outside the 24-hour window only a template reaches the customer (whatsapp.md §5).
  if (!isWindowOpen(input)) elements.push(button({ actionId: ActionIds.sendTemplate, text: 'Send a template', value: id }));
  const reassign: UsersSelect = {
    type: 'users_select',
    action_id: ActionIds.reassign,
    placeholder: plainText('Reassign…', SlackLimits.placeholderText),
    ...(input.ownerId ? { initial_user: input.ownerId } : {}),
  };
  elements.push(reassign);
  return { type: 'actions', block_id: cardBlockId(input.conversationId, input.cardVersion), elements };
}

/** "WhatsApp conversation with Alice (+1 555 000 2222) — unassigned". */
function buildFallback(input: HeaderCardInput): string {
  const details = customerDetails(input.customer);
  const who = escapeMrkdwn(customerLabel(input.customer)) + (details ? ` (${escapeMrkdwn(details)})` : '');
  return `WhatsApp conversation with ${who} — ${describeState(input.state).toLowerCase()}`;
}
