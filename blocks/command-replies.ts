/*
 * Answers to /shift and /threadline, shown only to the person who ran the command. Inputs are ids, times and our own
 * wording (mrkdwn); nothing here comes from a customer.
 */
import type { KnownBlock } from '@slack/types';
import { formatElapsed } from './durations';
import { composeMessage, context, mention, section, slackDateTime } from './primitives';
import type { SlackMessage } from './types';

/** A one-paragraph answer in our own mrkdwn. */
export function buildCommandReply(textMrkdwn: string): SlackMessage {
  return composeMessage(textMrkdwn, [section(textMrkdwn)]);
}

/** Why the command was refused or could not run (our own mrkdwn, e.g. an AppError's userMessage). */
export function buildCommandRefused(textMrkdwn: string): SlackMessage {
  const text = `⚠️ ${textMrkdwn.trim()}`;
  return composeMessage(text, [section(text)]);
}

export interface ShiftStatusInput {
  userId: string;
  onShift: { userId: string; since: Date; openCount: number }[];
  now: Date;
}

/** Who is on shift, longest first, with their open conversations. */
export function buildShiftStatus(input: ShiftStatusInput): SlackMessage {
  const mine = input.onShift.find((a) => a.userId === input.userId);
  const you = mine
    ? `You are on shift since ${slackDateTime(mine.since)} (${formatElapsed(mine.since, input.now)}).`
    : 'You are off shift. `/shift on` starts your shift.';
  const blocks: KnownBlock[] = [section(`*On shift (${input.onShift.length})*`)];
  if (input.onShift.length === 0) {
    blocks.push(context(['Nobody is on shift: automatic routing leaves new conversations unassigned.']));
  } else {
    // One section holds 3000 characters: at ~90 per line that is 30 people, more than the teams we serve.
    const lines = input.onShift.map(
      (a) => `• ${mention(a.userId)} since ${slackDateTime(a.since)} (${formatElapsed(a.since, input.now)})  ·  ${a.openCount} open`,
    );
    blocks.push(section(lines.join('\n')));
  }
  blocks.push(context([you]));
  return composeMessage(`${input.onShift.length} on shift. ${you}`, blocks);
}

export function buildThreadlineHelp(): SlackMessage {
  const lines = [
    '*threadline commands*',
    '• `/queue [mine | unassigned | all | @user]`: open conversations, oldest first, with Claim buttons',
    '• `/queue digest`: post the daily digest now (managers and admins)',
    '• `/shift on | off | status`: start or end your shift, or see who is on shift',
    '• `/handoff [@user | pool]`: hand your conversations to a teammate or back to the pool',
    '• `/threadline role @user agent|manager|admin`: set a teammate’s role (admins)',
    '• `/threadline routing manual|round_robin|least_open`: how this channel assigns new conversations (admins)',
    '• `/threadline timeouts <remind-min> <release-min> | default`: when an owner who has not replied is reminded, and when the conversation is taken back (admins)',
    '• `/threadline inbox [retry <id> | retry all]`: webhooks waiting or parked, and sending parked ones through again (managers and admins)',
    '• `/threadline replies [add Title | Text | edit <id> Title | Text | remove <id>]`: the team’s saved replies, `{customer_name}` and `{agent_name}` filled in when sent (managers and admins change them)',
    '• `/threadline help`: this list',
  ];
  return buildCommandReply(lines.join('\n'));
}
