import type { App, BlockAction, UsersSelectAction } from '@slack/bolt';
import { buildActionError } from '../../blocks/ephemerals';
import type { Deps } from '../../src/deps';
import { ActionIds, parseCardBlockId } from '../../src/ids';
import { reassignFromCard } from '../../src/services/reassign';
import { clickContext, tellClicker } from './action-context';

/** The card's user picker: reassign the conversation to the picked person. */
export function registerReassignConversation(app: App, deps: Deps): void {
  app.action<BlockAction<UsersSelectAction>>(ActionIds.reassign, async ({ ack, body, action }) => {
    await ack();
    const ctx = clickContext(body, action);
    const conversationId = parseCardBlockId(action.block_id);
    if (conversationId === undefined || !action.selected_user) {
      return tellClicker(deps, ctx, buildActionError('That picker is out of date.'));
    }
    const refusal = await reassignFromCard(deps, conversationId, ctx.userId, action.selected_user);
    if (refusal) tellClicker(deps, ctx, buildActionError(refusal));
  });
}
