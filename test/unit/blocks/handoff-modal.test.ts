import type { ModalView } from '@slack/types';
import {
  HandoffModalIds,
  MAX_MODAL_CONVERSATIONS,
  buildHandoffLoadingModal,
  buildHandoffMessageModal,
  buildHandoffModal,
  describeWindowLeft,
  type HandoffModalInput,
} from '../../../blocks/handoff-modal';
import { encodeHandoffMetadata } from '../../../src/services/handoff-form';

const NOW = new Date('2026-11-24T10:00:00Z');
const HOUR = 3600_000;

function conversations(n: number): HandoffModalInput['conversations'] {
  return Array.from({ length: n }, (_, i) => ({
    id: 1000 + i,
    customer: { name: `Customer ${i}`, phone: `1555000${String(i).padStart(4, '0')}` },
    state: 'waiting_on_agent' as const,
    ownerId: 'U0ANA',
    window: { open: true, closesAt: new Date(NOW.getTime() + 5 * HOUR) },
    lastNote: i === 0 ? 'Sent the quote' : undefined,
  }));
}

function modalInput(overrides: Partial<HandoffModalInput> = {}): HandoffModalInput {
  const list = overrides.conversations ?? conversations(2);
  return {
    fromUserId: 'U0ANA',
    actorId: 'U0ANA',
    single: false,
    conversations: list,
    moreCount: 0,
    privateMetadata: encodeHandoffMetadata({ fromUserId: 'U0ANA', conversations: list.map((c) => ({ id: c.id, ownerId: 'U0ANA' })), single: false }),
    now: NOW,
    ...overrides,
  };
}

type AnyBlock = { type: string; block_id?: string; label?: { text: string }; element?: Record<string, unknown>; text?: { text: string }; elements?: { text: string }[] };

/** Modal limits (slack.md §4, §5) checked on the whole view. */
function listModalViolations(view: ModalView): string[] {
  const problems: string[] = [];
  const blocks = view.blocks as AnyBlock[];
  if (blocks.length > 100) problems.push(`${blocks.length} blocks`);
  for (const part of [view.title, view.submit, view.close]) if (part && part.text.length > 24) problems.push(`"${part.text}" over 24`);
  if ((view.private_metadata ?? '').length > 3000) problems.push('private_metadata over 3000');
  const ids = blocks.map((b) => b.block_id).filter(Boolean);
  if (new Set(ids).size !== ids.length) problems.push('block_id repeated');
  for (const b of blocks) {
    if (b.label && b.label.text.length > 2000) problems.push(`label of ${b.block_id} over 2000`);
    for (const option of (b.element?.options ?? []) as { text: { text: string }; description?: { text: string } }[]) {
      if (option.text.text.length > 75 || (option.description?.text.length ?? 0) > 75) problems.push(`option of ${b.block_id} over 75`);
    }
  }
  return problems;
}

