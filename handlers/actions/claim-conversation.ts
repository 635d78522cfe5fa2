import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buildActionError, buildClaimRefused } from '../../blocks/ephemerals';
import type { Deps } from '../../src/deps';
import { ActionIds } from '../../src/ids';
import { hasRole } from '../../src/services/agents';
import { claim } from '../../src/services/conversations';
import { markCustomerRead } from '../../src/services/read-receipts';
import { clickContext, parseConversationId, tellClicker } from './action-context';

/** Claim on the header card (and in /queue): one atomic claim; a second claimer is told who owns it. */
export function registerClaimConversation(app: App, deps: Deps): void {
  for (const actionId of [ActionIds.claim, ActionIds.queueClaim]) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const ctx = clickContext(body, action, respond);
      const conversationId = parseConversationId(action.value);
      if (conversationId === undefined) return tellClicker(deps, ctx, buildActionError('That button is out of date.'));
      const result = await claim(deps, conversationId, ctx.userId);
      if (result.ok) return markCustomerRead(deps, conversationId);
      switch (result.reason) {
        case 'owned':
          return tellClicker(deps, ctx, buildClaimRefused({ ownerId: result.ownerId, mayReassign: hasRole(result.actorRole, 'manager') }));
        case 'forbidden':
          return tellClicker(deps, ctx, buildActionError(result.message));
        case 'closed':
          return tellClicker(deps, ctx, buildActionError('This conversation is already resolved.'));
        case 'not_found':
          return tellClicker(deps, ctx, buildActionError('This conversation no longer exists.'));
        default:
          return result satisfies never;
      }
    });
  }
}
