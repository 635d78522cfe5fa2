import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buildActionError } from '../../blocks/ephemerals';
import { buildCommandReply } from '../../blocks/command-replies';
import type { Deps } from '../../src/deps';
import { ForbiddenError } from '../../src/errors';
import { ActionIds } from '../../src/ids';
import { retryParked } from '../../src/services/inbox-parked';
import { clickContext, tellClicker } from './action-context';
import { messageIdValue } from '../../src/ids';

/** Retry on a parked-webhook notice (managers and admins): the row goes back to the inbox. */
export function registerInboxRetry(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.inboxRetry, async ({ ack, body, action }) => {
    await ack();
    const ctx = clickContext(body, action);
    // Inbox rows are bigserial like messages: the same bounded digits.
    const parsed = messageIdValue.safeParse(action.value);
    const inboxId = parsed.success ? parsed.data : undefined;
    if (inboxId === undefined) return tellClicker(deps, ctx, buildActionError('That button is out of date.'));
    try {
      const { retried } = await retryParked(deps, ctx.userId, inboxId);
      tellClicker(deps, ctx, retried > 0 ? buildCommandReply(`✅ Inbox row #${inboxId} sent through again.`) : buildActionError(`Inbox row #${inboxId} is no longer parked.`));
    } catch (err) {
      if (err instanceof ForbiddenError) return tellClicker(deps, ctx, buildActionError(err.userMessage));
      throw err;
    }
  });
}
