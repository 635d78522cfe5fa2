import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buildActionError } from '../../blocks/ephemerals';
import type { Deps } from '../../src/deps';
import { ActionIds } from '../../src/ids';
import { resolve } from '../../src/services/conversations';
import { clickContext, parseIdValue, tellClicker } from './action-context';

/** Resolve on the header card closes the conversation; the card updates through the outbox. */
export function registerResolveConversation(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.resolve, async ({ ack, body, action }) => {
    await ack();
    const ctx = clickContext(body, action);
    const conversationId = parseIdValue(action.value);
    if (conversationId === undefined) return tellClicker(deps, ctx, buildActionError('That button is out of date.'));
    const result = await resolve(deps, conversationId, ctx.userId);
    if (!result.ok && result.reason === 'not_found') tellClicker(deps, ctx, buildActionError('This conversation no longer exists.'));
  });
}