describe('the handoff modal', () => {
  it('lists each conversation with a tick box, a note prefilled with its last note, and an override', () => {
    const view = buildHandoffModal(modalInput());
    const blocks = view.blocks as AnyBlock[];
    const ids = blocks.map((b) => b.block_id);
    expect(ids).toEqual(
      expect.arrayContaining([HandoffModalIds.includeBlock(1000), HandoffModalIds.noteBlock(1000), HandoffModalIds.overrideBlock(1000), HandoffModalIds.noteBlock(1001)]),
    );
    const note = blocks.find((b) => b.block_id === HandoffModalIds.noteBlock(1000));
    expect(note?.element).toMatchObject({ type: 'plain_text_input', multiline: true, initial_value: 'Sent the quote', max_length: 3000 });
    expect(blocks.find((b) => b.block_id === HandoffModalIds.noteBlock(1001))?.element).not.toHaveProperty('initial_value');
    const include = blocks.find((b) => b.block_id === HandoffModalIds.includeBlock(1000));
    expect(include?.label?.text).toBe('Customer 0');
    expect(JSON.stringify(include?.element)).toContain('Waiting on agent · window closes in 5 h');
    expect(include?.element?.initial_options).toHaveLength(1);
    expect(listModalViolations(view)).toEqual([]);
  });

  it('for one conversation has neither tick box nor override', () => {
    const view = buildHandoffModal(modalInput({ single: true, conversations: conversations(1) }));
    const ids = (view.blocks as AnyBlock[]).map((b) => b.block_id).filter(Boolean);
    expect(ids).toEqual([HandoffModalIds.targetKindBlock, HandoffModalIds.targetUserBlock, HandoffModalIds.targetChannelBlock, HandoffModalIds.noteBlock(1000)]);
  });

  it.each([
    [{ kind: 'user', userId: 'U0BRUNO' } as const, HandoffModalIds.targetUserBlock, { initial_user: 'U0BRUNO' }],
    [{ kind: 'channel', channelId: 'C0SUPPORT01' } as const, HandoffModalIds.targetChannelBlock, { initial_conversation: 'C0SUPPORT01' }],
  ])('preselects the target %j', (target, blockId, expected) => {
    const blocks = buildHandoffModal(modalInput({ target })).blocks as AnyBlock[];
    expect(blocks.find((b) => b.block_id === blockId)?.element).toMatchObject(expected);
    expect(blocks.find((b) => b.block_id === HandoffModalIds.targetKindBlock)?.element).toMatchObject({ initial_option: { value: target.kind } });
  });

  it('offers only channels, not DMs or people, as a move target', () => {
    const blocks = buildHandoffModal(modalInput()).blocks as AnyBlock[];
    expect(blocks.find((b) => b.block_id === HandoffModalIds.targetChannelBlock)?.element).toMatchObject({
      type: 'conversations_select',
      filter: { include: ['public', 'private'], exclude_bot_users: true },
    });
  });

  it(`caps the list at ${MAX_MODAL_CONVERSATIONS} within Slack's 100 blocks and says how many more there are`, () => {
    const view = buildHandoffModal(modalInput({ conversations: conversations(MAX_MODAL_CONVERSATIONS), moreCount: 14 }));
    expect(listModalViolations(view)).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain('+14 more not listed here — hand those off from /queue');
    const listed = (view.blocks as AnyBlock[]).filter((b) => b.block_id?.startsWith('handoff_include:'));
    expect(listed).toHaveLength(MAX_MODAL_CONVERSATIONS);
  });

  it('keeps long names and notes within the limits', () => {
    const long = conversations(1).map((c) => ({ ...c, customer: { name: 'N'.repeat(3000) }, lastNote: 'x'.repeat(5000) }));
    const view = buildHandoffModal(modalInput({ conversations: long }));
    expect(listModalViolations(view)).toEqual([]);
    const note = (view.blocks as AnyBlock[]).find((b) => b.block_id === HandoffModalIds.noteBlock(1000));
    expect(String(note?.element?.initial_value)).toHaveLength(3000);
  });

  it('says whose conversations they are when a manager hands off for someone', () => {
    expect(JSON.stringify(buildHandoffModal(modalInput({ actorId: 'U0CARLA' })).blocks)).toContain("<@U0ANA>'s 2 open conversations");
  });

  it('the loading and message views have no submit button', () => {
    for (const view of [buildHandoffLoadingModal(), buildHandoffMessageModal('Nothing to hand off')]) {
      expect(view.submit).toBeUndefined();
      expect(view.callback_id).toBe(HandoffModalIds.callbackId);
      expect(listModalViolations(view)).toEqual([]);
    }
  });

  it.each([
    [{ open: true, closesAt: new Date(NOW.getTime() + 5 * HOUR + 59_000) }, 'window closes in 5 h'],
    [{ open: true, closesAt: new Date(NOW.getTime() + 20 * 60_000) }, 'window closes in 20 min'],
    [{ open: true, closesAt: new Date(NOW.getTime() - 1) }, 'window closed'],
    [{ open: false }, 'window closed'],
  ])('describes the window %j as "%s"', (window, expected) => {
    expect(describeWindowLeft(window, NOW)).toBe(expected);
  });
});
