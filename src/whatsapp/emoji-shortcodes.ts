import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Slack's `:shortcode:` names → Unicode, from iamcal's emoji-data (the `emoji-datasource` package), the dataset
 * Slack's own names come from (`:+1:`, `:flag-de:`, `:skin-tone-3:`). WhatsApp shows Unicode only, so a shortcode
 * left as typed arrives as literal text (slack.md §6.2). Only emoji.json is read; the package's sprite sheets are
 * not used (the Docker image drops them).
 */

const EmojiEntry = z.object({
  unified: z.string(),
  short_names: z.array(z.string()),
  skin_variations: z.record(z.string(), z.object({ unified: z.string() })).optional(),
});

interface Emoji {
  text: string;
  /** By skin tone modifier code point ("1F3FB" … "1F3FF"): the sequence for that tone. */
  tones?: Map<string, string>;
}

/** Slack writes a tone as a second shortcode right after the emoji: `:+1::skin-tone-3:` (2 = light … 6 = dark). */
const TONE_BY_NAME: ReadonlyMap<string, string> = new Map([
  ['skin-tone-2', '1F3FB'],
  ['skin-tone-3', '1F3FC'],
  ['skin-tone-4', '1F3FD'],
  ['skin-tone-5', '1F3FE'],
  ['skin-tone-6', '1F3FF'],
]);

let table: Map<string, Emoji> | undefined;

function fromUnified(unified: string): string {
  return String.fromCodePoint(...unified.split('-').map((hex) => Number.parseInt(hex, 16)));
}

/** Read once, on the first reply that has a shortcode: 1.3 MB of JSON become a map of a few thousand names. */
function loadTable(): Map<string, Emoji> {
  const parsed = z.array(z.unknown()).parse(JSON.parse(readFileSync(require.resolve('emoji-datasource/emoji.json'), 'utf8')));
  const map = new Map<string, Emoji>();
  for (const raw of parsed) {
    const entry = EmojiEntry.safeParse(raw);
    if (!entry.success) continue;
    const tones = entry.data.skin_variations
      ? new Map(Object.entries(entry.data.skin_variations).filter(([tone]) => !tone.includes('-')).map(([tone, v]) => [tone, fromUnified(v.unified)]))
      : undefined;
    const emoji: Emoji = { text: fromUnified(entry.data.unified), ...(tones && tones.size > 0 ? { tones } : {}) };
    for (const name of entry.data.short_names) map.set(name, emoji);
  }
  return map;
}

/** The emoji for a shortcode name, with a skin tone name when one followed it; undefined for names Slack invented per workspace. */
export function lookupShortcode(name: string, toneName?: string): { text: string; usedTone: boolean } | undefined {
  table ??= loadTable();
  const emoji = table.get(name);
  if (!emoji) return undefined;
  const tone = toneName ? TONE_BY_NAME.get(toneName) : undefined;
  const toned = tone ? emoji.tones?.get(tone) : undefined;
  return toned ? { text: toned, usedTone: true } : { text: emoji.text, usedTone: false };
}
