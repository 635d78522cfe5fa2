import { scrubErrorMessage } from './log-privacy';

/**
 * Postgres `text` cannot hold U+0000 and `jsonb` rejects `\u0000` and lone surrogates (UTF-16 halves without their
 * pair), yet both are valid in the JSON Meta and Slack send us. Everything that crosses from a payload into a
 * column goes through here first; the raw bytes are kept separately (webhook_inbox.raw, bytea) so nothing is lost.
 */

/** What replaces a NUL: the visible "symbol for null", so the team sees that something was there. */
export const NUL_MARKER = '\u2400';
/** What replaces a lone surrogate: Unicode's replacement character. */
export const SURROGATE_MARKER = '\uFFFD';
/** Deeper than any Meta payload (about 6 levels); past it a subtree is replaced so recursion stays bounded. */
export const MAX_DEPTH = 64;
export const TOO_DEEP_MARKER = '[nested too deep to store]';

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface Sanitized<T> {
  value: T;
  /** How many characters or subtrees were replaced (0: stored exactly as it arrived). */
  replaced: number;
}

export function pgSafeString(value: string): Sanitized<string> {
  let replaced = 0;
  const out = value.replace(UNSAFE, (ch) => {
    replaced += 1;
    return ch === '\u0000' ? NUL_MARKER : SURROGATE_MARKER;
  });
  return { value: out, replaced };
}

/**
 * A copy of a parsed JSON value that Postgres text and jsonb accept: strings and keys cleaned, depth bounded.
 * Objects are rebuilt with `Object.fromEntries`, which defines keys such as `__proto__` as plain data.
 */
export function pgSafeJson(value: unknown): Sanitized<unknown> {
  let replaced = 0;
  const clean = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const s = pgSafeString(v);
      replaced += s.replaced;
      return s.value;
    }
    if (v === null || typeof v !== 'object') return v;
    if (depth >= MAX_DEPTH) {
      replaced += 1;
      return TOO_DEEP_MARKER;
    }
    if (Array.isArray(v)) return v.map((x) => clean(x, depth + 1));
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => {
        const key = pgSafeString(k);
        replaced += key.replaced;
        return [key.value, clean(x, depth + 1)];
      }),
    );
  };
  return { value: clean(value, 0), replaced };
}

/**
 * Text for bookkeeping columns (last errors, reasons): cleaned and capped, so recording a failure can never fail on
 * the data that caused it. Takes anything, since a thrown value need not be an Error.
 */
export function pgSafeMessage(err: unknown, max = 1000): string {
  let text: string;
  try {
    // The driver's own error, not drizzle's "Failed query: … params: …" wrapper: the parameters are customer data.
    let root = err;
    for (let i = 0; i < 5 && root instanceof Error && root.cause instanceof Error; i++) root = root.cause;
    const code = (root as { code?: unknown } | undefined)?.code;
    text =
      root instanceof Error
        ? `${root.name}${typeof code === 'string' ? ` ${code}` : ''}: ${scrubErrorMessage(root.message, code)}`
        : scrubErrorMessage(String(root));
  } catch {
    text = 'an error that could not be described';
  }
  // Cut on a code point boundary: slicing between a surrogate pair would create a new lone half.
  const clean = pgSafeString(text.slice(0, max * 2)).value;
  return Array.from(clean).slice(0, max).join('');
}
