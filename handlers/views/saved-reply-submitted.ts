import type { App } from '@slack/bolt';
import { SavedReplyModalIds } from '../../blocks/saved-reply-modal';
import type { Deps } from '../../src/deps';
import { CallbackIds } from '../../src/ids';
import { postSavedReplyToThread, recordSavedReplySend, validateSavedReplySubmission } from '../../src/services/saved-replies';

/** The saved-reply modal submitted: refusals next to the picker; else durable before the ack, posted after it. */
export function registerSavedReplySubmitted(app: App, deps: Deps): void {
  app.view(CallbackIds.savedReplyModal, async ({ ack, body, view }) => {
    const checked = await validateSavedReplySubmission(deps, body.user.id, view);
    if (!checked.ok) return ack({ response_action: 'errors', errors: checked.errors });
    const outcome = await recordSavedReplySend(deps, checked.plan);
    if (outcome.type === 'not_owner') {
      return ack({ response_action: 'errors', errors: { [SavedReplyModalIds.pickBlock]: 'Someone else just took this conversation; the reply was not sent.' } });
    }
    await ack();
    const { plan } = checked;
    deps.background.run('post the saved reply', () => postSavedReplyToThread(deps, plan, outcome.messageId));
  });
}
