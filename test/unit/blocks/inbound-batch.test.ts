import {
  buildInboundBatch,
  buildInboundMessage,
  fitsInBatch,
  isBatchable,
  MAX_BATCH,
} from '../../../blocks/inbound-message';
import type { InboundKind, InboundMessageInput, InboundView } from '../../../blocks/types';
import { listLimitViolations } from './slack-limits';

const base = new Date('2026-11-24T14:05:00Z');
const unix = (date: Date) => Math.floor(date.getTime() / 1000);

function textInput(i: number, text = `message ${i}`, extra: Partial<InboundMessageInput> = {}): InboundMessageInput {
  return { content: { kind: 'text', textMrkdwn: text }, sentAt: new Date(base.getTime() + i * 60_000), ...extra };
}

describe('isBatchable', () => {
  const expected: Record<InboundKind, boolean> = {
    text: true,
    media: false,
    media_too_large: true,
    media_unavailable: true,
    location: true,
    contacts: true,
    interactive_reply: true,
    button: true,
    order: true,
    system: true,
    unsupported: true,
    unknown: true,
    unreadable: true,
  };
  const views: Record<InboundKind, InboundView> = {
    text: { kind: 'text', textMrkdwn: 'hi' },
    media: { kind: 'media', mediaType: 'image' },
    media_too_large: { kind: 'media_too_large', mediaType: 'video', limitBytes: 1 },
    media_unavailable: { kind: 'media_unavailable', mediaType: 'audio', reason: 'gone' },
    location: { kind: 'location', latitude: 0, longitude: 0 },
    contacts: { kind: 'contacts', contacts: [] },
    interactive_reply: { kind: 'interactive_reply', title: 't' },
    button: { kind: 'button', text: 't' },
    order: { kind: 'order', items: [] },
    system: { kind: 'system', description: 'd' },
    unsupported: { kind: 'unsupported' },
    unknown: { kind: 'unknown', type: 'x' },
    unreadable: { kind: 'unreadable', type: 'text', reference: 'inbox row #1' },
  };

  it.each(Object.keys(expected) as InboundKind[])('decides whether a %s message can share a post', (kind) => {
    expect(isBatchable(views[kind])).toBe(expected[kind]);
  });
});

describe('fitsInBatch', () => {
  it('takes every message of a short run', () => {
    expect(fitsInBatch([textInput(0), textInput(1), textInput(2)])).toBe(3);
  });

  it('stops at MAX_BATCH', () => {
    const inputs = Array.from({ length: MAX_BATCH + 5 }, (_, i) => textInput(i));
    expect(fitsInBatch(inputs)).toBe(MAX_BATCH);
  });

  it('stops at the first media message, which is posted as a file of its own', () => {
    const media: InboundMessageInput = { content: { kind: 'media', mediaType: 'image' }, sentAt: base };
    expect(fitsInBatch([textInput(0), media, textInput(2)])).toBe(1);
    expect(fitsInBatch([media, textInput(1)])).toBe(0);
  });

  it('stops before the post would pass 50 blocks', () => {
    // Each long text takes a time line, two sections and a reactions line: four blocks.
    const long = 'word '.repeat(900);
    const inputs = Array.from({ length: 20 }, (_, i) =>
      textInput(i, long, { reactions: [{ emoji: '👍', at: base }] }),
    );
    const count = fitsInBatch(inputs);
    expect(count).toBe(12);
    expect(buildInboundBatch(inputs.slice(0, count)).blocks.length).toBeLessThanOrEqual(50);
  });
});

describe('buildInboundBatch', () => {
  it('puts each message under its own time, in order', () => {
    const inputs = [textInput(0, 'first'), textInput(1, 'second')];
    const batch = buildInboundBatch(inputs);
    expect(batch.blocks).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<!date^${unix(inputs[0]!.sentAt)}^{time}|14:05 UTC>` }] },
      { type: 'section', text: { type: 'mrkdwn', text: 'first' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<!date^${unix(inputs[1]!.sentAt)}^{time}|14:06 UTC>` }] },
      { type: 'section', text: { type: 'mrkdwn', text: 'second' } },
    ]);
    expect(batch.text).toBe('first\nsecond');
  });

  it('keeps quotes, forwarding and reactions with their own message', () => {
    const batch = buildInboundBatch([
      textInput(0, 'a', { forwarded: 'forwarded', quoted: { missing: true } }),
      textInput(1, 'b', { reactions: [{ emoji: '❤️', at: base }] }),
    ]);
    const contexts = batch.blocks.filter((block) => block.type === 'context').map((block) => JSON.stringify(block));
    expect(contexts[0]).toContain('↪ Forwarded');
    expect(contexts[0]).toContain('↩ replying to an earlier message');
    expect(contexts.at(-1)).toContain('reacted ❤️');
  });

  it('stays within every limit at the largest batch fitsInBatch allows', () => {
    const inputs = Array.from({ length: 40 }, (_, i) => textInput(i, 'x'.repeat(4096)));
    const batch = buildInboundBatch(inputs.slice(0, fitsInBatch(inputs)));
    expect(listLimitViolations(batch)).toEqual([]);
  });

  it('renders non-text kinds the same way the single post does', () => {
    const order: InboundMessageInput = {
      content: { kind: 'order', items: [{ productRetailerId: 'SKU', quantity: 2, itemPrice: 3, currency: 'USD' }] },
      sentAt: base,
    };
    const single = buildInboundMessage(order);
    const batch = buildInboundBatch([order]);
    expect(batch.blocks.slice(1)).toEqual(single.blocks);
  });

  it('refuses what does not fit, so the caller never loses track of a message', () => {
    expect(() => buildInboundBatch([])).toThrow(RangeError);
    expect(() => buildInboundBatch(Array.from({ length: MAX_BATCH + 1 }, (_, i) => textInput(i)))).toThrow(RangeError);
    expect(() => buildInboundBatch([{ content: { kind: 'media', mediaType: 'image' }, sentAt: base }])).toThrow(
      RangeError,
    );
  });
});
