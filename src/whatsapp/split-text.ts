/**
 * Splits a long reply into WhatsApp text messages of at most 4,096 characters each (reference/whatsapp.md §5).
 *
 * Length is counted in UTF-16 code units (JavaScript `string.length`). Meta does not say how it counts; code
 * units are the larger of the plausible counts (an emoji is 2 units but 1 code point), so staying under the
 * limit in units stays under it whichever way Meta counts.
 */

export const WHATSAPP_TEXT_LIMIT = 4096;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });

const PARAGRAPH_BREAK = /\r?\n[^\S\r\n]*\r?\n/g;
const LINE_BREAK = /\r?\n/g;
/** Sentence end: punctuation (plus closing quotes/brackets) before whitespace, or a CJK full stop. */
const SENTENCE_END = /[.!?…]+["'”’)\]]*(?=\s)|[。！？]+/g;
const WHITESPACE = /\s/g;

/**
 * Cuts in order of preference at paragraph, line, sentence and word boundaries, and hard-cuts only a single
 * word longer than the limit — at a grapheme boundary, so no emoji or accented letter is torn apart. The
 * whitespace at each cut point is dropped; no part is empty or blank.
 */
export function splitForWhatsApp(text: string, limit: number = WHATSAPP_TEXT_LIMIT): string[] {
  if (!Number.isInteger(limit) || limit < 2) throw new RangeError(`limit must be an integer ≥ 2, got ${limit}`);
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const part = rest.slice(0, cut).trimEnd();
    if (part !== '') parts.push(part);
    rest = dropLeadingBreak(rest.slice(cut));
  }
  if (rest.trim() !== '') parts.push(rest);
  return parts;
}

/** Index in [1, limit] to cut `text` at. */
function findCut(text: string, limit: number): number {
  // One unit past the limit: a separator that starts exactly at `limit` still gives a full-length part.
  const window = text.slice(0, limit + 1);
  // A cut before the first visible character would leave a blank part.
  const firstContent = window.search(/\S/);
  const range = { min: firstContent === -1 ? Infinity : firstContent + 1, max: limit };
  return (
    lastSeparatorStart(window, PARAGRAPH_BREAK, range) ??
    lastSeparatorStart(window, LINE_BREAK, range) ??
    lastSentenceEnd(window, range) ??
    lastSeparatorStart(window, WHITESPACE, range) ??
    lastWordBoundary(window, range) ??
    lastGraphemeBoundary(window, limit)
  );
}

/** Allowed cut positions: after the first visible character, at most the limit. */
interface CutRange {
  min: number;
  max: number;
}

function isInRange(index: number, range: CutRange): boolean {
  return index >= range.min && index <= range.max;
}

function lastSeparatorStart(window: string, separator: RegExp, range: CutRange): number | undefined {
  let best: number | undefined;
  for (const match of window.matchAll(separator)) {
    if (isInRange(match.index, range)) best = match.index;
  }
  return best;
}

function lastSentenceEnd(window: string, range: CutRange): number | undefined {
  let best: number | undefined;
  for (const match of window.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    if (isInRange(end, range)) best = end;
  }
  return best;
}

/** For scripts written without spaces (Chinese, Japanese, Thai), where words have no whitespace between them. */
function lastWordBoundary(window: string, range: CutRange): number | undefined {
  let best: number | undefined;
  for (const segment of words.segment(window)) {
    if (segment.index > range.max) break;
    if (isInRange(segment.index, range)) best = segment.index;
  }
  return best;
}

function lastGraphemeBoundary(window: string, limit: number): number {
  let best: number | undefined;
  for (const segment of graphemes.segment(window)) {
    if (segment.index > limit) break;
    if (segment.index > 0) best = segment.index;
  }
  if (best !== undefined) return best;
  // A single grapheme longer than the limit (thousands of combining marks): cut between code points instead.
  return isHighSurrogate(window.charCodeAt(limit - 1)) ? limit - 1 : limit;
}

/** Drops the separator at a cut: the line break(s) before the next line (keeping its indentation), or spaces. */
function dropLeadingBreak(text: string): string {
  const leading = /^\s*/.exec(text)?.[0] ?? '';
  const lastNewline = leading.lastIndexOf('\n');
  return text.slice(lastNewline === -1 ? leading.length : lastNewline + 1);
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
