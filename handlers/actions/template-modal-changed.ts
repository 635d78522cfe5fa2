import type { App, BlockAction } from '@slack/bolt';
import type { Deps } from '../../src/deps';
import { ActionIds } from '../../src/ids';
import { refreshTemplateModal } from '../../src/services/template-send';

/** A template chosen or a variable typed in the template modal: the fields and the live preview follow. */
export function registerTemplateModalChanged(app: App, deps: Deps): void {
  for (const actionId of [ActionIds.templatePick, ActionIds.templateValue]) {
    app.action<BlockAction>(actionId, async ({ ack, body }) => {
      await ack();
      const view = body.view;
      if (!view?.id) return;
      deps.background.run('refresh the template modal', () =>
        refreshTemplateModal(deps, { viewId: view.id, actorId: body.user.id, view: { private_metadata: view.private_metadata, state: view.state } }),
      );
    });
  }
}
