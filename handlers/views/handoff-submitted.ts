import type { App } from '@slack/bolt';
import { HandoffModalIds } from '../../blocks/handoff-modal';
import type { Deps } from '../../src/deps';
import { CallbackIds } from '../../src/ids';
import { executeHandoff, validateHandoff } from '../../src/services/handoff';
import { parseHandoffForm } from '../../src/services/handoff-form';

/**
 * The handoff modal submitted: problems go back next to their fields (response_action: errors, slack.md §4); else
 * the handoff is made durable and the modal closes. Bolt answers after this listener (processBeforeResponse), so
 * only database work happens here; the DMs go out in the background.
 */
export function registerHandoffSubmitted(app: App, deps: Deps): void {
  app.view(CallbackIds.handoffModal, async ({ ack, body, view }) => {
    const form = parseHandoffForm(view);
    if (!form) {
      return ack({ response_action: 'errors', errors: { [HandoffModalIds.targetKindBlock]: 'This form is out of date. Close it and start again.' } });
    }
    const checked = await validateHandoff(deps, body.user.id, form);
    if (!checked.ok) return ack({ response_action: 'errors', errors: checked.errors });
    try {
      await executeHandoff(deps, checked.plan);
    } catch (err) {
      deps.logger.error({ err, userId: body.user.id }, 'handoff failed');
      return ack({ response_action: 'errors', errors: { [HandoffModalIds.targetKindBlock]: 'Something went wrong on our side. Please submit again.' } });
    }
    await ack();
  });
}
