/**
 * Customer text from WhatsApp → Slack mrkdwn. The inline styles are the same on both sides (slack.md §6.2), so
 * the work is escaping and the few line-level differences.
 */

const CODE_FENCE = '```';

/** WhatsApp quotes need "> " at the start of a line; Slack reads a leading ">" the same way (slack.md §6.2). */
const QUOTE_MARKER = /^> /;

/** WhatsApp bullets "* item"; in Slack a leading "*" would start bold, so it becomes "•" (slack.md §6.2). */
const STAR_BULLET = /^(\s*)\* /;

export function whatsappToMrkdwn(text: string): string {
  let insideCodeBlock = false;
  return text
    .split('\n')
    .map((line) => {
      const converted = insideCodeBlock ? escapeMrkdwn(line) : convertProseLine(line);
      if (countOccurrences(line, CODE_FENCE) % 2 === 1) insideCodeBlock = !insideCodeBlock;
      return converted;
    })
    .join('\n');
}

/**
 * Slack's only escapes: `&`, `<`, `>` — and never HTML-encode the rest (slack.md §5, §6.2). Escaping `<` is what
 * defuses `<!channel>` or `<@U…>` typed by a customer: Slack parses those only in their raw form.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}

function convertProseLine(line: string): string {
  // The quote marker stays a raw ">" so Slack renders a quote; with every "<" escaped it cannot close a
  // control sequence, so leaving it unescaped is safe.
  if (QUOTE_MARKER.test(line)) return `> ${escapeMrkdwn(line.slice(2))}`;
  const bullet = STAR_BULLET.exec(line);
  if (bullet) return `${bullet[1] ?? ''}• ${escapeMrkdwn(line.slice(bullet[0].length))}`;
  return escapeMrkdwn(line);
}

function countOccurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
