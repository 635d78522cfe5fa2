import type { App } from '@slack/bolt';
import type { Deps } from '../../src/deps';
import { runShiftCommand } from '../../src/services/shifts';
import { answerCommand } from './command-reply';

/** `/shift on | off | status`. Off while owning conversations opens the handoff modal with this command's trigger. */
export function registerShiftCommand(app: App, deps: Deps): void {
  app.command('/shift', async ({ command, ack }) => {
    await answerCommand(deps, ack, () =>
      runShiftCommand(deps, { userId: command.user_id, text: command.text, triggerId: command.trigger_id }),
    );
  });
}
