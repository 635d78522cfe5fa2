import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { ActionIds, CallbackIds } from '../src/ids';
import { composeMessage, context, escapeMrkdwn, makeSnippet, plainText, section } from './primitives';
import { previewMrkdwn } from './template-modal';
import type { SlackMessage } from './types';

/** The saved-reply picker: choose one (dispatch_action) and the preview shows it filled in for this customer. */

export const SavedReplyModalIds = { callbackId: CallbackIds.savedReplyModal, pickBlock: 'saved_reply_pick' } as const;

export interface SavedReplyOptionView {
  id: number;
  title: string;
}

function optionOf(r: SavedReplyOptionView): PlainTextOption {
  return { text: plainText(r.title, 75), value: String(r.id) };
}

export function buildSavedReplyModal(input: {
  customerLabel: string;
  replies: SavedReplyOptionView[];
  selected?: { reply: SavedReplyOptionView; previewText: string } | undefined;
  privateMetadata: string;
}): ModalView {
  const pick: InputBlock = {
    type: 'input',
    block_id: SavedReplyModalIds.pickBlock,
    dispatch_action: true,
    label: plainText('Saved reply'),
    element: {
      type: 'static_select',
      action_id: ActionIds.savedReplyPick,
      placeholder: plainText('Choose a saved reply'),
      options: input.replies.slice(0, 100).map(optionOf),
      ...(input.selected ? { initial_option: optionOf(input.selected.reply) } : {}),
    },
  };
  const blocks: KnownBlock[] = [section(`To *${escapeMrkdwn(input.customerLabel)}*.`), pick];
  if (input.selected) blocks.push(section(`*Preview*\n${previewMrkdwn(input.selected.previewText)}`, 'saved_reply_preview'));
  return {
    type: 'modal',
    callback_id: SavedReplyModalIds.callbackId,
    title: plainText('Send a saved reply', 24),
    submit: plainText('Send', 24),
    close: plainText('Cancel', 24),
    private_metadata: input.privateMetadata,
    blocks,
  };
}

/** The saved reply in the thread, under the agent's name, as the customer gets it. */
export function buildSavedReplyPost(input: { agentId: string; title: string; text: string }): SlackMessage {
  const label = `💬 Saved reply *${escapeMrkdwn(input.title)}* sent by <@${input.agentId}>`;
  return { text: `Saved reply ${input.title}: ${makeSnippet(input.text, 200)}`, blocks: [context([label]), section(previewMrkdwn(input.text))] };
}

/** `/threadline replies`: every saved reply with its id, for edit and remove. */
export function buildSavedReplyList(replies: { id: number; title: string; body: string }[]): SlackMessage {
  if (replies.length === 0) {
    const text = 'No saved replies yet. Managers add one with `/threadline replies add Title | Text`.';
    return composeMessage(text, [section(text)]);
  }
  const lines = replies.slice(0, 40).map((r) => `• *#${r.id} ${escapeMrkdwn(r.title)}*: ${makeSnippet(r.body, 150)}`);
  const text = `*Saved replies* (${replies.length})\n${lines.join('\n')}`;
  return composeMessage(text, [section(text), context(['`{customer_name}` and `{agent_name}` are filled in when sent.'])]);
}
