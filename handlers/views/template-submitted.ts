import type { App } from '@slack/bolt';
import { TemplateModalIds } from '../../blocks/template-modal';
import type { Deps } from '../../src/deps';
import { CallbackIds } from '../../src/ids';
import { postTemplateToThread, recordTemplateSend, validateTemplateSubmission } from '../../src/services/template-send';

/**
 * The template modal submitted: wrong or missing variables go back next to their fields (response_action: errors,
 * slack.md §4); else the send is made durable before the ack, and posted and queued after it.
 */
export function registerTemplateSubmitted(app: App, deps: Deps): void {
  app.view(CallbackIds.templateModal, async ({ ack, body, view }) => {
    const checked = await validateTemplateSubmission(deps, body.user.id, view);
    if (!checked.ok) return ack({ response_action: 'errors', errors: checked.errors });
    let outcome;
    try {
      outcome = await recordTemplateSend(deps, checked.plan);
    } catch (err) {
      deps.logger.error({ err, userId: body.user.id }, 'template send not recorded');
      return ack({ response_action: 'errors', errors: { [TemplateModalIds.pickBlock]: 'Something went wrong on our side. Please submit again.' } });
    }
    if (outcome.type === 'not_owner') {
      return ack({ response_action: 'errors', errors: { [TemplateModalIds.pickBlock]: 'Someone else just took this conversation; the template was not sent.' } });
    }
    await ack();
    const { plan } = checked;
    deps.background.run('post the template', () => postTemplateToThread(deps, plan, outcome.messageId));
  });
}
