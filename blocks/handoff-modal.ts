import type { InputBlock, KnownBlock, ModalView, Option, PlainTextOption } from '@slack/types';
import { CallbackIds } from '../src/ids';
import { describeState } from './header-card';
import { context, customerLabel, mention, plainText, section } from './primitives';
import type { ConversationState, CustomerView, HandoffTarget } from './types';

/**
 * The handoff modal: where the conversations go (a person, the pool or another channel) and, per conversation, a
 * state note prefilled with the last note. Modal limits (slack.md §4): 100 blocks, title/submit/close ≤ 24
 * characters, private_metadata ≤ 3000 (ids only, built by the service).
 */

export const HandoffModalIds = {
  callbackId: CallbackIds.handoffModal,
  targetKindBlock: 'handoff_target_kind',
  targetUserBlock: 'handoff_target_user',
  targetChannelBlock: 'handoff_target_channel',
  /** Every input holds one element; its action_id is always this. */
  action: 'value',
  includeBlock: (conversationId: number) => `handoff_include:${conversationId}`,
  noteBlock: (conversationId: number) => `handoff_note:${conversationId}`,
  overrideBlock: (conversationId: number) => `handoff_to:${conversationId}`,
  includeValue: 'include',
} as const;

export type HandoffTargetKind = HandoffTarget['kind'];

/** 5 header blocks + 3 per conversation + the "more" line stays within the 100-block modal limit (slack.md §4). */
export const MAX_MODAL_CONVERSATIONS = 30;
/** Slack caps a plain_text_input at 3000 characters; the prefilled note must fit under max_length. */
export const NOTE_MAX_LENGTH = 3000;
const OPTION_DESCRIPTION_MAX = 75;
const LABEL_MAX = 2000;

export interface HandoffModalConversation {
  id: number;
  customer: CustomerView;
  state: ConversationState;
  ownerId?: string | undefined;
  window: { open: boolean; closesAt?: Date | undefined };
  /** The last note on the conversation, prefilled. */
  lastNote?: string | undefined;
}

export interface HandoffModalInput {
  fromUserId: string;
  actorId: string;
  /** One conversation (card button, shortcut): no per-conversation tick box or override. */
  single: boolean;
  conversations: HandoffModalConversation[];
  /** Open conversations not listed (past MAX_MODAL_CONVERSATIONS). */
  moreCount: number;
  target?: HandoffTarget | undefined;
  privateMetadata: string;
  now: Date;
}

const TARGET_OPTIONS: Record<HandoffTargetKind, PlainTextOption> = {
  user: { text: plainText('A person'), value: 'user' },
  pool: { text: plainText('The pool (unassigned, anyone can claim)'), value: 'pool' },
  channel: { text: plainText('Another channel (new thread there)'), value: 'channel' },
};

const TITLE = 'Hand off';

export function buildHandoffModal(input: HandoffModalInput): ModalView {
  const conversations = input.conversations.slice(0, MAX_MODAL_CONVERSATIONS);
  const blocks: KnownBlock[] = [section(describeIntro(input)), ...buildTargetInputs(input.target)];
  blocks.push({ type: 'divider' });
  for (const conversation of conversations) blocks.push(...buildConversationInputs(conversation, input));
  const more = input.moreCount + (input.conversations.length - conversations.length);
  if (more > 0) {
    blocks.push(context([`+${more} more not listed here — hand those off from /queue, or submit this and run /handoff again.`]));
  }
  return {
    type: 'modal',
    callback_id: HandoffModalIds.callbackId,
    title: plainText(TITLE, 24),
    submit: plainText('Hand off', 24),
    close: plainText('Cancel', 24),
    private_metadata: input.privateMetadata,
    blocks,
  };
}

/** Shown while the conversations load: views.open must happen within 3 s of the trigger (slack.md §4). */
export function buildHandoffLoadingModal(): ModalView {
  return {
    type: 'modal',
    callback_id: HandoffModalIds.callbackId,
    title: plainText(TITLE, 24),
    close: plainText('Cancel', 24),
    blocks: [section('⏳ Loading the conversations…')],
  };
}

/** Nothing to hand off (or loading failed): a modal without a submit button. */
export function buildHandoffMessageModal(textMrkdwn: string): ModalView {
  return {
    type: 'modal',
    callback_id: HandoffModalIds.callbackId,
    title: plainText(TITLE, 24),
    close: plainText('Close', 24),
    blocks: [section(textMrkdwn)],
  };
}

