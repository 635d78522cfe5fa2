import { HandoffModalIds } from '../../../blocks/handoff-modal';
import { encodeHandoffMetadata, parseHandoffForm } from '../../../src/services/handoff-form';

const action = HandoffModalIds.action;

function submitted(values: Record<string, Record<string, unknown>>, single = false) {
  return {
    private_metadata: encodeHandoffMetadata({ fromUserId: 'U0ANA', conversations: [{ id: 7, ownerId: 'U0ANA' }, { id: 8, ownerId: null }], single }),
    state: { values },
  };
}

describe('the submitted handoff form', () => {
  it('reads the target and, per conversation, the tick, the note and the override', () => {
    const form = parseHandoffForm(
      submitted({
        [HandoffModalIds.targetKindBlock]: { [action]: { type: 'radio_buttons', selected_option: { value: 'channel' } } },
        [HandoffModalIds.targetUserBlock]: { [action]: { type: 'users_select', selected_user: null } },
        [HandoffModalIds.targetChannelBlock]: { [action]: { type: 'conversations_select', selected_conversation: 'C0SUPPORT01' } },
        [HandoffModalIds.includeBlock(7)]: { [action]: { type: 'checkboxes', selected_options: [{ value: 'include' }] } },
        [HandoffModalIds.noteBlock(7)]: { [action]: { type: 'plain_text_input', value: '  waiting for OK  ' } },
        [HandoffModalIds.overrideBlock(7)]: { [action]: { type: 'users_select', selected_user: 'U0BRUNO' } },
        [HandoffModalIds.includeBlock(8)]: { [action]: { type: 'checkboxes', selected_options: [] } },
        [HandoffModalIds.noteBlock(8)]: { [action]: { type: 'plain_text_input', value: '   ' } },
      }),
    );
    expect(form).toEqual({
      fromUserId: 'U0ANA',
      single: false,
      targetKind: 'channel',
      targetUserId: undefined,
      targetChannelId: 'C0SUPPORT01',
      items: [
        { conversationId: 7, expectedOwnerId: 'U0ANA', included: true, note: 'waiting for OK', overrideUserId: 'U0BRUNO' },
        { conversationId: 8, expectedOwnerId: null, included: false, note: undefined, overrideUserId: undefined },
      ],
    });
  });

  it('a one-conversation modal has no tick box: its conversations are included', () => {
    expect(parseHandoffForm(submitted({}, true))?.items.every((i) => i.included)).toBe(true);
  });

  it.each(['', 'not json', JSON.stringify({ v: 2, f: 'U0ANA', c: [[1, null]], s: false }), JSON.stringify({ v: 1, f: 'U0ANA', c: [], s: false })])(
    'refuses metadata it did not write: %s',
    (metadata) => {
      expect(parseHandoffForm({ private_metadata: metadata, state: { values: {} } })).toBeUndefined();
    },
  );

  it('keeps the metadata of a full modal far below 3000 characters', () => {
    const conversations = Array.from({ length: 30 }, (_, i) => ({ id: 1_000_000 + i, ownerId: 'U0123456789' }));
    expect(encodeHandoffMetadata({ fromUserId: 'U0123456789', conversations, single: false }).length).toBeLessThan(1000);
  });
});
