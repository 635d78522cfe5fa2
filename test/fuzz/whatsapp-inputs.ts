import fc from 'fast-check';
import { FUZZ_SEED } from './fuzz-settings';
import { type Json, mutatedOnce, nastyString, ref, secretWord, shortNastyString, validIsh } from './nasty-values';

/**
 * Meta webhook POSTs (reference/whatsapp.md §2) as generated inputs: valid shapes of every message type, statuses,
 * errors and the other webhook fields, each also mutated in one field, plus raw bytes Meta would never send and
 * batches of 1,000 items (§1.3). Every conversation they open lives on the fuzz number, whose channel is not the
 * inbox the after-fuzz check uses.
 */

export const FUZZ_NUMBER = { phoneNumberId: '100000000000777', displayPhoneNumber: '15550007777', wabaId: '200000000000002' } as const;

/** The keys whose values are phone numbers: what the leak check collects from every payload. */
export const WHATSAPP_PHONE_KEYS: ReadonlySet<string> = new Set(['wa_id', 'from', 'recipient_id', 'phone', 'display_phone_number']);

const randomPhone = fc.stringMatching(/^49[1-9]\d{9}$/);
/** A few customers who write again and again (few threads, so few cards wait for Slack's 1 post/s), and strangers. */
const REGULARS = fc.sample(randomPhone, { seed: FUZZ_SEED, numRuns: 5 });
const phone = fc.oneof({ arbitrary: fc.constantFrom(...REGULARS), weight: 8 }, { arbitrary: randomPhone, weight: 1 });

const wamid = fc.stringMatching(/^[A-Za-z0-9]{28}$/).map((s) => `wamid.FZ${s}`);
const knownOrNewWamid = fc.oneof(ref('wamid'), wamid);
const timestamp = fc.oneof(
  { arbitrary: fc.constant('@@now:0'), weight: 6 },
  { arbitrary: fc.constantFrom('0', '1', '99999999999', '-5', '1.5', '', '17e8'), weight: 1 },
  { arbitrary: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }), weight: 1 },
);
/** What customers write: a secret word in a nasty setting, so the leak check can look for it. */
const textOf = (outer: fc.Arbitrary<string>) => fc.tuple(outer, secretWord, shortNastyString).map(([a, w, b]) => `${a} ${w} ${b}`);
const anyCustomerText = textOf(nastyString);

const mediaType = fc.constantFrom('image', 'video', 'audio', 'document', 'sticker');
/** `message[type]` for every type Meta sends (reference/whatsapp.md §2.4), and a type nobody knows. */
const contentOf = (customerText: fc.Arbitrary<string>): fc.Arbitrary<[string, Json]> => fc.oneof(
  customerText.map((body): [string, Json] => ['text', { body }]),
  fc
    .tuple(mediaType, fc.stringMatching(/^\d{6,16}$/), fc.constantFrom('image/jpeg', 'video/mp4', 'audio/ogg', 'application/pdf', 'image/webp', 'x/🙂'), fc.option(customerText, { nil: undefined }))
    .map(([type, id, mime, cap]): [string, Json] => [type, { id, mime_type: mime, sha256: 'abc=', ...(cap ? { caption: cap } : {}), filename: 'f\u0000.pdf' }]),
  fc
    .tuple(fc.oneof(fc.double(), fc.constantFrom('52.5', '-0', '1e999')), fc.oneof(fc.double(), fc.constant('13.4')), customerText)
    .map(([latitude, longitude, name]): [string, Json] => ['location', { latitude, longitude, name, address: 'Str. 1' }]),
  fc.tuple(customerText, phone).map(([name, p]): [string, Json] => ['contacts', [{ name: { formatted_name: name }, phones: [{ phone: p, wa_id: p, type: 'CELL' }] }]]),
  fc
    .tuple(fc.constantFrom('button_reply', 'list_reply', 'nfm_reply', 'call_permission_reply', 'x'), shortNastyString, customerText)
    .map(([type, id, title]): [string, Json] => ['interactive', { type, [type]: { id, title, body: title, response_json: '{}' } }]),
  customerText.map((text): [string, Json] => ['button', { text, payload: 'P' }]),
  fc.tuple(knownOrNewWamid, fc.constantFrom('👍', '', '\ud83d', 'x'.repeat(50))).map(([id, emoji]): [string, Json] => ['reaction', { message_id: id, emoji }]),
  fc
    .tuple(customerText, fc.oneof(fc.integer(), fc.constant('2')))
    .map(([text, quantity]): [string, Json] => ['order', { catalog_id: '1', text, product_items: [{ product_retailer_id: 'sku', quantity, item_price: 9.5, currency: 'EUR' }] }]),
  fc
    .tuple(fc.constantFrom('user_changed_number', 'customer_changed_number', 'user_changed_user_id', 'customer_identity_changed'), phone)
    .map(([type, p]): [string, Json] => ['system', { type, body: 'changed', wa_id: p, new_wa_id: p, user_id: 'US.fz1' }]),
  fc.constant<[string, Json]>(['unsupported', { type: 'video_note' }]),
  fc.constant<[string, Json]>(['unknown', null]),
  shortNastyString.map((type): [string, Json] => [type, { body: 'x' }]),
);

