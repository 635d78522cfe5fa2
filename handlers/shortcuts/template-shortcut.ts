import type { App, MessageShortcut } from '@slack/bolt';
import type { Deps } from '../../src/deps';
import { AppError } from '../../src/errors';
import { CallbackIds } from '../../src/ids';
import { openTemplateModalForMessage } from '../../src/services/template-send';

/** "Send a template" on any message of a conversation thread (slash commands do not work in threads, slack.md §3). */
export function registerTemplateShortcut(app: App, deps: Deps): void {
  app.shortcut<MessageShortcut>({ callback_id: CallbackIds.templateShortcut, type: 'message_action' }, async ({ ack, shortcut, respond }) => {
    await ack();
    const threadTs = (shortcut.message as { thread_ts?: string }).thread_ts;
    try {
      await openTemplateModalForMessage(deps, {
        triggerId: shortcut.trigger_id,
        actorId: shortcut.user.id,
        channelId: shortcut.channel.id,
        messageTs: shortcut.message_ts,
        threadTs,
      });
    } catch (err) {
      if (!(err instanceof AppError)) deps.logger.error({ err, userId: shortcut.user.id }, 'could not open the template picker');
      const text = `⚠️ ${err instanceof AppError ? err.userMessage : 'I could not open the template picker. Please try again.'}`;
      deps.background.run('template shortcut refusal', () => respond({ response_type: 'ephemeral', text }));
    }
  });
}
