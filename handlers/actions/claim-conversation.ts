import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buildActionError, buildClaimRefused } from '../../blocks/ephemerals';
import type { Deps } from '../../src/deps';
import { ActionIds } from '../../src/ids';
import { claim } from '../../src/services/conversations';
import { clickContext, parseIdValue, tellClicker } from './action-context';

/** Claim on the header card (and in /queue): one atomic claim; a second claimer is told who owns it. */
export function registerClaimConversation(app: App, deps: Deps): void {
  for (const actionId of [ActionIds.claim, ActionIds.queueClaim]) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const ctx = clickContext(body, action);
      const conversationId = parseIdValue(action.value);
      if (conversationId === undefined) return tellClicker(deps, ctx, buildActionError('That button is out of date.'));
      const result = await claim(deps, conversationId, ctx.userId);
      if (result.ok) return;
      if (result.reason === 'owned') return tellClicker(deps, ctx, buildClaimRefused({ ownerId: result.ownerId }));
      tellClicker(deps, ctx, buildActionError(result.reason === 'closed' ? 'This conversation is already resolved.' : 'This conversation no longer exists.'));
    });
  }
}