const messageOf = (text: fc.Arbitrary<string>) =>
  fc.tuple(phone, wamid, timestamp, contentOf(text), fc.option(knownOrNewWamid, { nil: undefined })).map(([from, id, ts, [type, body], replyTo]) => {
    const message: Record<string, Json> = { from, id, timestamp: ts, type, [type]: body };
    if (replyTo) message.context = { from, id: replyTo };
    if (type === 'unsupported') message.errors = [{ code: 131051, title: 'Message type unknown', error_data: { details: 'x' } }];
    return message;
  });
export const inboundMessage = messageOf(anyCustomerText);
/** Without 100 KB strings: a thousand of them must stay below the webhook's 4 MB limit. */
const smallMessage = messageOf(textOf(shortNastyString));

const graphError = fc
  .tuple(fc.oneof(fc.constantFrom(131047, 131026, 130429, 131056, 131000, 470), fc.integer(), fc.constant('131051')), shortNastyString)
  .map(([code, title]) => ({ code, title, message: title, error_data: { details: title } }));

export const statusItem = fc
  .tuple(knownOrNewWamid, fc.constantFrom('sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'warning', 'SENT'), timestamp, phone, fc.oneof(ref('msg'), shortNastyString), fc.array(graphError, { maxLength: 2 }))
  .map(([id, status, ts, recipient, callback, errors]) => ({
    id,
    status,
    timestamp: ts,
    recipient_id: recipient,
    biz_opaque_callback_data: callback,
    pricing: { billable: false, pricing_model: 'PMP', category: 'service' },
    ...(status === 'failed' ? { errors } : {}),
  }));

const contactOf = (waId: string, name: string): Json => ({ profile: { name }, wa_id: waId, user_id: `US.${waId.slice(-4)}` });
const profileName = fc.oneof(secretWord.map((w) => `Fz ${w}`), nastyString);
const metadata = { display_phone_number: FUZZ_NUMBER.displayPhoneNumber, phone_number_id: FUZZ_NUMBER.phoneNumberId };

const messagesChange = fc.tuple(fc.array(inboundMessage, { minLength: 1, maxLength: 4 }), profileName).map(([messages, name]) => ({
  field: 'messages',
  value: {
    messaging_product: 'whatsapp',
    metadata,
    contacts: [...new Set(messages.map((m) => m.from as string))].map((waId) => contactOf(waId, name)),
    messages,
  },
}));
const statusesChange = fc.array(statusItem, { minLength: 1, maxLength: 4 }).map((statuses) => ({ field: 'messages', value: { messaging_product: 'whatsapp', metadata, statuses } }));
const errorsChange = fc.array(graphError, { minLength: 1, maxLength: 2 }).map((errors) => ({ field: 'messages', value: { messaging_product: 'whatsapp', metadata, errors } }));
const otherChange = fc.oneof(
  fc
    .tuple(fc.constantFrom('APPROVED', 'REJECTED', 'PAUSED', 'DISABLED', 'x'), shortNastyString, fc.oneof(fc.integer(), fc.constant('123')))
    .map(([event, name, id]) => ({ field: 'message_template_status_update', value: { event, message_template_id: id, message_template_name: name, message_template_language: 'en_US', reason: 'NONE' } })),
  fc.constant({ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }),
  fc.constant({ field: 'phone_number_quality_update', value: { display_phone_number: FUZZ_NUMBER.displayPhoneNumber, event: 'FLAGGED', current_limit: 'TIER_1K' } }),
  shortNastyString.map((field) => ({ field, value: { x: 1 } })),
);
const change = fc.oneof(
  { arbitrary: messagesChange, weight: 5 },
  { arbitrary: statusesChange, weight: 3 },
  { arbitrary: errorsChange, weight: 1 },
  { arbitrary: otherChange, weight: 1 },
);

export const webhookPayload = fc
  .array(fc.array(change, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 })
  .map((entries) => ({ object: 'whatsapp_business_account', entry: entries.map((changes) => ({ id: FUZZ_NUMBER.wabaId, changes })) }));

/** One POST: JSON (Meta-escaped or plain), or bytes no JSON encoder writes (invalid UTF-8, a BOM, a raw NUL). */
export type WhatsAppPost =
  | { kind: 'json'; body: Json; metaEscaped: boolean }
  | { kind: 'bytes'; body: Json; inject: number[]; prefix: boolean };

const jsonPost = fc.tuple(validIsh(webhookPayload), fc.boolean()).map(([body, metaEscaped]): WhatsAppPost => ({ kind: 'json', body, metaEscaped }));
const bytesPost = fc
  .tuple(webhookPayload, fc.constantFrom([0xff], [0xc3], [0xed, 0xa0, 0x80], [0x00], [0xef, 0xbb, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0x80, 0x80]), fc.boolean())
  .map(([body, inject, prefix]): WhatsAppPost => ({ kind: 'bytes', body, inject: [...inject], prefix }));

export const whatsappPost: fc.Arbitrary<WhatsAppPost> = fc.oneof({ arbitrary: jsonPost, weight: 9 }, { arbitrary: bytesPost, weight: 1 });

/**
 * 1,000 messages or statuses in one change, Meta's largest batch: one template repeated with fresh ids, a few items
 * broken in one field each, from a few customers.
 */
export const thousandBatch = (kind: 'messages' | 'statuses') => fc
  .tuple(
    fc.constant(kind),
    smallMessage,
    statusItem,
    fc.array(fc.tuple(fc.nat(999), mutatedOnce(smallMessage)), { maxLength: 4 }),
    fc.uniqueArray(fc.constantFrom(...REGULARS), { minLength: 1, maxLength: 3 }),
    fc.stringMatching(/^[A-Za-z0-9]{12}$/),
  )
  .map(([kind, message, status, broken, customers, salt]): WhatsAppPost => {
    const items: Json[] = Array.from({ length: 1000 }, (_, i) => {
      const id = `wamid.FZB${salt}${String(i).padStart(4, '0')}`;
      return kind === 'messages' ? { ...message, id, from: customers[i % customers.length] ?? null } : { ...status, id: i % 3 === 0 ? `@@wamid:${i}` : id };
    });
    for (const [at, item] of broken) items[at] = item;
    const value: Record<string, Json> =
      kind === 'messages'
        ? { messaging_product: 'whatsapp', metadata, contacts: customers.map((c) => contactOf(c, `Fz batch ${salt}`)), messages: items }
        : { messaging_product: 'whatsapp', metadata, statuses: items };
    return { kind: 'json', metaEscaped: true, body: { object: 'whatsapp_business_account', entry: [{ id: FUZZ_NUMBER.wabaId, changes: [{ field: 'messages', value }] }] } };
  });

/** The verification handshake's query: right and wrong tokens and modes, repeated and missing parameters. */
export interface VerifyQuery {
  pairs: [string, string][];
  /** Appended unencoded: broken percent-escapes and the like. */
  rawTail: string;
}

export function verifyQuery(verifyToken: string): fc.Arbitrary<VerifyQuery> {
  const key = fc.oneof(fc.constantFrom('hub.mode', 'hub.verify_token', 'hub.challenge', '__proto__', 'hub.challenge[]', 'constructor'), shortNastyString);
  const value = fc.oneof(fc.constantFrom('subscribe', verifyToken, '1158201444', ''), shortNastyString);
  const valid = fc.tuple(fc.constantFrom('subscribe', 'unsubscribe'), fc.constantFrom(verifyToken, 'guess'), fc.oneof(fc.stringMatching(/^\d{1,12}$/), shortNastyString));
  return fc.tuple(valid, fc.array(fc.tuple(key, value), { maxLength: 3 }), fc.constantFrom('', '&hub.challenge=%ZZ', '&%E0%A4%A', '&hub.mode', '&&&=', '&hub.challenge=%00', '&a[b]=1')).map(
    ([[mode, token, challenge], extra, rawTail]) => ({
      pairs: [['hub.mode', mode], ['hub.verify_token', token], ['hub.challenge', challenge], ...extra],
      rawTail,
    }),
  );
}

const regular = REGULARS[0] ?? '4915550000000';
const changeOf = (value: Json): Json => ({ object: 'whatsapp_business_account', entry: [{ id: FUZZ_NUMBER.wabaId, changes: [{ field: 'messages', value }] }] });
let exampleCount = 0;
const textFrom = (body: Json, extra: Record<string, Json> = {}): Json =>
  changeOf({ messaging_product: 'whatsapp', metadata, contacts: [contactOf(regular, 'Fz example')], messages: [{ from: regular, id: `wamid.FZEX${(exampleCount += 1)}`, timestamp: '@@now:0', type: 'text', text: { body }, ...extra }] });

/** Cases every run sends whatever the seed, so each nasty kind the suite promises is always covered. */
export const whatsappExamples: [WhatsAppPost][] = [
  // 120 KB with a NUL and a lone surrogate in it.
  [{ kind: 'json', metaEscaped: true, body: textFrom(`fzabcdef0001 ${'é'.repeat(120_000)}\u0000\ud800`) }],
  // Prototype keys at every level a parser merges.
  [{ kind: 'json', metaEscaped: false, body: JSON.parse(`{"object":"whatsapp_business_account","__proto__":{"polluted":1},"entry":[{"id":"${FUZZ_NUMBER.wabaId}","constructor":{"prototype":{"x":1}},"changes":[{"field":"messages","value":{"__proto__":{"admin":true},"metadata":${JSON.stringify(metadata)},"messages":[{"__proto__":[],"from":"${regular}","id":"wamid.FZEXPROTO","timestamp":"@@now:0","type":"__proto__","__proto__x":1}]}}]}]}`) as Json }],
  // Nesting deeper than JSON.stringify can write, in a message and as the whole body.
  [{ kind: 'json', metaEscaped: true, body: textFrom('fzabcdef0002 deep', { context: '@@deep:20000:o', referral: '@@deep:20000:a' }) }],
  [{ kind: 'json', metaEscaped: true, body: '@@deep:50000:a' }],
  // Wrong types where every structure goes.
  [{ kind: 'json', metaEscaped: true, body: { object: 'whatsapp_business_account', entry: { id: 5 } } }],
  [{ kind: 'json', metaEscaped: true, body: { object: 'whatsapp_business_account', entry: [{ id: null, changes: [null, 5, 'x', { field: 'messages', value: { metadata: [], messages: 'x', statuses: [null, 5, []], contacts: {} } }] }] } }],
  [{ kind: 'json', metaEscaped: true, body: textFrom(12, { timestamp: { n: 1 }, id: ['wamid.FZEXARRAY'], from: 4915550000000 }) }],
  [{ kind: 'json', metaEscaped: true, body: null }],
  // Invalid UTF-8 inside a string, and a byte-order mark in front.
  [{ kind: 'bytes', body: textFrom('fzabcdef0003 bytes'), inject: [0xff, 0xfe, 0xc3], prefix: false }],
  [{ kind: 'bytes', body: textFrom('fzabcdef0004 bom'), inject: [0xef, 0xbb, 0xbf], prefix: true }],
];

export function thousandExamples(seed: number): [WhatsAppPost][] {
  return (['messages', 'statuses'] as const).map((kind) => [fc.sample(thousandBatch(kind), { seed, numRuns: 1 })[0] as WhatsAppPost]);
}
