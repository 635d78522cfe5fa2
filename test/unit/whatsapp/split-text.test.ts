import { WHATSAPP_TEXT_LIMIT, splitForWhatsApp } from '../../../src/whatsapp/split-text';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });

/** The invariants every split must keep, whatever the input. */
function expectWellFormed(parts: string[], input: string, limit: number): void {
  for (const part of parts) {
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThanOrEqual(limit);
    expect(part.trim()).not.toBe('');
    expect(part).not.toMatch(LONE_SURROGATE);
  }
  expect(parts.join('').replace(/\s+/g, '')).toBe(input.replace(/\s+/g, ''));
}

function sentence(i: number): string {
  return `Sentence number ${i} talks about the order and its delivery window.`;
}

describe('splitForWhatsApp', () => {
  it('defaults to the 4,096-character WhatsApp text limit', () => {
    expect(WHATSAPP_TEXT_LIMIT).toBe(4096);
    expect(splitForWhatsApp('a'.repeat(4096))).toHaveLength(1);
    expect(splitForWhatsApp('a'.repeat(4097))).toHaveLength(2);
  });

  it('returns short text unchanged as one part', () => {
    expect(splitForWhatsApp('  Hello!\n')).toEqual(['  Hello!\n']);
  });

  it('returns no parts for empty or blank text', () => {
    expect(splitForWhatsApp('')).toEqual([]);
    expect(splitForWhatsApp(' \n\t ')).toEqual([]);
  });

  it('keeps text of exactly the limit in one part', () => {
    const text = `${'word '.repeat(819)}a`;
    expect(text.length).toBe(4096);
    expect(splitForWhatsApp(text)).toEqual([text]);
  });

  it('splits text one over the limit at the last word boundary', () => {
    const text = `${'word '.repeat(819)}ab`;
    expect(text.length).toBe(4097);
    const parts = splitForWhatsApp(text);
    expect(parts).toEqual([`${'word '.repeat(818)}word`, 'ab']);
  });

  it('prefers a paragraph break over later line and sentence breaks', () => {
    const text = 'First paragraph.\n\nSecond line one.\nSecond line two. More words here';
    expect(splitForWhatsApp(text, 40)).toEqual(['First paragraph.', 'Second line one.', 'Second line two. More words here']);
  });

  it('prefers a line break over a sentence end', () => {
    expect(splitForWhatsApp('Line one\nstill line two. And then more text', 30)).toEqual([
      'Line one',
      'still line two.',
      'And then more text',
    ]);
  });

  it('prefers a sentence end over a later space', () => {
    expect(splitForWhatsApp('Short one. Then a much longer sentence', 25)).toEqual([
      'Short one.',
      'Then a much longer',
      'sentence',
    ]);
  });

  it('splits 10,000 characters of prose into full parts at sentence ends', () => {
    let text = '';
    for (let i = 0; text.length < 10_000; i += 1) text += `${sentence(i)} `;
    text = text.trimEnd();
    const parts = splitForWhatsApp(text);
    expect(parts).toHaveLength(3);
    expectWellFormed(parts, text, 4096);
    for (const part of parts.slice(0, -1)) {
      expect(part.endsWith('window.')).toBe(true);
      expect(part.length).toBeGreaterThan(4096 - sentence(999).length - 1);
    }
  });

  it('hard-cuts a single 9,000-character word into full-length pieces', () => {
    const word = 'x'.repeat(9000);
    const parts = splitForWhatsApp(word);
    expect(parts.map((p) => p.length)).toEqual([4096, 4096, 808]);
    expect(parts.join('')).toBe(word);
  });

  it('hard-cuts a long word in the middle of prose only where the word is', () => {
    const text = `Intro words. ${'y'.repeat(50)} outro`;
    expect(splitForWhatsApp(text, 30)).toEqual(['Intro words.', 'y'.repeat(30), `${'y'.repeat(20)} outro`]);
  });

  it('never splits a surrogate pair at the boundary', () => {
    const text = `${'a'.repeat(4095)}😀tail`;
    const parts = splitForWhatsApp(text);
    expect(parts).toEqual(['a'.repeat(4095), '😀tail']);
    expectWellFormed(parts, text, 4096);
  });

  it.each([
    ['a ZWJ family', '👨‍👩‍👧‍👦'],
    ['a flag', '🇪🇸'],
    ['a skin-tone emoji', '👍🏽'],
    ['a combining accent', 'e\u0301'],
  ])('never splits %s straddling the limit', (_case, cluster) => {
    const text = `${'b'.repeat(9)}${cluster}${'c'.repeat(9)}`;
    const limit = 9 + cluster.length - 1;
    const parts = splitForWhatsApp(text, limit);
    expectWellFormed(parts, text, limit);
    const pieces = parts.flatMap((part) => Array.from(graphemes.segment(part), (s) => s.segment));
    expect(pieces).toContain(cluster);
  });

  it('cuts text without spaces (Japanese) at word boundaries rather than mid-word', () => {
    const text = '東京都に住んでいます'.repeat(3);
    const boundaries = new Set(Array.from(words.segment(text), (s) => s.index));
    const parts = splitForWhatsApp(text, 11);
    expectWellFormed(parts, text, 11);
    let offset = 0;
    for (const part of parts.slice(0, -1)) {
      offset += part.length;
      expect(boundaries.has(offset)).toBe(true);
    }
  });

  it('handles CRLF line endings without leaving a stray carriage return', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Line ${i} of the message`).join('\r\n');
    const parts = splitForWhatsApp(text, 100);
    expectWellFormed(parts, text, 100);
    for (const part of parts) {
      expect(part.startsWith('\n')).toBe(false);
      expect(part.endsWith('\r')).toBe(false);
    }
    expect(parts.join('\r\n')).toBe(text);
  });

  it('keeps the indentation of the line that starts a new part', () => {
    expect(splitForWhatsApp('Steps:\n  1. open the app\n  2. tap settings', 25)).toEqual([
      'Steps:\n  1. open the app',
      '  2. tap settings',
    ]);
  });

  it('drops blank runs at a cut instead of sending a blank part', () => {
    const text = `${'a'.repeat(10)}${' '.repeat(30)}${'b'.repeat(10)}`;
    expect(splitForWhatsApp(text, 12)).toEqual(['a'.repeat(10), 'b'.repeat(10)]);
  });

  it('refuses a limit too small to hold a surrogate pair', () => {
    expect(() => splitForWhatsApp('abc', 1)).toThrow(RangeError);
  });
});
