import { buildInboundMessage } from '../../../blocks/inbound-message';
import type { InboundKind, InboundMessageInput, InboundView } from '../../../blocks/types';
import { allText, collectMrkdwn, listLimitViolations, listSlackTokens } from './slack-limits';

const sentAt = new Date('2026-11-24T14:05:00Z');
const MB = 1024 * 1024;

function post(content: InboundView, extra: Partial<InboundMessageInput> = {}) {
  return buildInboundMessage({ content, sentAt, ...extra });
}

/** One view per kind: the Record type fails to compile when a kind is added without a case here. */
const EVERY_KIND: Record<InboundKind, InboundView> = {
  text: { kind: 'text', textMrkdwn: 'Hi, is my order on its way?' },
  media: { kind: 'media', mediaType: 'image', captionMrkdwn: 'the box' },
  media_too_large: { kind: 'media_too_large', mediaType: 'video', sizeBytes: 120 * MB, limitBytes: 100 * MB },
  media_unavailable: { kind: 'media_unavailable', mediaType: 'document', reason: 'Meta deleted the file' },
  location: { kind: 'location', latitude: 52.52, longitude: 13.405, name: 'Office' },
  contacts: { kind: 'contacts', contacts: [{ name: 'Bob', phones: ['+1 555 0100'], emails: [] }] },
  interactive_reply: { kind: 'interactive_reply', title: 'Track order' },
  button: { kind: 'button', text: 'Yes' },
  order: { kind: 'order', items: [{ productRetailerId: 'SKU-1', quantity: 1, itemPrice: 5, currency: 'USD' }] },
  system: { kind: 'system', description: 'changed their phone number.' },
  unsupported: { kind: 'unsupported', unsupportedType: 'poll_creation' },
  unknown: { kind: 'unknown', type: 'hologram' },
  unreadable: { kind: 'unreadable', type: 'text', reference: 'inbox row #12' },
};

