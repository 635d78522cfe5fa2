import type { App, BlockAction, UsersSelectAction } from '@slack/bolt';
import { buildActionError } from '../../blocks/ephemerals';
import type { Deps } from '../../src/deps';
import { ActionIds, parseCardBlockId, slackUserId } from '../../src/ids';
import { reassignFromCard } from '../../src/services/reassign';
import { clickContext, tellClicker } from './action-context';

/** The card's user picker: reassign the conversation to the picked person. */
export function registerReassignConversation(app: App, deps: Deps): void {
  app.action<BlockAction<UsersSelectAction>>(ActionIds.reassign, async ({ ack, body, action, respond }) => {
    await ack();
    const ctx = clickContext(body, action, respond);
    const conversationId = parseCardBlockId(action.block_id);
    const picked = slackUserId.safeParse(action.selected_user);
    if (conversationId === undefined || !picked.success) {
      return tellClicker(deps, ctx, buildActionError('That picker is out of date.'));
    }
    const refusal = await reassignFromCard(deps, conversationId, ctx.userId, picked.data);
    if (refusal) tellClicker(deps, ctx, buildActionError(refusal));
  });
}
