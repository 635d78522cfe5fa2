/**
 * Text helpers for Slack mrkdwn: escaping, cutting to Slack's limits without breaking what Slack parses, and the
 * `<!date^…>` token. Lengths are measured in UTF-16 code units, which is never fewer than Slack's count whatever unit
 * Slack counts in. Truncation cuts on grapheme boundaries, so an emoji is never split; splitting prefers line breaks
 * and spaces and, in a run without either, cuts between code points.
 */

export const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Slack treats only `& < >` as control characters; nothing else may be entity-encoded (slack.md §6.2). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack mrkdwn has no escape for its formatting characters (slack.md §6.2: only `& < >` may be encoded), so a name
 * like "*Star* Shop" or "ana_b_" inside `*…*` turns bold or italics on and off. Text that must read literally (a
 * customer's name, a button they tapped) gets look-alike characters that Slack does not parse instead.
 */
const FORMATTING_LOOKALIKES: Record<string, string> = {
  '*': '\u2217', // ∗ ASTERISK OPERATOR
  _: '\u02CD', // ˍ MODIFIER LETTER LOW MACRON
  '~': '\u223C', // ∼ TILDE OPERATOR
  '`': '\u02CB', // ˋ MODIFIER LETTER GRAVE ACCENT
};

/** Text shown exactly as written inside mrkdwn: `& < >` escaped and no formatting character left to parse. */
export function literalMrkdwn(text: string): string {
  return escapeMrkdwn(text).replace(/[*_~`]/g, (ch) => FORMATTING_LOOKALIKES[ch] ?? ch);
}

/** Cuts plain text to at most `max` units, ending with "…" when something was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  return cutAtGrapheme(text, max - ELLIPSIS.length).trimEnd() + ELLIPSIS;
}

/**
 * Cuts mrkdwn like truncate, but never inside an entity (`&amp;`) or a `<…>` token (link, mention, date), which
 * Slack would otherwise show as broken markup.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  return dropOpenToken(cutAtGrapheme(text, max - ELLIPSIS.length)).trimEnd() + ELLIPSIS;
}

/**
 * Splits mrkdwn into chunks of at most `max` units (a section holds 3000, slack.md §5), preferring line breaks, then
 * spaces, and never inside an entity or `<…>` token shorter than a chunk.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const end = pickBreak(rest, max);
    const chunk = rest.slice(0, end).trimEnd();
    if (chunk) chunks.push(chunk);
    rest = rest.slice(end).replace(/^[ \n]/, '');
  }
  if (rest.trim()) chunks.push(rest);
  return chunks;
}

/** One line of plain text for a notice: whitespace collapsed, cut to `max`, then escaped. */
export function makeSnippet(text: string, max = 150): string {
  return escapeMrkdwn(truncate(text.replace(/\s+/g, ' ').trim(), max));
}

/** Collapses line breaks in mrkdwn that goes on one line (a leading `>` would otherwise start a quote). */
export function flattenMrkdwn(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `<@U…>` for a Slack user id; anything that is not an id shape is shown escaped, never parsed. */
export function mention(userId: string): string {
  return /^[UWB][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/**
 * A mrkdwn link. Only http(s) URLs become links; `|` would end the URL inside `<url|label>` and `& < >` must be
 * escaped inside it (slack.md §6.2). `labelMrkdwn` must already be mrkdwn.
 */
export function link(url: string | undefined, labelMrkdwn: string): string {
  const trimmed = url?.trim();
  if (!trimmed || !/^https?:\/\/[^\s]+$/i.test(trimmed)) return labelMrkdwn;
  return `<${escapeMrkdwn(trimmed).replace(/\|/g, '%7C')}|${labelMrkdwn}>`;
}

/**
 * Slack's date token: each reader sees the time in their own zone; `fallback` shows where the token cannot be
 * rendered (notifications, old clients) and is given in UTC.
 */
export function slackDate(date: Date, format: string, fallback: string): string {
  const seconds = Math.floor(date.getTime() / 1000);
  if (!Number.isFinite(seconds)) return escapeMrkdwn(fallback);
  return `<!date^${seconds}^${format}|${escapeMrkdwn(fallback)}>`;
}

/** "14:05" in each reader's zone; fallback "14:05 UTC". */
export function slackTime(date: Date): string {
  return slackDate(date, '{time}', `${formatUtcTime(date)} UTC`);
}

/** "Nov 2 14:05" (or "today 14:05") in each reader's zone; fallback "Nov 2, 2026 14:05 UTC". */
export function slackDateTime(date: Date): string {
  return slackDate(date, '{date_short_pretty} {time}', `${formatUtcDay(date)} ${formatUtcTime(date)} UTC`);
}

/** "Nov 2" (or "yesterday") in each reader's zone; fallback "Nov 2, 2026". */
export function slackDay(date: Date): string {
  return slackDate(date, '{date_short_pretty}', formatUtcDay(date));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatUtcTime(date: Date): string {
  if (Number.isNaN(date.getTime())) return '??:??';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

export function formatUtcDay(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'an unknown day';
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
}

function cutAtGrapheme(text: string, budget: number): string {
  let out = '';
  // Segmenting costs time in the length of the whole input; a cluster crossing the slice end is past budget anyway.
  for (const { segment } of graphemes.segment(text.slice(0, budget + 64))) {
    if (out.length + segment.length > budget) break;
    out += segment;
  }
  return out;
}

function dropOpenToken(text: string): string {
  let out = text;
  const lt = out.lastIndexOf('<');
  if (lt > out.lastIndexOf('>')) out = out.slice(0, lt);
  const amp = out.lastIndexOf('&');
  // The longest entity we emit is "&amp;"; a cut one is at most 4 units long.
  if (amp > out.lastIndexOf(';') && out.length - amp < 5) out = out.slice(0, amp);
  return out;
}

function pickBreak(text: string, max: number): number {
  const head = text.slice(0, max);
  for (const separator of ['\n', ' ']) {
    for (let i = head.lastIndexOf(separator); i >= max / 2; i = head.lastIndexOf(separator, i - 1)) {
      const prefix = head.slice(0, i);
      if (dropOpenToken(prefix) === prefix) return i + 1;
    }
  }
  const clean = dropOpenToken(head);
  // A token longer than half a chunk is cut anyway: a chunk may not exceed the limit.
  const end = clean.length >= max / 2 ? clean.length : max;
  const code = head.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff && end > 1 ? end - 1 : end;
}
