import {
  buttonMessage,
  contactsMessage,
  interactiveReply,
  locationMessage,
  mediaMessage,
  newWamid,
  reactionMessage,
  textMessage,
  unsupportedMessage,
  type WebhookMediaType,
} from '../../src/emulators/whatsapp-webhooks';
import type { StoredMessage } from '../../src/emulators/slack-types';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { repliesUnder, threadText, waitForCardOf, waitForReply } from '../helpers/inbound';
import { waitFor } from '../helpers/wait';

const CUSTOMER = { from: '15550300001', name: 'Types Tina' };
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a tiny jpeg body')]);
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42 a tiny video')]);
const OGG = Buffer.from('OggS a tiny opus voice note');
const PDF = Buffer.from('%PDF-1.4 a tiny invoice');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x20, 0, 0, 0]), Buffer.from('WEBPVP8 a tiny sticker')]);

describe('every kind of customer message shows in the thread', () => {
  let h: Harness;
  let cardTs: string;
  beforeAll(async () => {
    h = await startHarness();
    await h.graph.customerSends({ ...CUSTOMER, text: 'opening the thread' });
    cardTs = (await waitForCardOf(h, CUSTOMER.name)).ts;
    await waitForReply(h, cardTs, 'opening the thread');
  });
  afterAll(async () => {
    await h.close();
  });

  const send = (message: Record<string, unknown>) => h.graph.customerSends({ ...CUSTOMER, message });
  const reply = (text: string) => waitForReply(h, cardTs, text);
  const fileUploadOf = (post: StoredMessage) => {
    const fileId = String(post.files?.[0]?.id);
    return { fileId, file: h.slack.file(fileId) };
  };

  it('keeps WhatsApp formatting and leaves mentions typed by the customer inert', async () => {
    await send(textMessage({ body: '*bold* _italic_ ~strike~ ```mono``` hey <!channel> and <@U0ANA> & co' }));
    const post = await reply('*bold* _italic_ ~strike~ ```mono```');
    expect(post.text).toContain('&lt;!channel&gt; and &lt;@U0ANA&gt; &amp; co');
    const everything = post.text + JSON.stringify(post.blocks);
    expect(everything).not.toContain('<!channel>');
    expect(everything).not.toContain('<@U0ANA>');
  });

  const mediaCases: {
    what: string;
    type: WebhookMediaType;
    data: Buffer;
    mimeType: string;
    extra: { caption?: string; filename?: string; voice?: boolean; animated?: boolean };
    label: string;
  }[] = [
    { what: 'photo with its caption', type: 'image', data: JPEG, mimeType: 'image/jpeg', extra: { caption: 'My *receipt*' }, label: '🖼️ Photo\nMy *receipt*' },
    { what: 'video', type: 'video', data: MP4, mimeType: 'video/mp4', extra: { caption: 'unboxing' }, label: '🎬 Video\nunboxing' },
    { what: 'audio file', type: 'audio', data: OGG, mimeType: 'audio/ogg', extra: {}, label: '🎵 Audio' },
    { what: 'voice note', type: 'audio', data: OGG, mimeType: 'audio/ogg; codecs=opus', extra: { voice: true }, label: '🎤 Voice note' },
    { what: 'document under its file name', type: 'document', data: PDF, mimeType: 'application/pdf', extra: { filename: 'invoice-42.pdf' }, label: '📄 invoice-42.pdf' },
    { what: 'sticker', type: 'sticker', data: WEBP, mimeType: 'image/webp', extra: { animated: false }, label: '🏷️ Sticker' },
  ];

  it.each(mediaCases)('brings a $what into the thread with the files v2 upload', async ({ type, data, mimeType, extra, label }) => {
    const mediaId = h.graph.addMedia({ data, mimeType });
    const wamid = newWamid();
    await send(mediaMessage(type, { id: wamid, mediaId, mimeType, ...extra }));
    const post = await waitFor(`the ${type} upload`, () =>
      repliesUnder(h, cardTs).find((m) => m.upload && m.text.startsWith(label.split('\n')[0]!) && m.text.includes(label)),
    );
    const { fileId, file } = fileUploadOf(post);
    expect(file?.bytes?.equals(h.graph.findMedia(mediaId)!.data)).toBe(true);
    if (type === 'document') expect(file?.name).toBe('invoice-42.pdf');

    const asked = h.slack.callsTo('files.getUploadURLExternal').find((c) => (c.response as { file_id?: string }).file_id === fileId);
    expect(Number(asked?.params.length)).toBe(data.length);
    const completed = h.slack.callsTo('files.completeUploadExternal').find((c) => JSON.stringify(c.params.files).includes(fileId));
    expect(completed?.params).toMatchObject({ channel_id: INBOX, thread_ts: cardTs, username: CUSTOMER.name });
    expect(String(completed?.params.initial_comment)).toContain(label);

    const graphCalls = h.graph.calls.filter((c) => c.route === 'media_get' && c.path.includes(mediaId));
    expect(graphCalls.length).toBeGreaterThan(0);
    expect(graphCalls[0]?.authorization).toBe('Bearer test-whatsapp-token');
    expect(h.graph.calls.some((c) => c.route === 'media_download' && c.path.includes(`mid=${mediaId}`) && c.status === 200)).toBe(true);
  });

  it('posts a clear notice instead of a file Graph reports as over the size limit', async () => {
    const mediaId = h.graph.addMedia({ data: MP4, mimeType: 'video/mp4', reportedFileSize: 150 * 1024 * 1024 });
    await send(mediaMessage('video', { mediaId, mimeType: 'video/mp4', caption: 'the whole wedding' }));
    const post = await reply('150 MB video');
    expect(post.text).toContain('larger than the 100 MB');
    expect(post.text).toContain('the whole wedding');
    expect(h.graph.calls.some((c) => c.route === 'media_download' && c.path.includes(`mid=${mediaId}`))).toBe(false);
  });

  it('retries a download that failed on the way and still brings the file in', async () => {
    const mediaId = h.graph.addMedia({ data: JPEG, mimeType: 'image/jpeg' });
    h.graph.injectFault({ route: 'media_download', kind: 'http_500' });
    await send(mediaMessage('image', { mediaId, mimeType: 'image/jpeg', caption: 'second try' }));
    const post = await reply('second try');
    expect(fileUploadOf(post).file?.bytes?.equals(JPEG)).toBe(true);
    const downloads = h.graph.calls.filter((c) => c.route === 'media_download' && c.path.includes(`mid=${mediaId}`));
    expect(downloads.map((c) => c.status)).toEqual([500, 200]);
  });

  it('posts a clear notice when the media can no longer be fetched', async () => {
    await send(mediaMessage('image', { mediaId: '999000111222333', mimeType: 'image/jpeg', caption: 'long gone' }));
    const post = await reply('could not bring into Slack');
    expect(post.text).toContain('photo');
    expect(post.text).toContain('long gone');
  });

  it('shows a location with its name, address and a map link', async () => {
    await send(locationMessage({ latitude: 38.7223, longitude: -9.1393, name: 'Shop & Café', address: 'Rua Augusta 1, Lisboa' }));
    const post = await reply('Rua Augusta 1, Lisboa');
    expect(post.text).toContain('📍 *Shop &amp; Café*');
    expect(post.text).toContain('https://www.google.com/maps/search/?api=1&amp;query=38.7223,-9.1393');
  });

  it('shows a shared contact with name and phone', async () => {
    await send(contactsMessage({ contacts: [{ name: 'Pedro Alves', phones: [{ phone: '+351 912 345 678', waId: '351912345678' }] }] }));
    const post = await reply('Pedro Alves');
    expect(post.text).toContain('+351 912 345 678');
  });

  it('shows the chosen title of a button reply, a list reply and a template quick reply', async () => {
    await send(interactiveReply({ replyType: 'button_reply', replyId: 'confirm', title: 'Yes, confirm' }));
    await send(interactiveReply({ replyType: 'list_reply', replyId: 'size-m', title: 'Size M', description: 'Fits 38–40' }));
    await send(buttonMessage({ text: 'Stop promotions', payload: 'STOP' }));
    await reply('Tapped *Stop promotions*');
    const thread = threadText(h, cardTs);
    expect(thread).toContain('Chose *Yes, confirm*');
    expect(thread).toContain('Chose *Size M*\n_Fits 38–40_');
  });

  it('shows an order from the catalogue with its items and total', async () => {
    await send({
      type: 'order',
      order: {
        catalog_id: '8800111',
        text: 'gift wrap please',
        product_items: [
          { product_retailer_id: 'JACKET-M', quantity: 1, item_price: 79.5, currency: 'EUR' },
          { product_retailer_id: 'SCARF', quantity: 2, item_price: 10, currency: 'EUR' },
        ],
      },
    });
    const post = await reply('gift wrap please');
    expect(post.text).toContain('🛒 *Order* (2 items)');
    expect(post.text).toContain('2 × SCARF — 10.00 EUR each');
    expect(post.text).toContain('*Total:* 99.50 EUR');
  });

  it('shows a reaction on the mirrored message and clears it when removed', async () => {
    const target = newWamid();
    await send(textMessage({ id: target, body: 'react to me please' }));
    const post = await reply('react to me please');
    const updatesOfPost = () => h.slack.callsTo('chat.update').filter((c) => c.params.ts === post.ts && c.status === 200);

    await send(reactionMessage({ messageId: target, emoji: '👍' }));
    await waitFor('the reaction on the post', () => h.slack.message(INBOX, post.ts)?.text.includes('reacted 👍'));
    expect(updatesOfPost()).toHaveLength(1);

    await send(reactionMessage({ messageId: target }));
    await waitFor('the reaction cleared', () => updatesOfPost().length === 2);
    expect(h.slack.message(INBOX, post.ts)?.text).not.toContain('reacted');
    expect(h.slack.message(INBOX, post.ts)?.text).toContain('react to me please');
  });

  it('tells the thread about a reaction to a photo, with the caption kept inert', async () => {
    const target = newWamid();
    const mediaId = h.graph.addMedia({ data: JPEG, mimeType: 'image/jpeg' });
    await send(mediaMessage('image', { id: target, mediaId, mimeType: 'image/jpeg', caption: '<!here> is the damage' }));
    await waitFor('the photo', () => repliesUnder(h, cardTs).find((m) => m.upload && m.text.includes('is the damage')));
    await send(reactionMessage({ messageId: target, emoji: '😢' }));
    const notice = await reply('The customer reacted 😢');
    expect(notice.text).toContain('&lt;!here&gt; is the damage');
    expect(notice.text + JSON.stringify(notice.blocks)).not.toContain('<!here>');
  });

  it('shows the quoted message on a reply', async () => {
    const original = newWamid();
    await send(textMessage({ id: original, body: 'Which colours do you have?' }));
    await reply('Which colours do you have?');
    await h.graph.customerSends({ ...CUSTOMER, text: 'Blue would be great', contextId: original });
    const post = await reply('Blue would be great');
    expect(post.text).toMatch(/↩ .*replying to.*: Which colours do you have\?/);
  });

  it('posts a visible notice for an unsupported and an unknown message type', async () => {
    await send(unsupportedMessage({ unsupportedType: 'poll_creation' }));
    await send({ type: 'hologram', hologram: { shimmer: true } });
    await reply('hologram');
    const thread = threadText(h, cardTs);
    expect(thread).toContain('does not deliver to the API (poll_creation)');
    expect(thread).toContain('sent a `hologram` message threadline cannot show yet');
  });
});
