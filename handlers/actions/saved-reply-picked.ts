import type { App, BlockAction } from '@slack/bolt';
import type { Deps } from '../../src/deps';
import { ActionIds } from '../../src/ids';
import { refreshSavedReplyModal } from '../../src/services/saved-replies';

/** A saved reply chosen in the picker: the preview shows it filled in for this customer. */
export function registerSavedReplyPicked(app: App, deps: Deps): void {
  app.action<BlockAction>(ActionIds.savedReplyPick, async ({ ack, body }) => {
    await ack();
    const view = body.view;
    if (!view?.id) return;
    deps.background.run('refresh the saved reply modal', () =>
      refreshSavedReplyModal(deps, { viewId: view.id, actorId: body.user.id, view: { private_metadata: view.private_metadata, state: view.state } }),
    );
  });
}
