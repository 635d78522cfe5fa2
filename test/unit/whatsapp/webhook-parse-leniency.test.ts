import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NO_FIELD, parseWebhook } from '../../../src/whatsapp/webhook-parse';
import type { WebhookItem } from '../../../src/whatsapp/webhook-types';
import { loadFixture } from './load-fixture';

const METADATA = { display_phone_number: '15550001111', phone_number_id: '100000000000001' };

function textMessage(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { from: '15550002222', id, timestamp: '1795000000', type: 'text', text: { body: `body of ${id}` }, ...overrides };
}

function payload(value: Record<string, unknown>, field = 'messages'): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '200000000000002', changes: [{ field, value: { messaging_product: 'whatsapp', ...value } }] }],
  };
}

function messagesPayload(messages: unknown[], contacts: unknown[] = []): unknown {
  return payload({ metadata: METADATA, contacts, messages });
}

function onlyItem(json: unknown): WebhookItem {
  const { items } = parseWebhook(json);
  expect(items).toHaveLength(1);
  return items[0] as WebhookItem;
}

function contentOf(message: Record<string, unknown>): unknown {
  const item = onlyItem(messagesPayload([message]));
  return item.type === 'message' ? item.message.content : item;
}

describe('parseWebhook: malformed input never throws and never sinks the batch', () => {
  it.each([null, 42, 'text', [], true, undefined])('answers %p with one unknown item', (json) => {
    const parsed = parseWebhook(json);
    expect(parsed.object).toBeUndefined();
    expect(parsed.items).toEqual([{ type: 'unknown', field: NO_FIELD, reason: 'payload is not a JSON object', raw: json }]);
  });

  it('keeps a payload without entry[] as one unknown item', () => {
    const parsed = parseWebhook({ object: 'whatsapp_business_account' });
    expect(parsed.items).toEqual([
      expect.objectContaining({ type: 'unknown', field: NO_FIELD, reason: 'payload has no entry array' }),
    ]);
  });

  it('turns odd entries and changes into unknown items and still reads the good ones', () => {
    const good = { id: 'W', changes: [{ field: 'messages', value: { metadata: METADATA, messages: [textMessage('m1')] } }] };
    const parsed = parseWebhook({ object: 'whatsapp_business_account', entry: [null, { changes: 'x' }, good, { changes: [7] }] });
    expect(parsed.items.map((i) => (i.type === 'unknown' ? i.reason : i.type))).toEqual([
      'entry has no changes array',
      'entry has no changes array',
      'message',
      'change has no field',
    ]);
  });

  it('still parses a payload whose object is not whatsapp_business_account, and reports the object', () => {
    const json = { object: 'page', entry: [{ id: 'W', changes: [{ field: 'messages', value: { metadata: METADATA, messages: [textMessage('m1')] } }] }] };
    const parsed = parseWebhook(json);
    expect(parsed.object).toBe('page');
    expect(parsed.items.map((i) => i.type)).toEqual(['message']);
  });

  it('isolates one malformed message between two good ones', () => {
    const { items } = parseWebhook(messagesPayload([textMessage('m1'), textMessage('', { id: undefined }), textMessage('m3')]));
    expect(items.map((i) => i.type)).toEqual(['message', 'unknown', 'message']);
    expect(items[1]).toMatchObject({ type: 'unknown', field: 'messages', reason: expect.stringContaining('id') });
  });

  it('keeps a known type with a malformed body as a visible message that says which field was wrong', () => {
    const item = onlyItem(messagesPayload([textMessage('m1', { type: 'image', image: { caption: 'no id' } })]));
    expect(item).toMatchObject({ type: 'message', message: { content: { kind: 'unknown', type: 'image' } } });
    const errors = item.type === 'message' ? item.message.errors : [];
    expect(errors).toEqual([expect.objectContaining({ code: 0, title: expect.stringContaining('image.id') })]);
  });

  it('refuses a message with neither from nor from_user_id', () => {
    const item = onlyItem(messagesPayload([textMessage('m1', { from: undefined })]));
    expect(item).toMatchObject({ type: 'unknown', reason: 'message has neither from nor from_user_id' });
  });

  it('refuses a timestamp that is not Unix seconds', () => {
    const item = onlyItem(messagesPayload([textMessage('m1', { timestamp: '2026-11-24T10:00:00Z' })]));
    expect(item).toMatchObject({ type: 'unknown', reason: expect.stringContaining('timestamp') });
  });

  it('drops a malformed optional field but keeps the message', () => {
    const content = contentOf(textMessage('m1', { type: 'image', image: { id: 'media-1', caption: 42 } }));
    expect(content).toEqual({ kind: 'media', mediaType: 'image', mediaId: 'media-1' });
  });

  it('keeps messages and statuses of a change without metadata as unknown, and its errors as errors', () => {
    const { items } = parseWebhook(
      payload({ messages: [textMessage('m1')], statuses: [{ id: 's', status: 'sent', timestamp: '1' }], errors: [{ code: 1 }] }),
    );
    expect(items.map((i) => (i.type === 'unknown' ? i.reason : i.type))).toEqual([
      'value.metadata.phone_number_id is missing',
      'value.metadata.phone_number_id is missing',
      'error',
    ]);
    expect(items[2]).toMatchObject({ type: 'error', number: undefined, error: { code: 1 } });
  });

  it('reports messages that are not an array, and a messages change with nothing in it', () => {
    expect(onlyItem(payload({ metadata: METADATA, messages: { id: 'm1' } }))).toMatchObject({
      reason: 'value.messages is not an array',
    });
    expect(onlyItem(payload({ metadata: METADATA }))).toMatchObject({
      type: 'unknown',
      reason: 'no messages, statuses or errors in value',
    });
  });

  it('keeps a malformed status or value error as unknown', () => {
    const { items } = parseWebhook(payload({ metadata: METADATA, statuses: [{ status: 'sent' }], errors: [{ title: 'no code' }] }));
    expect(items.map((i) => i.type)).toEqual(['unknown', 'unknown']);
  });

  it('never pairs a contact by array position', () => {
    const bob = { profile: { name: 'Bob' }, wa_id: '15550003333' };
    const item = onlyItem(messagesPayload([textMessage('m1')], [bob]));
    expect(item).toMatchObject({ type: 'message', contact: { waId: '15550002222' } });
    expect(item.type === 'message' && item.contact.profileName).toBeUndefined();
  });

  it('matches a contact by BSUID when the contact has no wa_id', () => {
    const carol = { profile: { name: 'Carol', username: 'carol.designs' }, user_id: 'US.7' };
    const item = onlyItem(messagesPayload([textMessage('m1', { from_user_id: 'US.7' })], [carol]));
    expect(item).toMatchObject({
      type: 'message',
      contact: { waId: '15550002222', userId: 'US.7', username: 'carol.designs', profileName: 'Carol' },
    });
  });
});

