import { MAX_DEPTH, NUL_MARKER, SURROGATE_MARKER, TOO_DEEP_MARKER, pgSafeJson, pgSafeMessage, pgSafeString } from '../../src/pg-safe';

describe('pg-safe', () => {
  it('replaces NUL with a visible marker and counts it', () => {
    expect(pgSafeString('a\u0000b\u0000')).toEqual({ value: `a${NUL_MARKER}b${NUL_MARKER}`, replaced: 2 });
  });

  it('replaces lone surrogates but keeps real pairs (emoji) untouched', () => {
    const emoji = '👍';
    expect(pgSafeString(`x\uD800y${emoji}\uDC00`)).toEqual({ value: `x${SURROGATE_MARKER}y${emoji}${SURROGATE_MARKER}`, replaced: 2 });
    expect(pgSafeString(`end\uD83D`)).toEqual({ value: `end${SURROGATE_MARKER}`, replaced: 1 });
    expect(pgSafeString(emoji)).toEqual({ value: emoji, replaced: 0 });
  });

  it('cleans keys and values at every depth and keeps __proto__ as plain data', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":"yes\\u0000"},"a\\u0000":[1,null,"\\ud800",{"b":true}]}');
    const { value, replaced } = pgSafeJson(parsed);
    expect(replaced).toBe(3);
    expect(JSON.stringify(value)).toBe(`{"__proto__":{"polluted":"yes${NUL_MARKER}"},"a${NUL_MARKER}":[1,null,"${SURROGATE_MARKER}",{"b":true}]}`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('bounds the depth instead of recursing without end', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const { value, replaced } = pgSafeJson(deep);
    expect(replaced).toBe(1);
    let v = value;
    for (let i = 0; i < MAX_DEPTH; i++) v = (v as unknown[])[0];
    expect(v).toBe(TOO_DEEP_MARKER);
  });

  it('describes any thrown value as storable text, capped on a code point boundary', () => {
    expect(pgSafeMessage(new Error('bad \u0000 byte'))).toBe(`Error: bad ${NUL_MARKER} byte`);
    expect(pgSafeMessage({ toString: () => { throw new Error('no'); } })).toBe('an error that could not be described');
    const capped = pgSafeMessage('😀'.repeat(50), 7);
    expect(Array.from(capped)).toHaveLength(7);
    expect(pgSafeString(capped).replaced).toBe(0);
  });
});

describe('pgSafeMessage on driver errors', () => {
  it('describes the database error itself, never the wrapper that lists the query parameters', () => {
    const driver = Object.assign(new Error('new row violates check constraint'), { code: '23514' });
    const wrapped = new Error('Failed query: insert into messages values ($1)\nparams: +5511987654321,secret text', { cause: driver });
    const text = pgSafeMessage(wrapped);
    expect(text).toBe('Error 23514: new row violates check constraint');
    expect(text).not.toContain('5511987654321');
  });
});