describe('buildInboundMessage', () => {
  it.each(Object.entries(EVERY_KIND))('renders a %s message within Slack limits', (_kind, content) => {
    const message = post(content);
    expect(message.blocks.some((block) => block.type === 'section')).toBe(true);
    expect(message.text.trim().length).toBeGreaterThan(0);
    expect(listLimitViolations(message)).toEqual([]);
  });

  it('posts text as it came, with the text as fallback', () => {
    const message = post({ kind: 'text', textMrkdwn: 'Hello *there*' });
    expect(message.text).toBe('Hello *there*');
    expect(message.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'Hello *there*' } }]);
  });

  it('spreads a 10k-character text over sections of at most 3000 characters', () => {
    const long = 'lorem ipsum '.repeat(850);
    const message = post({ kind: 'text', textMrkdwn: long });
    const sections = message.blocks.filter((block) => block.type === 'section');
    expect(sections.length).toBe(4);
    expect(listLimitViolations(message)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it('never passes 50 blocks, however long the text', () => {
    const huge = 'x '.repeat(200_000);
    const message = post({ kind: 'text', textMrkdwn: huge }, { forwarded: 'forwarded', reactions: [{ emoji: '👍', at: sentAt }] });
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(listLimitViolations(message)).toEqual([]);
  });

  it.each([
    [{ mediaType: 'image' }, '🖼️ Photo'],
    [{ mediaType: 'video' }, '🎬 Video'],
    [{ mediaType: 'audio', voice: true }, '🎤 Voice note'],
    [{ mediaType: 'audio' }, '🎵 Audio'],
    [{ mediaType: 'document', filename: 'invoice.pdf' }, '📄 invoice.pdf'],
    [{ mediaType: 'sticker' }, '🏷️ Sticker'],
  ] as const)('labels media %o as "%s" in the upload comment', (media, label) => {
    const message = post({ kind: 'media', ...media });
    expect(message.text).toBe(label);
  });

  it('puts a caption under the media label, in the comment and the blocks', () => {
    const message = post({ kind: 'media', mediaType: 'image', captionMrkdwn: 'the *broken* lid' });
    expect(message.text).toBe('🖼️ Photo\nthe *broken* lid');
    expect(collectMrkdwn(message)).toContain('🖼️ Photo\nthe *broken* lid');
  });

  it('escapes a document filename', () => {
    const message = post({ kind: 'media', mediaType: 'document', filename: '<!here>.pdf' });
    expect(message.text).toBe('📄 &lt;!here&gt;.pdf');
  });

  it('explains a file too large to bring into Slack, with its size and the limit', () => {
    const message = post({ ...EVERY_KIND.media_too_large, captionMrkdwn: 'my unboxing' } as InboundView);
    expect(message.text).toContain(
      'sent a 120 MB video — larger than the 100 MB threadline brings into Slack. Ask them to share it another way.',
    );
    expect(message.text).toContain('my unboxing');
  });

  it('uses "an" before a size that starts with a vowel sound', () => {
    const message = post({ kind: 'media_too_large', mediaType: 'video', sizeBytes: 8 * MB, limitBytes: 5 * MB });
    expect(message.text).toContain('sent an 8 MB video');
  });

  it('explains media that could not be fetched, with the reason', () => {
    expect(post(EVERY_KIND.media_unavailable).text).toContain(
      'sent a document that threadline could not bring into Slack: Meta deleted the file. Ask them to send it again.',
    );
  });

  it('shows a location with name, address and a Google Maps link', () => {
    const message = post({
      kind: 'location',
      latitude: 52.52,
      longitude: 13.405,
      name: 'Office',
      address: 'Main St 1 & 2',
      url: 'https://example.com/place',
    });
    const text = allText(message);
    expect(text).toContain('📍 *Office*');
    expect(text).toContain('Main St 1 &amp; 2');
    expect(text).toContain('<https://www.google.com/maps/search/?api=1&amp;query=52.52,13.405|Open in Google Maps>');
    expect(text).toContain('<https://example.com/place|https://example.com/place>');
  });

  it('shows each shared contact with phones, emails and organisation', () => {
    const message = post({
      kind: 'contacts',
      contacts: [
        { name: 'Bob', phones: ['+1 555 0100', '+1 555 0101'], emails: ['bob@x.test'], org: 'Acme' },
        { name: 'Cy', phones: [], emails: [] },
      ],
    });
    expect(message.text).toContain('👤 *Bob* — Acme\n📞 +1 555 0100, +1 555 0101\n✉️ bob@x.test');
    expect(message.text).toContain('👤 *Cy*');
  });

  it('shows a list or button reply as what they chose', () => {
    const chose = post({ kind: 'interactive_reply', title: 'Track order', description: 'Where is my parcel' });
    expect(chose.text).toBe('Chose *Track order*\n_Where is my parcel_');
    expect(post({ kind: 'button', text: 'Yes please' }).text).toBe('Tapped *Yes please*');
  });

  it('lists order items and totals each currency', () => {
    const message = post({
      kind: 'order',
      text: 'Gift wrap please',
      items: [
        { productRetailerId: 'SKU-1', quantity: 2, itemPrice: 10, currency: 'usd' },
        { productRetailerId: 'SKU-2', quantity: 1, itemPrice: 2.5, currency: 'USD' },
        { productRetailerId: 'SKU-3', quantity: 3, itemPrice: 4, currency: 'EUR' },
        { productRetailerId: 'SKU-4' },
      ],
    });
    expect(message.text).toContain('• 2 × SKU-1 — 10.00 USD each');
    expect(message.text).toContain('• 1 × SKU-4\n');
    expect(message.text).toContain('*Total:* 22.50 USD + 12.00 EUR');
    expect(message.text).toContain('Gift wrap please');
  });

  it('names an unsupported type and says what to ask for', () => {
    expect(post(EVERY_KIND.unsupported).text).toBe(
      '⚠️ sent a message type WhatsApp does not deliver to the API (poll_creation). Ask them to send it as text.',
    );
  });

  it('names an unknown type threadline cannot show yet', () => {
    expect(post(EVERY_KIND.unknown).text).toBe('⚠️ sent a `hologram` message threadline cannot show yet.');
  });

  it('marks a reply with the quoted snippet, linked to the quoted post', () => {
    const message = post(EVERY_KIND.text, {
      quoted: { snippetMrkdwn: 'Your order\n> ships today', permalink: 'https://acme.slack.com/p1', fromCustomer: false },
    });
    expect(message.blocks[0]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '↩ <https://acme.slack.com/p1|replying to the team>: Your order > ships today' }],
    });
  });

  it('marks a reply to a message threadline does not have', () => {
    const message = post(EVERY_KIND.text, { quoted: { missing: true } });
    expect(allText(message)).toContain('↩ replying to an earlier message');
  });

  it('marks forwarded messages', () => {
    expect(post(EVERY_KIND.text, { forwarded: 'forwarded' }).text).toContain('↪ Forwarded');
    expect(post(EVERY_KIND.text, { forwarded: 'frequently_forwarded' }).text).toContain('↪ Forwarded many times');
  });

  it('appends the customer reaction as the last line, and drops it when removed', () => {
    const reacted = post(EVERY_KIND.text, { reactions: [{ emoji: '👍', at: sentAt }] });
    expect(reacted.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'reacted 👍' }] });
    const removed = post(EVERY_KIND.text, { reactions: [] });
    expect(allText(removed)).not.toContain('reacted');
  });

  it('keeps Slack commands in plain fields inert', () => {
    const views: InboundView[] = [
      { kind: 'button', text: '<!channel>' },
      { kind: 'interactive_reply', title: '<!here>', description: '<@U123>' },
      { kind: 'system', description: '<!everyone>' },
      { kind: 'contacts', contacts: [{ name: '<!channel>', phones: ['<!here>'], emails: ['<@U1>'], org: '<#C1>' }] },
      { kind: 'order', text: '<!channel>', items: [{ productRetailerId: '<!here>', itemPrice: 1, currency: '<@U1>' }] },
      { kind: 'unsupported', unsupportedType: '<!channel>' },
      { kind: 'unknown', type: '<!channel>' },
      { kind: 'location', latitude: 1, longitude: 2, name: '<!here>', address: '<!channel>', url: 'https://x.test/<!here>' },
    ];
    for (const view of views) {
      const tokens = listSlackTokens(post(view));
      expect(tokens.filter((token) => !/^<(https:\/\/[^|]*\|)/.test(token))).toEqual([]);
    }
  });
});

