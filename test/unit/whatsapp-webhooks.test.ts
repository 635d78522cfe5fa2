import {
  buildBatchWebhook,
  buildErrorsWebhook,
  buildMessageWebhook,
  buildStatusWebhook,
  contactsMessage,
  DEFAULT_BUSINESS_NUMBER,
  interactiveReply,
  locationMessage,
  mediaMessage,
  reactionMessage,
  serializeLikeMeta,
  signMetaBody,
  statusObject,
  textMessage,
  unsupportedMessage,
} from '../../src/emulators/whatsapp-webhooks';

const number = DEFAULT_BUSINESS_NUMBER;

describe('signMetaBody', () => {
  // Test vectors from reference/whatsapp.md §1.2.
  const escapedRaw = String.raw`{"object":"whatsapp_business_account","t":"caf\u00e9 \/ \u0040"}`;

  it('signs the escaped wire form with the app secret', () => {
    expect(signMetaBody(escapedRaw, 'test_app_secret')).toBe('sha256=f5a2da23e099c1024de6f31b16ac45683fa3749fdb2c9db21fc12e9f9799218d');
  });

  it('gives a different signature for the JSON.stringify re-serialisation', () => {
    const reserialised = JSON.stringify(JSON.parse(escapedRaw));
    expect(reserialised).toBe('{"object":"whatsapp_business_account","t":"café / @"}');
    expect(signMetaBody(reserialised, 'test_app_secret')).toBe(
      'sha256=401d7c20c5ee18d6645f602bf9be2e3ddce4153ac95f56949af4986f479ea375',
    );
  });

  it('signs a Buffer like the same string', () => {
    expect(signMetaBody(Buffer.from(escapedRaw), 'test_app_secret')).toBe(signMetaBody(escapedRaw, 'test_app_secret'));
  });
});

describe('serializeLikeMeta', () => {
  it('escapes non-ASCII as lowercase \\u and slashes as \\/', () => {
    expect(serializeLikeMeta({ t: 'café / äöå' })).toBe(String.raw`{"t":"caf\u00e9 \/ \u00e4\u00f6\u00e5"}`);
  });

  it('escapes emoji as a surrogate pair', () => {
    expect(serializeLikeMeta({ emoji: '👍' })).toBe(String.raw`{"emoji":"\ud83d\udc4d"}`);
  });

  it('reproduces the signed test vector when @ is escaped too', () => {
    const raw = serializeLikeMeta({ object: 'whatsapp_business_account', t: 'café / @' }, { alsoEscape: '@' });
    expect(raw).toBe(String.raw`{"object":"whatsapp_business_account","t":"caf\u00e9 \/ \u0040"}`);
  });

  it('stays valid JSON that parses back to the same value', () => {
    const payload = buildMessageWebhook({
      ...number,
      contact: { waId: '15550002222', name: 'Zoë' },
      messages: [textMessage({ from: '15550002222', body: 'Grüße 🎉 <a href="https://x.test/a">' })],
    });
    const raw = serializeLikeMeta(payload);
    expect(raw).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(raw)).toEqual(payload);
  });
});

