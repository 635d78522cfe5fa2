import { createHmac } from 'node:crypto';
import { escapeNonAscii, verifyMetaSignature } from '../../../src/whatsapp/signature';
import { readFixtureBytes } from './load-fixture';

const SECRET = 'test_app_secret';

// Test vectors from reference/whatsapp.md §1.2 (computed locally with Node crypto).
const WIRE_BODY = String.raw`{"object":"whatsapp_business_account","t":"caf\u00e9 \/ \u0040"}`;
const WIRE_SIGNATURE = 'sha256=f5a2da23e099c1024de6f31b16ac45683fa3749fdb2c9db21fc12e9f9799218d';
const RESERIALISED_SIGNATURE = 'sha256=401d7c20c5ee18d6645f602bf9be2e3ddce4153ac95f56949af4986f479ea375';

function sign(body: Buffer | string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

describe('verifyMetaSignature', () => {
  it('verifies the reference vector over the raw, escaped bytes', () => {
    expect(verifyMetaSignature(Buffer.from(WIRE_BODY), WIRE_SIGNATURE, SECRET)).toBe(true);
  });

  it('rejects the body re-serialised by JSON.stringify under the original header', () => {
    const reserialised = JSON.stringify(JSON.parse(WIRE_BODY));
    expect(reserialised).toBe('{"object":"whatsapp_business_account","t":"café / @"}');
    expect(verifyMetaSignature(Buffer.from(reserialised), WIRE_SIGNATURE, SECRET)).toBe(false);
  });

  it('matches the reference signature of the re-serialised body, so the vector pair is consistent', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(WIRE_BODY)));
    expect(sign(reserialised)).toBe(RESERIALISED_SIGNATURE);
  });

  it('verifies a fixture signed over its bytes as stored', () => {
    const body = readFixtureBytes('batch-two-contacts');
    expect(verifyMetaSignature(body, sign(body), SECRET)).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    const body = Buffer.from(WIRE_BODY);
    expect(verifyMetaSignature(body, sign(body, 'another_secret'), SECRET)).toBe(false);
  });

  it('rejects a body changed by one byte', () => {
    expect(verifyMetaSignature(Buffer.from(WIRE_BODY.replace('caf', 'cab')), WIRE_SIGNATURE, SECRET)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['truncated', WIRE_SIGNATURE.slice(0, -2)],
    ['one digit too long', `${WIRE_SIGNATURE}0`],
    ['uppercase hex', `sha256=${WIRE_SIGNATURE.slice('sha256='.length).toUpperCase()}`],
    ['without the sha256= prefix', WIRE_SIGNATURE.slice('sha256='.length)],
    ['with the SHA-1 prefix', `sha1=${WIRE_SIGNATURE.slice('sha256='.length)}`],
    ['padded with spaces', ` ${WIRE_SIGNATURE} `],
    ['non-hex characters', `sha256=${'z'.repeat(64)}`],
  ])('rejects a header that is %s', (_case, header) => {
    expect(verifyMetaSignature(Buffer.from(WIRE_BODY), header, SECRET)).toBe(false);
  });

  it('verifies an empty body signed as empty, and rejects it under another signature', () => {
    const empty = Buffer.alloc(0);
    expect(verifyMetaSignature(empty, sign(empty), SECRET)).toBe(true);
    expect(verifyMetaSignature(empty, WIRE_SIGNATURE, SECRET)).toBe(false);
  });

  it('never verifies with an empty app secret', () => {
    const body = Buffer.from(WIRE_BODY);
    expect(verifyMetaSignature(body, sign(body, ''), '')).toBe(false);
  });

  it('verifies a body whose non-ASCII escapes an intermediary decoded, by re-escaping it', () => {
    const wire = String.raw`{"t":"Gr\u00fc\u00dfe \ud83d\udc4d"}`;
    const decoded = Buffer.from('{"t":"Grüße 👍"}', 'utf8');
    expect(verifyMetaSignature(decoded, sign(wire), SECRET)).toBe(true);
  });

  it('does not accept a decoded body as a stand-in for a different wire body', () => {
    const decoded = Buffer.from('{"t":"Grüße 👎"}', 'utf8');
    expect(verifyMetaSignature(decoded, sign(String.raw`{"t":"Gr\u00fc\u00dfe \ud83d\udc4d"}`), SECRET)).toBe(false);
  });
});

describe('escapeNonAscii', () => {
  it.each([
    ['plain ASCII', 'hello / @ ~', 'hello / @ ~'],
    ['Latin-1 letters', 'äöå', String.raw`\u00e4\u00f6\u00e5`],
    ['an emoji as a surrogate pair', '👍', String.raw`\ud83d\udc4d`],
    ['lowercase hex', 'Ü€', String.raw`\u00dc\u20ac`],
  ])('escapes %s the way Meta signs it', (_case, input, expected) => {
    expect(escapeNonAscii(input)).toBe(expected);
  });

  it('turns a decoded payload back into the JSON.stringify-with-escapes form', () => {
    const value = { t: 'café 👍' };
    expect(escapeNonAscii(JSON.stringify(value))).toBe(String.raw`{"t":"caf\u00e9 \ud83d\udc4d"}`);
  });
});