describe('buildInboundMessage: edits and deletions by the customer', () => {
  const at = new Date('2026-11-24T14:09:00Z');

  it('marks an edited message, shows the new text and keeps the first version on a context line', () => {
    const rendered = post({ kind: 'text', textMrkdwn: 'I want 3 boxes' }, { edited: { at, originalMrkdwn: 'I want 2 boxes\nplease' } });
    expect(rendered.text).toContain('✏️ *Edited by the customer*');
    expect(rendered.text).toContain('I want 3 boxes');
    expect(rendered.text).toContain('was: I want 2 boxes please');
    const kinds = rendered.blocks.map((b) => b.type);
    expect(kinds).toEqual(['context', 'section', 'context']);
    expect(listLimitViolations(rendered)).toEqual([]);
  });

  it('says so when the new version could not be read, and shows no "was" line', () => {
    const rendered = post({ kind: 'text', textMrkdwn: 'first' }, { edited: { at, originalMrkdwn: 'first', unreadable: true } });
    expect(rendered.text).toContain('could not read the new version');
    expect(rendered.text).not.toContain('was:');
  });

  it('marks a deleted message and keeps its text for the team', () => {
    const rendered = post({ kind: 'text', textMrkdwn: 'my card number is 1234' }, { deleted: { at } });
    expect(rendered.text).toContain('🗑️ *Deleted by the customer*');
    expect(rendered.text).toContain('kept here for the team');
    expect(rendered.text).toContain('my card number is 1234');
  });

  it('keeps a long first version within the context limit', () => {
    const rendered = post({ kind: 'text', textMrkdwn: 'short now' }, { edited: { at, originalMrkdwn: 'x'.repeat(4096) } });
    expect(listLimitViolations(rendered)).toEqual([]);
    expect(rendered.text).toContain('was: ');
  });
});
