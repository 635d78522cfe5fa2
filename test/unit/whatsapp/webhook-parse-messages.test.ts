import { parseWebhook } from '../../../src/whatsapp/webhook-parse';
import type { InboundMessage } from '../../../src/whatsapp/webhook-types';
import {
  BUSINESS_NUMBER,
  FIXTURE_TIME,
  expectOneItem,
  loadFixture,
  unixDate,
  wamidIn,
  wamidOut,
} from './load-fixture';

const ALICE = { waId: '15550002222', userId: 'US.7300000000000000001', profileName: 'Alice' };

/** Parses a one-message fixture, checks the envelope around it, and returns the message. */
function parseSingleMessage(name: string): InboundMessage {
  const json = loadFixture(name) as { entry: { changes: { value: { messages: unknown[] } }[] }[] };
  const parsed = parseWebhook(json);
  expect(parsed.object).toBe('whatsapp_business_account');
  const item = expectOneItem(parsed, 'message');
  expect(item.number).toEqual(BUSINESS_NUMBER);
  expect(item.contact).toEqual(ALICE);
  expect(item.message.raw).toBe(json.entry[0]?.changes[0]?.value.messages[0]);
  return item.message;
}

describe('parseWebhook: one message of each type', () => {
  it('reads a text message with its wamid and timestamp as a Date', () => {
    const message = parseSingleMessage('text');
    expect(message).toEqual({
      waMessageId: wamidIn(1),
      timestamp: unixDate(FIXTURE_TIME),
      type: 'text',
      content: { kind: 'text', body: 'Hi! Is the blue jacket still available in size M?' },
      errors: [],
      raw: message.raw,
    });
  });

  it('decodes escaped non-ASCII text and keeps the click-to-WhatsApp ad referral', () => {
    const message = parseSingleMessage('text-ad-referral');
    expect(message.content).toEqual({ kind: 'text', body: 'Hola, ¿tienen envío a Málaga? 😊' });
    expect(message.referral).toEqual({
      headline: 'Winter sale',
      body: 'Winter sale: 30% off all jackets',
      sourceUrl: 'https://fb.me/3example',
    });
  });

  it('reads an image with caption, base64 sha256 and the direct download url', () => {
    expect(parseSingleMessage('image-caption').content).toEqual({
      kind: 'media',
      mediaType: 'image',
      mediaId: '1000000000000003',
      mimeType: 'image/jpeg',
      sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
      caption: 'This one, but in grün 💚',
      url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1000000000000003&ext=1795000000&hash=ATuVx0example',
    });
  });

  it('reads a video with its caption', () => {
    expect(parseSingleMessage('video').content).toMatchObject({
      kind: 'media',
      mediaType: 'video',
      mediaId: '1000000000000004',
      mimeType: 'video/mp4',
      caption: 'The zip gets stuck here',
    });
  });

  it('marks a voice note as voice and keeps the codec in the mime type', () => {
    expect(parseSingleMessage('audio-voice').content).toMatchObject({
      kind: 'media',
      mediaType: 'audio',
      mediaId: '1000000000000005',
      mimeType: 'audio/ogg; codecs=opus',
      voice: true,
    });
  });

  it('reads a document with filename and caption', () => {
    expect(parseSingleMessage('document').content).toMatchObject({
      kind: 'media',
      mediaType: 'document',
      mediaId: '1000000000000006',
      mimeType: 'application/pdf',
      filename: 'receipt-2026-11.pdf',
      caption: 'My receipt',
    });
  });

  it('reads a sticker and whether it is animated', () => {
    const content = parseSingleMessage('sticker').content;
    expect(content).toMatchObject({ kind: 'media', mediaType: 'sticker', mimeType: 'image/webp', animated: false });
  });

  it('reads a location with numeric latitude and longitude', () => {
    expect(parseSingleMessage('location').content).toEqual({
      kind: 'location',
      latitude: 40.4168,
      longitude: -3.7038,
      name: 'Tienda Centro',
      address: 'Calle Mayor 1, Madrid',
    });
  });

  it('reads shared contacts with names, phones, emails and company', () => {
    expect(parseSingleMessage('contacts').content).toEqual({
      kind: 'contacts',
      contacts: [
        {
          name: 'Dana Pérez',
          phones: [
            { phone: '+1 555-000-5555', waId: '15550005555', type: 'CELL' },
            { phone: '+1 555-000-5556', type: 'WORK' },
          ],
          emails: ['dana@example.com'],
          org: 'Acme Tailoring',
        },
      ],
    });
  });

  it('reads an interactive button reply and the message it answers', () => {
    const message = parseSingleMessage('interactive-button-reply');
    expect(message.content).toEqual({
      kind: 'interactive_reply',
      replyType: 'button_reply',
      id: 'confirm_yes',
      title: 'Yes, confirm',
    });
    expect(message.contextWaMessageId).toBe(wamidOut(10));
  });

  it('reads an interactive list reply with its description', () => {
    expect(parseSingleMessage('interactive-list-reply').content).toEqual({
      kind: 'interactive_reply',
      replyType: 'list_reply',
      id: 'slot_tue_10',
      title: 'Tuesday 10:00',
      description: 'In-store fitting',
    });
  });

  it('reads a template quick-reply button with text and payload', () => {
    const message = parseSingleMessage('template-button');
    expect(message.content).toEqual({ kind: 'button', text: 'Stop promotions', payload: 'STOP_PROMOS' });
    expect(message.contextWaMessageId).toBe(wamidOut(12));
  });

  it('reads a reaction whose emoji was sent as a surrogate-pair escape', () => {
    expect(parseSingleMessage('reaction').content).toEqual({
      kind: 'reaction',
      targetWaMessageId: wamidOut(13),
      emoji: '👍',
    });
  });

  it('reads a reaction without emoji as its removal', () => {
    const content = parseSingleMessage('reaction-removed').content;
    expect(content).toEqual({ kind: 'reaction', targetWaMessageId: wamidOut(13) });
    expect(content.kind === 'reaction' && content.emoji).toBeUndefined();
  });

  it('links a reply to the business message it quotes', () => {
    const message = parseSingleMessage('reply-context');
    expect(message.content).toEqual({ kind: 'text', body: 'Yes please, Thursday works' });
    expect(message.contextWaMessageId).toBe(wamidOut(15));
    expect(message.forwarded).toBeUndefined();
  });

  it('flags forwarded and frequently forwarded messages', () => {
    const parsed = parseWebhook(loadFixture('forwarded'));
    expect(parsed.items.map((item) => item.type)).toEqual(['message', 'message']);
    const [first, second] = parsed.items.map((item) => (item.type === 'message' ? item.message : undefined));
    expect(first).toMatchObject({ waMessageId: wamidIn(16), forwarded: true, content: { kind: 'text' } });
    expect(first?.contextWaMessageId).toBeUndefined();
    expect(second).toMatchObject({
      waMessageId: wamidIn(17),
      frequentlyForwarded: true,
      timestamp: unixDate(FIXTURE_TIME + 5),
      content: { kind: 'media', mediaType: 'image', mediaId: '1000000000000017' },
    });
  });

  it('reads an order with every product item', () => {
    expect(parseSingleMessage('order').content).toEqual({
      kind: 'order',
      catalogId: '300000000000003',
      text: 'Please gift-wrap',
      items: [
        { productRetailerId: 'JKT-BLUE-M', quantity: 1, itemPrice: 89.9, currency: 'EUR' },
        { productRetailerId: 'SCARF-GRY', quantity: 2, itemPrice: 19.5, currency: 'EUR' },
      ],
    });
  });

  it('reads an unsupported message with its kind and the 131051 error', () => {
    const message = parseSingleMessage('unsupported');
    expect(message.type).toBe('unsupported');
    expect(message.content).toEqual({ kind: 'unsupported', unsupportedType: 'poll_creation' });
    expect(message.errors).toEqual([
      {
        code: 131051,
        title: 'Message type unknown',
        message: 'Message type unknown',
        details: 'Message type is currently not supported.',
      },
    ]);
  });

  it('treats the legacy "unknown" type as unsupported and keeps its error', () => {
    const message = parseSingleMessage('unknown-legacy');
    expect(message.type).toBe('unknown');
    expect(message.content).toEqual({ kind: 'unsupported' });
    expect(message.errors).toEqual([{ code: 131051, title: 'Unsupported message type' }]);
  });
});
