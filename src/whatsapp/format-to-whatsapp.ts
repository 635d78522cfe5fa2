/**
 * An agent's Slack mrkdwn reply → WhatsApp text. Bold, italic, strike, code and quotes are written the same on
 * both sides and pass through; what WhatsApp lacks — angle-bracket links and mentions, entity escapes,
 * `:shortcode:` emoji — is turned into plain text (slack.md §6.2).
 */

import { lookupShortcode } from './emoji-shortcodes';

export interface MentionNames {
  /** Display name for a Slack user id, when the caller resolved it (see mentionedUserIds). */
  user(id: string): string | undefined;
  channel?(id: string): string | undefined;
}

/**
 * Code first, so code keeps its `:colons:` (Slack does not render emoji in code), then `<…>` control sequences.
 * A literal "<" is always sent as `&lt;` (slack.md §5), so any raw `<…>` is a control sequence.
 */
const CODE_OR_CONTROL = /```[\s\S]*?```|`[^`\n]+`|<[^<>]*>/g;
const CONTROL_SEQUENCE = /<[^<>]*>/g;
const USER_MENTION = /<@([A-Z0-9]+)(?:\|[^<>]*)?>/g;
const BROADCASTS: ReadonlySet<string> = new Set(['here', 'channel', 'everyone']);

export function mrkdwnToWhatsApp(text: string, names: MentionNames): string {
  return replaceMatches(text, CODE_OR_CONTROL, convertProse, (match) =>
    match.startsWith('<') ? renderControl(match.slice(1, -1), names) : convertCode(match, names),
  );
}

/** Slack user ids mentioned in the text, in order and without repeats, so the caller can resolve names first. */
export function mentionedUserIds(mrkdwn: string): string[] {
  return [...new Set(Array.from(mrkdwn.matchAll(USER_MENTION), (m) => m[1] ?? ''))].filter((id) => id !== '');
}

/**
 * `&amp;` `&lt;` `&gt;` in one pass, so an escaped escape (`&amp;lt;`) becomes the literal `&lt;` the agent
 * typed rather than `<` (slack.md §5).
 */
export function unescapeMrkdwn(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_entity, name: string) =>
    name === 'amp' ? '&' : name === 'lt' ? '<' : '>',
  );
}

function convertProse(text: string): string {
  return unescapeMrkdwn(replaceShortcodes(text));
}

function convertCode(code: string, names: MentionNames): string {
  return replaceMatches(code, CONTROL_SEQUENCE, unescapeMrkdwn, (match) => renderControl(match.slice(1, -1), names));
}

function renderControl(inner: string, names: MentionNames): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : unescapeMrkdwn(inner.slice(bar + 1));
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `@${names.user(id) ?? stripAt(label) ?? 'someone'}`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    // Slack may send a channel mention with an empty label (`<#C1|>`); a bare "#" would mean nothing to the customer.
    const name = names.channel?.(id) || label;
    return name ? `#${name}` : 'a channel';
  }
  if (target.startsWith('!')) return renderSpecial(target.slice(1), label);
  return renderLink(unescapeMrkdwn(target), label);
}

/**
 * `<!here>`, `<!subteam^S1|@team>`, `<!date^…|fallback>` (slack.md §6.2). A customer is not in the channel, so
 * "@here" would be Slack jargon to them: broadcasts read "everyone", a user group by its name.
 */
function renderSpecial(command: string, label: string | undefined): string {
  if (BROADCASTS.has(command)) return 'everyone';
  if (command.startsWith('subteam^')) return stripAt(label) ?? 'the team';
  return label ?? '';
}

/** WhatsApp has no link labels, only bare URLs it links itself (slack.md §6.2): `label (url)`. */
function renderLink(url: string, label: string | undefined): string {
  const shown = url.startsWith('mailto:') ? url.slice('mailto:'.length) : url;
  if (label === undefined || label === '') return shown;
  const withoutScheme = url.replace(/^[a-z][a-z0-9+.-]*:(\/\/)?/i, '');
  if (label === url || label === shown || label === withoutScheme) return label;
  return `${label} (${shown})`;
}

function stripAt(label: string | undefined): string | undefined {
  const name = label?.replace(/^@/, '');
  return name === '' ? undefined : name;
}

/** Runs `onMatch` on every match of `pattern` and `onGap` on the text between matches. */
function replaceMatches(
  text: string,
  pattern: RegExp,
  onGap: (gap: string) => string,
  onMatch: (match: string) => string,
): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out += onGap(text.slice(last, match.index)) + onMatch(match[0]);
    last = match.index + match[0].length;
  }
  return out + onGap(text.slice(last));
}

/**
 * Shortcodes from Slack's full set (emoji-shortcodes.ts); a tone written after an emoji (`:wave::skin-tone-4:`)
 * joins it. Unknown shortcodes (a workspace's custom emoji) stay as typed; their closing colon may open the next
 * one (`:a::smile:`).
 */
function replaceShortcodes(text: string): string {
  // Not straight after a letter or digit: "a:b:" or "10:30:" is text, not the 🅱️ or a name.
  const pattern = /(?<![A-Za-z0-9]):([a-z0-9_+'-]+):(?::(skin-tone-[2-6]):)?/g;
  let out = '';
  let last = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const [whole, name = '', tone] = match;
    const emoji = lookupShortcode(name, tone);
    if (emoji === undefined) {
      pattern.lastIndex = match.index + name.length + 1;
      continue;
    }
    const toneText = tone && !emoji.usedTone ? (lookupShortcode(tone)?.text ?? '') : '';
    out += text.slice(last, match.index) + emoji.text + toneText;
    last = match.index + whole.length;
  }
  return out + text.slice(last);
}
