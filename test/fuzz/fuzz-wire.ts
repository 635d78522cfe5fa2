import type { Json } from './nasty-values';

/**
 * From a generated input to the bytes sent: runtime ids filled in (`@@name:n` picks the nth known id of that kind,
 * wrapping), deep nesting written out (`"@@deep:n:kind"`, string quotes included, becomes n levels of arrays or
 * objects), and what the leak check must later not find in the logs collected on the way.
 */

/** Known ids by kind, or a function for ids made fresh per use (timestamps). */
export type IdPools = Record<string, readonly string[] | ((n: number) => string)>;

const DEEP = /"@@deep:(\d+):([ao])"/g;
const REF = /@@([a-z]+):(\d+)/g;

function nested(depth: number, kind: string): string {
  return kind === 'a' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`;
}

/** Replaces the placeholders in JSON text (or any text: form fields, query strings). Unknown names stay as they are. */
export function resolvePlaceholders(text: string, pools: IdPools): string {
  return text
    .replace(DEEP, (_m, depth: string, kind: string) => nested(Number(depth), kind))
    .replace(REF, (m, name: string, n: string) => {
      const pool = pools[name];
      if (typeof pool === 'function') return pool(Number(n));
      return pool && pool.length > 0 ? (pool[Number(n) % pool.length] ?? m) : m;
    });
}

/** `@@deep` inside a form field or query string (not JSON): just the brackets. */
export function resolveInText(text: string, pools: IdPools): string {
  return resolvePlaceholders(text.replace(/@@deep:(\d+):([ao])/g, (_m, depth: string, kind: string) => `"@@deep:${depth}:${kind}"`), pools);
}

/** What was sent that the logs must never show: message texts' secret words and the customers' phone numbers. */
export class SentSecrets {
  readonly words = new Set<string>();
  readonly phones = new Set<string>();

  /** Secret words anywhere, phone numbers (8+ digits) under the keys that carry them. */
  collect(value: Json | undefined, phoneKeys: ReadonlySet<string>): void {
    const walk = (v: Json | undefined, key: string | undefined, depth: number) => {
      if (depth > 50 || v === undefined) return;
      if (typeof v === 'string') {
        for (const w of v.match(/fz[0-9a-f]{10}/g) ?? []) this.words.add(w);
        if (key !== undefined && phoneKeys.has(key) && /^\d{8,15}$/.test(v)) this.phones.add(v);
        return;
      }
      if (v === null || typeof v !== 'object') return;
      if (Array.isArray(v)) for (const item of v) walk(item, key, depth + 1);
      else for (const k of Object.keys(v)) walk(v[k], k, depth + 1);
    };
    walk(value, undefined, 0);
  }

  /** Every secret found in `log`, as "word …" / "phone …" lines (a phone also grouped as Slack shows it). */
  leaksIn(log: string): string[] {
    const leaks: string[] = [];
    for (const w of this.words) if (log.includes(w)) leaks.push(`word ${w}`);
    for (const p of this.phones) {
      const grouped = new RegExp(p.slice(1).split('').join('[\\s().-]*'));
      if (log.includes(p) || grouped.test(log)) leaks.push(`phone ${p}`);
    }
    return leaks;
  }
}
