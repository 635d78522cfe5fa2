import type { InboxRow } from '../../db/queries/webhook-inbox';
import { pgSafeJson } from '../pg-safe';
import { parseWebhook } from '../whatsapp/webhook-parse';
import type { WebhookItem } from '../whatsapp/webhook-types';

export interface DecodedRow {
  id: number;
  items: WebhookItem[];
  /** Characters replaced so Postgres could hold them (NUL, lone surrogates, invalid UTF-8), subtrees cut at depth. */
  replaced: number;
}

/**
 * A stored POST's bytes as items: decoded, parsed, and made storable at this boundary (pg-safe.ts); the bytes
 * themselves stay in the inbox row, so what arrived is never lost to the cleaning. Never throws.
 */
export function decodeInboxRow(row: InboxRow): DecodedRow {
  const text = row.raw.toString('utf8');
  // Invalid UTF-8 became U+FFFD while decoding: count it, so the row is kept past retention with its true bytes.
  const invalidUtf8 = Buffer.byteLength(text, 'utf8') !== row.raw.length || text.includes('\uFFFD') ? 1 : 0;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Checked before it was stored; should it ever happen, the row becomes one unknown item that says so.
    json = { unparsable: text.slice(0, 2000) };
  }
  const safe = pgSafeJson(json);
  return { id: row.id, items: parseWebhook(safe.value).items, replaced: safe.replaced + invalidUtf8 };
}
