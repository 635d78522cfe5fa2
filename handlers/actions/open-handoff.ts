import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buildActionError } from '../../blocks/ephemerals';
import type { Deps } from '../../src/deps';
import { AppError } from '../../src/errors';
import { ActionIds } from '../../src/ids';
import { openHandoffModalForConversation } from '../../src/services/handoff-modal';
import { clickContext, parseConversationId, tellClicker } from './action-context';

/** Hand off on the header card: the handoff modal for this one conversation. */
export function registerOpenHandoff(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.handoff, async ({ ack, body, action, respond }) => {
    await ack();
    const ctx = clickContext(body, action, respond);
    const conversationId = parseConversationId(action.value);
    if (conversationId === undefined) return tellClicker(deps, ctx, buildActionError('That button is out of date.'));
    try {
      await openHandoffModalForConversation(deps, { triggerId: body.trigger_id, actorId: ctx.userId, conversationId });
    } catch (err) {
      if (!(err instanceof AppError)) deps.logger.error({ err, conversationId }, 'could not open the handoff modal');
      tellClicker(deps, ctx, buildActionError(err instanceof AppError ? err.userMessage : 'I could not open the handoff form. Please try again.'));
    }
  });
}
