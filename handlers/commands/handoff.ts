import type { App } from '@slack/bolt';
import type { Deps } from '../../src/deps';
import { AppError } from '../../src/errors';
import { parseHandoffCommand } from '../../src/services/handoff-command';
import { openHandoffModal } from '../../src/services/handoff-modal';

/**
 * `/handoff [@user | pool | #channel | from @a to @b]`: opens the handoff modal (the target preselected). Refusals
 * come back in the ack body, only for the person asking: commands also run where the bot is not a member (slack.md §3).
 */
export function registerHandoffCommand(app: App, deps: Deps): void {
  app.command('/handoff', async ({ command, ack }) => {
    const parsed = parseHandoffCommand(command.text);
    if (!parsed.ok) return ack({ response_type: 'ephemeral', text: parsed.message });
    try {
      await openHandoffModal(deps, {
        triggerId: command.trigger_id,
        actorId: command.user_id,
        fromUserId: parsed.fromUserId ?? command.user_id,
        target: parsed.target,
      });
    } catch (err) {
      if (!(err instanceof AppError)) deps.logger.error({ err, userId: command.user_id }, '/handoff could not open the modal');
      const text = err instanceof AppError ? err.userMessage : 'I could not open the handoff form. Please try again.';
      return ack({ response_type: 'ephemeral', text: `⚠️ ${text}` });
    }
    await ack();
  });
}
