import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buildActionError } from '../../blocks/ephemerals';
import type { Deps } from '../../src/deps';
import { ActionIds } from '../../src/ids';
import { type HeldActionResult, keepAsNote, resendMessage, takeOverAndSend } from '../../src/services/held-replies';
import { clickContext, parseMessageId, tellClicker } from './action-context';

/** The refusal as this clicker should read it: why, and who can do it instead. */
function describeRefusal(result: Exclude<HeldActionResult, { ok: true }>): string {
  switch (result.reason) {
    case 'not_found':
      return 'That reply no longer exists.';
    case 'not_yours':
      return result.authorId
        ? `Only <@${result.authorId}>, who wrote that reply, can send it or keep it as a note.`
        : 'Only the person who wrote that reply can do this.';
    case 'not_held':
      return 'That reply was already handled.';
    case 'closed':
      return 'This conversation is resolved; the customer has to write again first.';
    case 'window_closed':
      return 'The 24-hour window has closed, so WhatsApp will not deliver it. Keep it as a note instead.';
    case 'changed':
      return 'Someone changed the owner just now. Try again.';
    case 'forbidden':
      return result.message;
    default:
      return result satisfies never;
  }
}

/**
 * "Take over and send", "Keep as note" (held replies: on the author's ephemeral and on the thread's "not sent"
 * marker) and "Resend" (uncertain sends).
 */
export function registerHeldReplyActions(app: App, deps: Deps): void {
  const handlers = {
    [ActionIds.takeOverAndSend]: (id: number, user: string) => takeOverAndSend(deps, id, user),
    [ActionIds.resend]: (id: number, user: string) => resendMessage(deps, id, user),
  };
  for (const [actionId, run] of Object.entries(handlers)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const ctx = clickContext(body, action, respond);
      const messageId = parseMessageId(action.value);
      const result = messageId === undefined ? ({ ok: false, reason: 'not_found' } as const) : await run(messageId, ctx.userId);
      if (!result.ok) tellClicker(deps, ctx, buildActionError(describeRefusal(result)));
    });
  }
  app.action<BlockAction<ButtonAction>>(ActionIds.keepAsNote, async ({ ack, body, action, respond }) => {
    await ack();
    const ctx = clickContext(body, action, respond);
    const messageId = parseMessageId(action.value);
    const result =
      messageId === undefined || !ctx.channel
        ? ({ ok: false, reason: 'not_found' } as const)
        : await keepAsNote(deps, messageId, ctx.userId, ctx.channel);
    if (!result.ok) tellClicker(deps, ctx, buildActionError(describeRefusal(result)));
  });
}
