import type { HandoffTarget } from '../../blocks/types';
import { ESCAPED_CHANNEL_MENTION, ESCAPED_USER_MENTION } from '../ids';

/**
 * `/handoff [@user | pool | #channel | from @a [to @b | pool | #channel]]`. The manifest sets should_escape, so Slack
 * sends mentions as `<@U123|name>` and channels as `<#C123|name>` (slack.md §3); a bare "@name" means Slack did
 * not recognise the person.
 */

export type HandoffCommand =
  | { ok: true; fromUserId?: string | undefined; target?: HandoffTarget | undefined }
  | { ok: false; message: string };

export const HANDOFF_USAGE =
  'Usage: `/handoff` (pick in a form), `/handoff @person`, `/handoff pool`, `/handoff #channel`, or — managers and admins — `/handoff from @ana to @bruno`.';

const USER = ESCAPED_USER_MENTION;
const CHANNEL = ESCAPED_CHANNEL_MENTION;

export function parseHandoffCommand(text: string): HandoffCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { ok: true };
  const first = words[0]?.toLowerCase();
  if (first === 'help') return { ok: false, message: HANDOFF_USAGE };
  if (first === 'from') {
    const from = parseUser(words[1]);
    if (!from.ok) return from;
    if (words.length === 2) return { ok: true, fromUserId: from.userId };
    if (words[2]?.toLowerCase() !== 'to' || words.length !== 4) return { ok: false, message: HANDOFF_USAGE };
    const target = parseTarget(words[3]);
    if (!target.ok) return target;
    if (target.target.kind === 'user' && target.target.userId === from.userId) {
      return { ok: false, message: 'That is the same person twice: pick someone else to hand off to.' };
    }
    return { ok: true, fromUserId: from.userId, target: target.target };
  }
  const rest = first === 'to' ? words.slice(1) : words;
  if (rest.length !== 1) return { ok: false, message: HANDOFF_USAGE };
  const target = parseTarget(rest[0]);
  return target.ok ? { ok: true, target: target.target } : target;
}

function parseUser(word: string | undefined): { ok: true; userId: string } | { ok: false; message: string } {
  const match = word ? USER.exec(word) : null;
  if (match?.[1]) return { ok: true, userId: match[1] };
  if (word?.startsWith('@')) return { ok: false, message: `I do not know ${word}. Pick the person from Slack's suggestions as you type.` };
  return { ok: false, message: HANDOFF_USAGE };
}

function parseTarget(word: string | undefined): { ok: true; target: HandoffTarget } | { ok: false; message: string } {
  if (word?.toLowerCase() === 'pool') return { ok: true, target: { kind: 'pool' } };
  const channel = word ? CHANNEL.exec(word) : null;
  if (channel?.[1]) return { ok: true, target: { kind: 'channel', channelId: channel[1] } };
  const user = parseUser(word);
  return user.ok ? { ok: true, target: { kind: 'user', userId: user.userId } } : user;
}
