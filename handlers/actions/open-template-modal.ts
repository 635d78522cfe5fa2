import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buildActionError } from '../../blocks/ephemerals';
import type { Deps } from '../../src/deps';
import { AppError } from '../../src/errors';
import { ActionIds } from '../../src/ids';
import { openTemplateModal } from '../../src/services/template-send';
import { clickContext, parseConversationId, tellClicker } from './action-context';

/** "Send a template" on the header card (window closed) or on the "window closed" ephemeral. */
export function registerOpenTemplateModal(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.sendTemplate, async ({ ack, body, action, respond }) => {
    await ack();
    const ctx = clickContext(body, action, respond);
    const conversationId = parseConversationId(action.value);
    if (conversationId === undefined) return tellClicker(deps, ctx, buildActionError('That button is out of date.'));
    try {
      await openTemplateModal(deps, { triggerId: body.trigger_id, actorId: ctx.userId, conversationId });
    } catch (err) {
      if (!(err instanceof AppError)) deps.logger.error({ err, conversationId }, 'could not open the template picker');
      tellClicker(deps, ctx, buildActionError(err instanceof AppError ? err.userMessage : 'I could not open the template picker. Please try again.'));
    }
  });
}
