import { z } from 'zod';

/**
 * Every action_id and callback_id the app registers, with the value each carries. Blocks encode, handlers parse
 * with the schemas below (STYLE: zod for Slack action values).
 */
export const ActionIds = {
  /** Header card: claim the conversation. value = conversation id. */
  claim: 'conversation_claim',
  /** Header card: resolve (close) the conversation. value = conversation id. */
  resolve: 'conversation_resolve',
  /** Header card: users_select to reassign. The conversation id travels in the block_id (see cardBlockId). */
  reassign: 'conversation_reassign',
  /** Header card: open the handoff modal for this conversation. value = conversation id. */
  handoff: 'conversation_handoff',
  /** Ephemeral on a held reply: take the conversation over and send the reply. value = message id. */
  takeOverAndSend: 'reply_take_over_and_send',
  /** Ephemeral on a held reply: keep it as a private note instead. value = message id. */
  keepAsNote: 'reply_keep_as_note',
  /** Thread notice after an uncertain send: send it again. value = message id. */
  resend: 'message_resend',
  /** /queue list: claim from the list. value = conversation id. */
  queueClaim: 'queue_claim',
  /** App Home: shift toggle. value = "on" | "off". */
  homeShiftToggle: 'home_shift_toggle',
  /**
   * App Home (admins): set a teammate's role. value = Slack user id. One action id per role because action ids must
   * be unique within an actions block (slack.md §4), and a teammate's row offers the roles they do not have.
   */
  homeMakeAgent: 'home_make_agent',
  homeMakeManager: 'home_make_manager',
  homeMakeAdmin: 'home_make_admin',
  /** App Home (admins): users_select that adds a teammate to the team list, where their role can be set. */
  homeAddTeammate: 'home_add_teammate',
  /** Channel notice of a parked inbox row (admins and managers): retry it. value = inbox row id. */
  inboxRetry: 'inbox_retry',
} as const;
export type ActionId = (typeof ActionIds)[keyof typeof ActionIds];

export const CallbackIds = {
  handoffModal: 'handoff_modal',
  /** Message shortcut "Hand off conversation" (manifest.json shortcuts). */
  handoffShortcut: 'handoff_shortcut',
} as const;

export const idValue = z.coerce.number().int().positive();

/**
 * Slack asks for a new block_id whenever a message is updated (slack.md §4), and a users_select carries no value,
 * so the card's action block id carries the conversation id and the card version.
 */
export function cardBlockId(conversationId: number, version: number): string {
  return `card:${conversationId}:${version}`;
}

export function parseCardBlockId(blockId: string): number | undefined {
  const m = /^card:(\d+):\d+$/.exec(blockId);
  return m ? Number(m[1]) : undefined;
}