describe('message webhooks', () => {
  it('wraps messages in Meta’s envelope with the WABA id, metadata and contact', () => {
    const msg = textMessage({ id: 'wamid.A', from: '15550002222', fromUserId: 'US.1', body: 'hi', timestamp: '1700000000' });
    const payload = buildMessageWebhook({ ...number, contact: { waId: '15550002222', userId: 'US.1', name: 'Alice' }, messages: [msg] });
    expect(payload).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: number.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId },
                contacts: [{ profile: { name: 'Alice' }, wa_id: '15550002222', user_id: 'US.1' }],
                messages: [{ from: '15550002222', from_user_id: 'US.1', id: 'wamid.A', timestamp: '1700000000', type: 'text', text: { body: 'hi' } }],
              },
            },
          ],
        },
      ],
    });
  });

  it('leaves out from and wa_id for a username user known only by BSUID', () => {
    const payload = buildMessageWebhook({
      ...number,
      contact: { userId: 'US.7300000000000000003', username: 'carol' },
      messages: [textMessage({ fromUserId: 'US.7300000000000000003', body: 'hey' })],
    });
    const value = payload.entry[0]?.changes[0]?.value as { contacts: object[]; messages: Record<string, unknown>[] };
    expect(value.contacts[0]).toEqual({ profile: { username: 'carol' }, user_id: 'US.7300000000000000003' });
    expect(value.messages[0]).not.toHaveProperty('from');
  });

  it('quotes the business number in a reply context', () => {
    expect(textMessage({ from: '1', body: 'x', contextId: 'wamid.Q' })['context']).toEqual({
      from: number.displayPhoneNumber,
      id: 'wamid.Q',
    });
  });

  it('builds media, location, reaction, interactive, contacts and unsupported messages in Meta’s shapes', () => {
    expect(mediaMessage('audio', { from: '1', mediaId: '77', mimeType: 'audio/ogg; codecs=opus', voice: true, sha256: 'abc=' })['audio']).toEqual({
      mime_type: 'audio/ogg; codecs=opus',
      sha256: 'abc=',
      id: '77',
      voice: true,
    });
    expect(locationMessage({ from: '1', latitude: 52.5, longitude: 13.4 })['location']).toEqual({ latitude: 52.5, longitude: 13.4 });
    expect(reactionMessage({ from: '1', messageId: 'wamid.X' })['reaction']).toEqual({ message_id: 'wamid.X' });
    expect(
      interactiveReply({ from: '1', replyType: 'button_reply', replyId: 'yes', title: 'Yes', contextId: 'wamid.I' })['interactive'],
    ).toEqual({ type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } });
    const contacts = contactsMessage({ from: '1', contacts: [{ name: 'Bob Smith', phones: [{ phone: '+1 555 0003333', waId: '15550003333' }] }] });
    expect(contacts['contacts']).toEqual([
      { name: { formatted_name: 'Bob Smith', first_name: 'Bob' }, phones: [{ phone: '+1 555 0003333', wa_id: '15550003333', type: 'CELL' }] },
    ]);
    const unsupported = unsupportedMessage({ from: '1', unsupportedType: 'poll_creation' });
    expect(unsupported['unsupported']).toEqual({ type: 'poll_creation' });
    expect(unsupported['errors']).toEqual([expect.objectContaining({ code: 131051, title: 'Message type unknown' })]);
  });

  it('gives every message a fresh wamid and a string timestamp', () => {
    const a = textMessage({ from: '1', body: 'a' });
    const b = textMessage({ from: '1', body: 'b' });
    expect(a['id']).not.toBe(b['id']);
    expect(String(a['id'])).toMatch(/^wamid\./);
    expect(typeof a['timestamp']).toBe('string');
  });
});

describe('status webhooks', () => {
  it('carries pricing on sent, the callback data and the 2026 contacts block', () => {
    const payload = buildStatusWebhook({
      ...number,
      contacts: [{ waId: '15550002222', userId: 'US.1' }],
      statuses: [statusObject({ wamid: 'wamid.S', status: 'sent', recipientWaId: '15550002222', recipientUserId: 'US.1', callbackData: 'm:42', pricing: true })],
    });
    const value = payload.entry[0]?.changes[0]?.value as { contacts: object[]; statuses: Record<string, unknown>[] };
    expect(value.contacts).toEqual([{ wa_id: '15550002222', user_id: 'US.1' }]);
    expect(value.statuses[0]).toMatchObject({
      id: 'wamid.S',
      status: 'sent',
      recipient_id: '15550002222',
      recipient_user_id: 'US.1',
      biz_opaque_callback_data: 'm:42',
      pricing: { pricing_model: 'PMP', type: 'free_customer_service' },
    });
  });

  it('leaves the BSUID out of a failed status sent to a phone number and carries the errors', () => {
    const status = statusObject({
      wamid: 'wamid.F',
      status: 'failed',
      recipientWaId: '15550002222',
      recipientUserId: 'US.1',
      errors: [{ code: 131047, title: 'Re-engagement message', details: 'more than 24 hours' }],
    });
    expect(status).not.toHaveProperty('recipient_user_id');
    expect(status['errors']).toEqual([
      expect.objectContaining({ code: 131047, title: 'Re-engagement message', error_data: { details: 'more than 24 hours' } }),
    ]);
  });

  it('builds an errors-only value', () => {
    const payload = buildErrorsWebhook({ ...number, errors: [{ code: 130429, title: 'Rate limit hit' }] });
    expect(payload.entry[0]?.changes[0]?.value['errors']).toEqual([expect.objectContaining({ code: 130429 })]);
  });
});

describe('buildBatchWebhook', () => {
  const first = buildMessageWebhook({ ...number, contact: { waId: '1' }, messages: [textMessage({ from: '1', body: 'a' })] });
  const second = buildStatusWebhook({ ...number, statuses: [statusObject({ wamid: 'wamid.B', status: 'read' })] });

  it('keeps each payload as its own entry', () => {
    const batch = buildBatchWebhook([first, second]);
    expect(batch.entry).toHaveLength(2);
  });

  it('can put every change under one entry', () => {
    const batch = buildBatchWebhook([first, second], 'changes');
    expect(batch.entry).toHaveLength(1);
    expect(batch.entry[0]?.changes.map((c) => Object.keys(c.value))).toEqual([
      ['messaging_product', 'metadata', 'contacts', 'messages'],
      ['messaging_product', 'metadata', 'statuses'],
    ]);
  });
});
