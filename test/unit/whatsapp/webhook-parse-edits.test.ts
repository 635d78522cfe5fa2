import { editMessage, revokeMessage } from '../../../src/emulators/whatsapp-webhooks';
import { parseWebhook } from '../../../src/whatsapp/webhook-parse';

const METADATA = { display_phone_number: '15550001111', phone_number_id: '100000000000001' };

function contentOf(message: Record<string, unknown>): unknown {
  const { items } = parseWebhook({
    object: 'whatsapp_business_account',
    entry: [{ id: '200000000000002', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: METADATA, messages: [message] } }] }],
  });
  expect(items).toHaveLength(1);
  const [item] = items;
  return item?.type === 'message' ? item.message.content : item;
}

const base = { from: '15550002222', id: 'wamid.EDIT', timestamp: '1795000000' };

describe('parseWebhook: edits and deletions (coexistence)', () => {
  it('reads a text edit as the new version of the original message', () => {
    expect(contentOf({ ...base, type: 'edit', edit: { original_message_id: 'wamid.ORIG', message: { type: 'text', text: { body: 'Text was edited' } } } })).toEqual({
      kind: 'edit',
      targetWaMessageId: 'wamid.ORIG',
      edited: { kind: 'text', body: 'Text was edited' },
    });
  });

  it("reads a caption edit in Meta's documented shape, context included", () => {
    const content = contentOf({
      ...base,
      type: 'edit',
      edit: {
        original_message_id: 'wamid.ORIG',
        message: { context: { id: 'wamid.CTX' }, type: 'image', image: { caption: 'new caption', mime_type: 'image/jpeg', sha256: 'abc=', id: '123', url: 'https://x' } },
      },
    });
    expect(content).toMatchObject({ kind: 'edit', targetWaMessageId: 'wamid.ORIG', edited: { kind: 'media', mediaType: 'image', caption: 'new caption', mediaId: '123' } });
  });

  it('keeps an edit whose new version it cannot read, with the message it edits', () => {
    expect(contentOf({ ...base, type: 'edit', edit: { original_message_id: 'wamid.ORIG', message: { type: 'poll', poll: {} } } })).toEqual({
      kind: 'edit',
      targetWaMessageId: 'wamid.ORIG',
      edited: { kind: 'unknown', type: 'poll' },
    });
    expect(contentOf({ ...base, type: 'edit', edit: { original_message_id: 'wamid.ORIG' } })).toEqual({
      kind: 'edit',
      targetWaMessageId: 'wamid.ORIG',
      edited: { kind: 'unknown', type: 'edit' },
    });
  });

  it('reads a deletion for everyone', () => {
    expect(contentOf({ ...base, type: 'revoke', revoke: { original_message_id: 'wamid.ORIG' } })).toEqual({ kind: 'revoke', targetWaMessageId: 'wamid.ORIG' });
  });

  it('shows an edit or deletion that names no original as something that arrived, not a crash', () => {
    expect(contentOf({ ...base, type: 'revoke', revoke: {} })).toEqual({ kind: 'unknown', type: 'revoke' });
    expect(contentOf({ ...base, type: 'edit', edit: { message: { type: 'text', text: { body: 'x' } } } })).toEqual({ kind: 'unknown', type: 'edit' });
  });

  it("parses what the emulator's builders emit", () => {
    expect(contentOf(editMessage({ ...base, timestamp: undefined, originalId: 'wamid.O', body: 'fixed' }))).toMatchObject({ kind: 'edit', edited: { kind: 'text', body: 'fixed' } });
    expect(contentOf(editMessage({ from: base.from, originalId: 'wamid.O', mediaType: 'video', mediaId: 'm1', mimeType: 'video/mp4', caption: 'c2' }))).toMatchObject({
      kind: 'edit',
      edited: { kind: 'media', mediaType: 'video', caption: 'c2' },
    });
    expect(contentOf(revokeMessage({ from: base.from, originalId: 'wamid.O' }))).toEqual({ kind: 'revoke', targetWaMessageId: 'wamid.O' });
  });
});
