import fc from 'fast-check';

/**
 * Values that break parsers, queries and loggers: NUL bytes, lone surrogates, prototype keys, huge strings, wrong
 * types, deep nesting. Inputs are plain JSON-able values plus two kinds of placeholder strings that the rig resolves
 * when it sends them (fuzz-wire.ts): `@@name:n` for an id only known at run time (a conversation, a card's ts), and
 * `@@deep:n:kind` for nesting deeper than JSON.stringify can write.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keys that reach Object.prototype when copied carelessly. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Fragments with a history of breaking something: Postgres text (NUL), UTF-8 (lone surrogates), mrkdwn, SQL. */
const FRAGMENTS = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\ud83d',
  '\udc4d\ud83d',
  '\ufeff',
  '\u2028',
  '\u202e',
  '\uffff',
  '👍🏽',
  'é',
  ...PROTO_KEYS,
  '<!channel>',
  '<@U0ANA>',
  '<#C0FUZZ01|x>',
  '&amp;<>',
  '*_~`',
  "'; drop table messages; --",
  '%s%n',
  '${x}',
  '\\',
  '"',
  '\n',
  '\r\n',
  '\t',
  ' ',
  'NaN',
  '-0',
  '1e400',
  '99999999999999999999',
  '2147483648',
  '0x1F',
  'null',
  'true',
  '[]',
  '{}',
] as const;

/** Deep nesting as the wire carries it (`[[[…]]]` or `{"a":{"a":…}}`), far past what JSON.stringify can write. */
export const deepPlaceholder = fc.tuple(fc.integer({ min: 2_000, max: 20_000 }), fc.constantFrom('a', 'o')).map(([depth, kind]) => `@@deep:${depth}:${kind}`);

/** A string of at least 100 KB: a repeated fragment, sometimes with a NUL or a lone surrogate in it. */
export const hugeString = fc
  .tuple(fc.integer({ min: 100_000, max: 130_000 }), fc.constantFrom('x', 'é', '👍', '\u0000', 'ab '), fc.constantFrom('', '\u0000', '\ud800', '\\'))
  .map(([length, unit, spice]) => `${unit.repeat(Math.ceil(length / unit.length))}${spice}`);

const fragmentString = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));

/** Every kind of short string: plain, any UTF-16 unit (lone surrogates included), and the fragments above. */
export const shortNastyString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fragmentString, weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), maxLength: 20 }), weight: 2 },
  { arbitrary: fc.constantFrom(...FRAGMENTS), weight: 2 },
);

/** Short nasty strings, and now and then one of 100 KB or more. */
export const nastyString: fc.Arbitrary<string> = fc.oneof({ arbitrary: shortNastyString, weight: 14 }, { arbitrary: hugeString, weight: 1 });

/** An object whose own key is one of PROTO_KEYS (an object literal would set the prototype instead). */
export function withOwnKey(target: Record<string, Json>, key: string, value: Json): Record<string, Json> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

const protoObject = (inner: fc.Arbitrary<Json>) =>
  fc.tuple(fc.constantFrom(...PROTO_KEYS), inner, fc.dictionary(fc.string({ maxLength: 6 }), inner, { maxKeys: 2 })).map(([key, value, rest]) =>
    withOwnKey({ ...rest }, key, value),
  );

/** Any value where a string, a number or an object was expected: wrong types, null, prototype keys, nesting. */
export const nastyValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: nastyString, weight: 5 },
    { arbitrary: fc.constant(null), weight: 3 },
    { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 2, 1e21, -0)), weight: 3 },
    { arbitrary: fc.boolean(), weight: 1 },
    { arbitrary: fc.constantFrom<Json>([], {}, [null], ['']), weight: 2 },
    { arbitrary: fc.array(tie('value'), { maxLength: 3 }), weight: 1 },
    { arbitrary: protoObject(tie('value')), weight: 1 },
    { arbitrary: deepPlaceholder, weight: 1 },
  ),
})).value;

type Path = (string | number)[];

/** Every place in `value` a mutation can hit, the root excluded; arrays and objects alike. */
function pathsOf(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (out.length > 5_000 || value === null || typeof value !== 'object') return out;
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  for (const key of keys) {
    const path = [...prefix, key];
    out.push(path);
    pathsOf((value as Record<string | number, Json>)[key] as Json, path, out);
  }
  return out;
}

type Mutation = { op: 'replace'; value: Json } | { op: 'delete' } | { op: 'proto'; key: string; value: Json } | { op: 'wrap' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: nastyValue.map((value) => ({ op: 'replace' as const, value })), weight: 6 },
  { arbitrary: fc.constant({ op: 'delete' as const }), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom(...PROTO_KEYS), nastyValue).map(([key, value]) => ({ op: 'proto' as const, key, value })), weight: 1 },
  { arbitrary: fc.constant({ op: 'wrap' as const }), weight: 1 },
);

function applyMutation(root: Json, path: Path, m: Mutation): Json {
  const copy = structuredCopy(root);
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  let parent: Json = copy;
  for (const step of parentPath) parent = (parent as Record<string | number, Json>)[step] as Json;
  if (parent === null || typeof parent !== 'object' || key === undefined) return copy;
  const container = parent as Record<string | number, Json>;
  switch (m.op) {
    case 'replace':
      container[key] = m.value;
      break;
    case 'delete':
      if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
      else delete container[key];
      break;
    case 'proto': {
      const target = container[key];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) withOwnKey(target, m.key, m.value);
      else container[key] = withOwnKey({}, m.key, m.value);
      break;
    }
    case 'wrap':
      container[key] = [container[key] ?? null];
      break;
    default:
      return m satisfies never;
  }
  return copy;
}

/** A deep copy that keeps own `__proto__` keys as keys (structuredClone and spreads do not). */
function structuredCopy(value: Json): Json {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(structuredCopy);
  const out: Record<string, Json> = {};
  for (const key of Object.keys(value)) withOwnKey(out, key, structuredCopy(value[key] as Json));
  return out;
}

/** A valid shape with exactly one field broken: valid-ish inputs get past the first check and find more. */
export function mutatedOnce<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<Json> {
  return fc.tuple(valid, fc.nat(), mutation).map(([generated, pick, m]) => {
    // The generators build plain JSON-able objects; their inferred types are just narrower than Json.
    const value = generated as unknown as Json;
    const paths = pathsOf(value);
    const path = paths[pick % Math.max(1, paths.length)];
    return path ? applyMutation(value, path, m) : value;
  });
}

/** Mostly valid, one field broken now and then, pure noise rarely: the mix every surface is fuzzed with. */
export function validIsh<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<Json> {
  return fc.oneof({ arbitrary: valid.map((v) => v as unknown as Json), weight: 3 }, { arbitrary: mutatedOnce(valid), weight: 6 }, { arbitrary: nastyValue, weight: 1 });
}

/** A short unique-looking word the leak check can look for in the logs. */
export const secretWord = fc.stringMatching(/^[0-9a-f]{10}$/).map((hex) => `fz${hex}`);

/** A runtime id, resolved by the rig when the input is sent (fuzz-wire.ts). */
export function ref(name: string, max = 30): fc.Arbitrary<string> {
  return fc.nat({ max }).map((n) => `@@${name}:${n}`);
}
