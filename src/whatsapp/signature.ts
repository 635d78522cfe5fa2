/**
 * Meta's `X-Hub-Signature-256` check. Meta signs the body as it sends it: JSON with every non-ASCII character
 * escaped as `\u00e9`-style escapes (lowercase hex), so the HMAC must run over the raw bytes before any JSON parsing —
 * re-serialising breaks it on `/`, `@` or accents (reference/whatsapp.md §1.2).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_HEADER_PATTERN = /^sha256=([0-9a-f]{64})$/;

export function verifyMetaSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  // An empty secret would make the HMAC forgeable by anyone, so it never verifies.
  if (appSecret === '' || header === undefined) return false;
  const match = SIGNATURE_HEADER_PATTERN.exec(header);
  if (!match?.[1]) return false;
  const expected = Buffer.from(match[1], 'hex');

  if (matchesHmac(rawBody, appSecret, expected)) return true;
  // An intermediary (proxy, framework) may have decoded the `\u` escapes; re-escaping restores Meta's form
  // (reference/whatsapp.md §1.2). Only worth trying when the body holds non-ASCII bytes at all.
  if (!containsNonAsciiByte(rawBody)) return false;
  return matchesHmac(Buffer.from(escapeNonAscii(rawBody.toString('utf8')), 'utf8'), appSecret, expected);
}

/**
 * Escapes every non-ASCII UTF-16 code unit as lowercase `\u00e9`-style escapes, the form Meta signs (reference/whatsapp.md
 * §1.2). Characters outside the BMP come out as two escapes (a surrogate pair), exactly as JSON writes them.
 */
export function escapeNonAscii(text: string): string {
  let escaped = '';
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    escaped += unit > 0x7f ? `\\u${unit.toString(16).padStart(4, '0')}` : text.charAt(i);
  }
  return escaped;
}

function matchesHmac(body: Buffer, appSecret: string, expected: Buffer): boolean {
  const actual = createHmac('sha256', appSecret).update(body).digest();
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function containsNonAsciiByte(body: Buffer): boolean {
  return body.some((byte) => byte > 0x7f);
}
