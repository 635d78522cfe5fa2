import type { App, MessageShortcut } from '@slack/bolt';
import type { Deps } from '../../src/deps';
import { AppError } from '../../src/errors';
import { CallbackIds } from '../../src/ids';
import { openHandoffModalForMessage } from '../../src/services/handoff-modal';

/**
 * "Hand off conversation" on the header card or any reply in its thread: slash commands do not work in threads, so
 * this is the per-conversation way in (slack.md §3). Refusals go to the response_url, only for the person asking.
 */
export function registerHandoffShortcut(app: App, deps: Deps): void {
  app.shortcut<MessageShortcut>({ callback_id: CallbackIds.handoffShortcut, type: 'message_action' }, async ({ ack, shortcut, respond }) => {
    await ack();
    const threadTs = (shortcut.message as { thread_ts?: string }).thread_ts;
    try {
      await openHandoffModalForMessage(deps, {
        triggerId: shortcut.trigger_id,
        actorId: shortcut.user.id,
        channelId: shortcut.channel.id,
        messageTs: shortcut.message_ts,
        threadTs,
      });
    } catch (err) {
      if (!(err instanceof AppError)) deps.logger.error({ err, userId: shortcut.user.id }, 'could not open the handoff modal');
      const text = `⚠️ ${err instanceof AppError ? err.userMessage : 'I could not open the handoff form. Please try again.'}`;
      deps.background.run('handoff shortcut refusal', () => respond({ response_type: 'ephemeral', text }));
    }
  });
}