function describeIntro(input: HandoffModalInput): string {
  const count = input.conversations.length + input.moreCount;
  if (input.single) return 'Hand this conversation to someone, back to the pool, or to another channel.';
  const whose = input.fromUserId === input.actorId ? 'Your' : `${mention(input.fromUserId)}'s`;
  return `${whose} ${count} open conversation${count === 1 ? '' : 's'}. Untick any that stay; the note goes into each thread as a private note.`;
}

function buildTargetInputs(target: HandoffTarget | undefined): InputBlock[] {
  const kind = target?.kind;
  return [
    {
      type: 'input',
      block_id: HandoffModalIds.targetKindBlock,
      optional: true,
      label: plainText('Hand off to'),
      element: {
        type: 'radio_buttons',
        action_id: HandoffModalIds.action,
        options: Object.values(TARGET_OPTIONS),
        ...(kind ? { initial_option: TARGET_OPTIONS[kind] } : {}),
      },
    },
    {
      type: 'input',
      block_id: HandoffModalIds.targetUserBlock,
      optional: true,
      label: plainText('Person'),
      element: {
        type: 'users_select',
        action_id: HandoffModalIds.action,
        placeholder: plainText('Pick a teammate'),
        ...(target?.kind === 'user' ? { initial_user: target.userId } : {}),
      },
    },
    {
      type: 'input',
      block_id: HandoffModalIds.targetChannelBlock,
      optional: true,
      label: plainText('Channel'),
      hint: plainText('The conversation continues in a new thread there; the customer keeps writing to the same number.'),
      element: {
        type: 'conversations_select',
        action_id: HandoffModalIds.action,
        placeholder: plainText('Pick a channel, e.g. #support'),
        filter: { include: ['public', 'private'], exclude_bot_users: true, exclude_external_shared_channels: true },
        ...(target?.kind === 'channel' ? { initial_conversation: target.channelId } : {}),
      },
    },
  ];
}

function buildConversationInputs(conversation: HandoffModalConversation, input: HandoffModalInput): InputBlock[] {
  const who = customerLabel(conversation.customer);
  const blocks: InputBlock[] = [];
  if (!input.single) {
    const option: Option = {
      text: plainText('Hand this one off', 75),
      value: HandoffModalIds.includeValue,
      description: plainText(describeStatus(conversation, input), OPTION_DESCRIPTION_MAX),
    };
    blocks.push({
      type: 'input',
      block_id: HandoffModalIds.includeBlock(conversation.id),
      optional: true,
      label: plainText(who, LABEL_MAX),
      element: { type: 'checkboxes', action_id: HandoffModalIds.action, options: [option], initial_options: [option] },
    });
  }
  const note = conversation.lastNote?.trim().slice(0, NOTE_MAX_LENGTH);
  blocks.push({
    type: 'input',
    block_id: HandoffModalIds.noteBlock(conversation.id),
    optional: true,
    label: plainText(input.single ? `Note on ${who} — ${describeStatus(conversation, input)}` : `Note on ${who}`, LABEL_MAX),
    hint: plainText('Where it stands and what comes next. Saved as a private note; the customer never sees it.'),
    element: {
      type: 'plain_text_input',
      action_id: HandoffModalIds.action,
      multiline: true,
      max_length: NOTE_MAX_LENGTH,
      placeholder: plainText('e.g. Sent the quote, waiting for their OK'),
      ...(note ? { initial_value: note } : {}),
    },
  });
  if (!input.single) {
    blocks.push({
      type: 'input',
      block_id: HandoffModalIds.overrideBlock(conversation.id),
      optional: true,
      label: plainText(`…or give ${who} to someone else`, LABEL_MAX),
      element: { type: 'users_select', action_id: HandoffModalIds.action, placeholder: plainText('Same as above') },
    });
  }
  return blocks;
}

/** "Waiting on agent · window closes in 3 h" — plain text, it goes into option descriptions and labels. */
export function describeStatus(conversation: Pick<HandoffModalConversation, 'state' | 'window'>, input: { now: Date }): string {
  return `${describeState(conversation.state)} · ${describeWindowLeft(conversation.window, input.now)}`;
}

export function describeWindowLeft(window: { open: boolean; closesAt?: Date | undefined }, now: Date): string {
  const left = window.closesAt ? window.closesAt.getTime() - now.getTime() : undefined;
  if (!window.open || (left !== undefined && left <= 0)) return 'window closed';
  if (left === undefined) return 'window open';
  const minutes = Math.floor(left / 60_000);
  return minutes < 60 ? `window closes in ${Math.max(1, minutes)} min` : `window closes in ${Math.floor(minutes / 60)} h`;
}
