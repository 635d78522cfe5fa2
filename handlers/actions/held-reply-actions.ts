import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buildActionError } from '../../blocks/ephemerals';
import type { Deps } from '../../src/deps';
import { ActionIds } from '../../src/ids';
import { type HeldActionResult, keepAsNote, resendMessage, takeOverAndSend } from '../../src/services/held-replies';
import { clickContext, parseIdValue, tellClicker } from './action-context';

const REFUSALS: Record<Exclude<HeldActionResult, { ok: true }>['reason'], string> = {
  not_found: 'That reply no longer exists.',
  not_yours: 'Only the person who wrote that reply can do this.',
  not_held: 'That reply was already handled.',
  closed: 'This conversation is resolved; the customer has to write again first.',
  window_closed: 'The 24-hour window has closed, so WhatsApp will not deliver it. Keep it as a note instead.',
  changed: 'Someone changed the owner just now. Try again.',
};

/** "Take over and send", "Keep as note" (held replies) and "Resend" (uncertain sends). */
export function registerHeldReplyActions(app: App, deps: Deps): void {
  const handlers = {
    [ActionIds.takeOverAndSend]: (id: number, user: string) => takeOverAndSend(deps, id, user),
    [ActionIds.resend]: (id: number, user: string) => resendMessage(deps, id, user),
  };
  for (const [actionId, run] of Object.entries(handlers)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const ctx = clickContext(body, action);
      const messageId = parseIdValue(action.value);
      const result = messageId === undefined ? ({ ok: false, reason: 'not_found' } as const) : await run(messageId, ctx.userId);
      if (!result.ok) tellClicker(deps, ctx, buildActionError(REFUSALS[result.reason]));
    });
  }
  app.action<BlockAction<ButtonAction>>(ActionIds.keepAsNote, async ({ ack, body, action }) => {
    await ack();
    const ctx = clickContext(body, action);
    const messageId = parseIdValue(action.value);
    const result =
      messageId === undefined || !ctx.channel
        ? ({ ok: false, reason: 'not_found' } as const)
        : await keepAsNote(deps, messageId, ctx.userId, ctx.channel);
    if (!result.ok) tellClicker(deps, ctx, buildActionError(REFUSALS[result.reason]));
  });
}