describe('parseWebhook: content details', () => {
  it.each(['revoke', 'edit', 'request_welcome', 'poll'])('keeps an unknown message type %s as unknown content', (type) => {
    expect(contentOf(textMessage('m1', { type, text: undefined }))).toEqual({ kind: 'unknown', type });
  });

  it('titles a Flow (nfm_reply) answer by its body, falling back to its name', () => {
    const flow = (nfm: Record<string, unknown>) =>
      contentOf(textMessage('m1', { type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: nfm } }));
    expect(flow({ body: 'Sent', name: 'flow', response_json: '{}' })).toMatchObject({ replyType: 'nfm_reply', title: 'Sent' });
    expect(flow({ name: 'booking_flow', response_json: '{}' })).toMatchObject({ title: 'booking_flow' });
  });

  it('reads other interactive replies generically', () => {
    const interactive = { type: 'call_permission_reply', call_permission_reply: { response: 'accept' } };
    expect(contentOf(textMessage('m1', { type: 'interactive', interactive }))).toEqual({
      kind: 'interactive_reply',
      replyType: 'call_permission_reply',
      title: 'accept',
    });
  });

  it('shows an interactive message whose reply object is missing as one it cannot read', () => {
    const content = contentOf(textMessage('m1', { type: 'interactive', interactive: { type: 'button_reply' } }));
    expect(content).toEqual({ kind: 'unknown', type: 'interactive' });
  });

  it('treats an empty reaction emoji as a removal', () => {
    const content = contentOf(textMessage('m1', { type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '' } }));
    expect(content).toEqual({ kind: 'reaction', targetWaMessageId: 'wamid.x' });
    expect((content as { emoji?: string }).emoji).toBeUndefined();
  });

  it('reads order quantities and prices sent as strings as numbers', () => {
    const order = { product_items: [{ product_retailer_id: 'A', quantity: '3', item_price: '9.99', currency: 'USD' }] };
    expect(contentOf(textMessage('m1', { type: 'order', order }))).toEqual({
      kind: 'order',
      items: [{ productRetailerId: 'A', quantity: 3, itemPrice: 9.99, currency: 'USD' }],
    });
  });

  it('accepts coordinates sent as numeric strings and refuses a location without them', () => {
    expect(contentOf(textMessage('m1', { type: 'location', location: { latitude: '1.5', longitude: '-2' } }))).toEqual({
      kind: 'location',
      latitude: 1.5,
      longitude: -2,
    });
    expect(contentOf(textMessage('m1', { type: 'location', location: { longitude: 2 } }))).toEqual({ kind: 'unknown', type: 'location' });
  });

  it('reports no new id for a customer_identity_changed system message', () => {
    const system = { type: 'customer_identity_changed', body: 'Identity changed', customer: '15550002222', wa_id: '15550002222' };
    expect(contentOf(textMessage('m1', { type: 'system', system }))).toEqual({
      kind: 'system',
      systemType: 'customer_identity_changed',
      body: 'Identity changed',
    });
  });

  it('reads the legacy customer_changed_number new_wa_id', () => {
    const system = { type: 'customer_changed_number', body: 'changed', new_wa_id: '15550009999' };
    expect(contentOf(textMessage('m1', { type: 'system', system }))).toMatchObject({ newWaId: '15550009999' });
  });

  it('keeps only well-formed entries of a message errors list', () => {
    const item = onlyItem(messagesPayload([textMessage('m1', { errors: [{ code: '131052', title: 'Too big' }, { title: 'x' }] })]));
    expect(item.type === 'message' && item.message.errors).toEqual([{ code: 131052, title: 'Too big' }]);
  });
});

describe('parseWebhook: every fixture with any one value replaced', () => {
  const fixtures = readdirSync(join(__dirname, '..', '..', 'fixtures', 'whatsapp')).map((f) => f.replace(/\.json$/, ''));
  // An emptied array can legitimately leave nothing to report, so `[]` is only checked for not throwing.
  const replacements: unknown[] = [null, 42, '', 'x', {}, true];

  /** Every path into a JSON value, e.g. ['entry', 0, 'changes']. */
  function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
    if (typeof value === 'object' && value !== null) {
      return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
    }
    return [];
  }

  function replaceAt(json: unknown, path: (string | number)[], replacement: unknown): unknown {
    const copy = structuredClone(json) as Record<string | number, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path[path.length - 1] as string | number] = replacement;
    return copy;
  }

  it.each(fixtures)('%s: never throws, and a damaged value still leaves an item to show', (name) => {
    const json = loadFixture(name);
    for (const path of pathsOf(json)) {
      for (const replacement of replacements) {
        expect(parseWebhook(replaceAt(json, path, replacement)).items.length).toBeGreaterThan(0);
      }
      expect(() => parseWebhook(replaceAt(json, path, []))).not.toThrow();
    }
  });
});
