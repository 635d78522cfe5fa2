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
  /** Header card (window closed) and the "window closed" ephemeral: open the template picker. value = conversation id. */
  sendTemplate: 'conversation_send_template',
  /** Template modal: the template chosen (static_select, dispatch_action). option value = template row id. */
  templatePick: 'template_pick',
  /** Template modal: any variable field (dispatch_action), so the preview follows what is typed. */
  templateValue: 'template_value',
  /** Template modal: the upload field of a media header (file_input; it cannot dispatch, so it is read at submit). */
  templateFile: 'template_file',
  /** Saved-reply modal: the reply chosen (static_select, dispatch_action). option value = saved reply id. */
  savedReplyPick: 'saved_reply_pick',
} as const;
export type ActionId = (typeof ActionIds)[keyof typeof ActionIds];

export const CallbackIds = {
  handoffModal: 'handoff_modal',
  /** Message shortcut "Hand off conversation" (manifest.json shortcuts). */
  handoffShortcut: 'handoff_shortcut',
  templateModal: 'template_modal',
  /** Message shortcut "Send a template" (manifest.json shortcuts). */
  templateShortcut: 'template_shortcut',
  savedReplyModal: 'saved_reply_modal',
  /** Message shortcut "Send a saved reply" (manifest.json shortcuts). */
  savedReplyShortcut: 'saved_reply_shortcut',
} as const;

/** Postgres `serial` (int4): a larger number is junk, not a conversation (and would fail the query). */
const MAX_SERIAL = 2_147_483_647;
/** A `serial` id carried as a JSON number in our own private_metadata. */
export const serialIdNumber = z.number().int().positive().max(MAX_SERIAL);
/** Our ids as buttons carry them: digits only, no sign, exponent or padding. */
export const conversationIdValue = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .refine((n) => n <= MAX_SERIAL);
/** messages.id is a `bigserial`; ids stay within the safe integers JavaScript reads exactly. */
export const messageIdValue = z
  .string()
  .regex(/^[1-9]\d{0,14}$/)
  .transform(Number);

/**
 * Slack's ids as Slack writes them (uppercase letters and digits after the type letter: U/W people, C/G channels,
 * D direct messages, T/E teams). Checked at the edge so a signed request with a made-up or oversized id is answered
 * as bad input, never carried into a query or a Slack call.
 */
export const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,20}$/);
export const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,20}$/);
/** A conversation can only live in a public (C) or private (G) channel, never a DM. */
export const slackConversationChannelId = z.string().regex(/^[CG][A-Z0-9]{2,20}$/);
export const slackTeamId = z.string().regex(/^[TE][A-Z0-9]{2,20}$/);
export const slackTs = z.string().regex(/^\d{1,12}\.\d{1,8}$/);
export const slackEventId = z.string().regex(/^Ev[A-Za-z0-9]{2,40}$/);

/** With should_escape the client sends `@ana` as `<@U123|ana>` and `#sales` as `<#C123|sales>` (slack.md §3). */
export const ESCAPED_USER_MENTION = /^<@([UW][A-Z0-9]{2,20})(?:\|[^>]{0,200})?>$/;
export const ESCAPED_CHANNEL_MENTION = /^<#([CG][A-Z0-9]{2,20})(?:\|[^>]{0,200})?>$/;

/**
 * Slack asks for a new block_id whenever a message is updated (slack.md §4), and a users_select carries no value,
 * so the card's action block id carries the conversation id and the card version.
 */
export function cardBlockId(conversationId: number, version: number): string {
  return `card:${conversationId}:${version}`;
}

export function parseCardBlockId(blockId: string): number | undefined {
  const m = /^card:(\d+):\d{1,10}$/.exec(blockId);
  const id = conversationIdValue.safeParse(m?.[1]);
  return id.success ? id.data : undefined;
}
