import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buildActionError } from '../../blocks/ephemerals';
import type { Deps } from '../../src/deps';
import { ActionIds } from '../../src/ids';
import { resolve } from '../../src/services/conversations';
import { clickContext, parseConversationId, tellClicker } from './action-context';

/** Resolve on the header card closes the conversation; the card updates through the outbox. */
export function registerResolveConversation(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.resolve, async ({ ack, body, action, respond }) => {
    await ack();
    const ctx = clickContext(body, action, respond);
    const conversationId = parseConversationId(action.value);
    if (conversationId === undefined) return tellClicker(deps, ctx, buildActionError('That button is out of date.'));
    const result = await resolve(deps, conversationId, ctx.userId);
    if (result.ok) return;
    switch (result.reason) {
      case 'forbidden':
        return tellClicker(deps, ctx, buildActionError(result.message));
      case 'closed':
        return tellClicker(deps, ctx, buildActionError('This conversation is already resolved.'));
      case 'changed':
        return tellClicker(deps, ctx, buildActionError('Someone changed the owner just now. Look at the card and try again.'));
      case 'not_found':
        return tellClicker(deps, ctx, buildActionError('This conversation no longer exists.'));
      default:
        return result satisfies never;
    }
  });
}
