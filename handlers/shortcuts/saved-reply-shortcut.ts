import type { App, MessageShortcut } from '@slack/bolt';
import type { Deps } from '../../src/deps';
import { AppError } from '../../src/errors';
import { CallbackIds } from '../../src/ids';
import { openSavedReplyModalForMessage } from '../../src/services/saved-replies';

/** "Send a saved reply" on any message of a conversation thread. Refusals go to the response_url. */
export function registerSavedReplyShortcut(app: App, deps: Deps): void {
  app.shortcut<MessageShortcut>({ callback_id: CallbackIds.savedReplyShortcut, type: 'message_action' }, async ({ ack, shortcut, respond }) => {
    await ack();
    try {
      await openSavedReplyModalForMessage(deps, {
        triggerId: shortcut.trigger_id,
        actorId: shortcut.user.id,
        channelId: shortcut.channel.id,
        messageTs: shortcut.message_ts,
        threadTs: (shortcut.message as { thread_ts?: string }).thread_ts,
      });
    } catch (err) {
      if (!(err instanceof AppError)) deps.logger.error({ err, userId: shortcut.user.id }, 'could not open the saved replies');
      const text = `⚠️ ${err instanceof AppError ? err.userMessage : 'I could not open the saved replies. Please try again.'}`;
      deps.background.run('saved reply shortcut refusal', () => respond({ response_type: 'ephemeral', text }));
    }
  });
}
