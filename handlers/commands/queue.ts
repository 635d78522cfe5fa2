import type { App } from '@slack/bolt';
import type { Deps } from '../../src/deps';
import { runQueueCommand } from '../../src/services/queue-view';
import { answerCommand } from './command-reply';

/** `/queue [mine | unassigned | all | @user | digest]`: the list comes back in the ack, only for the person asking. */
export function registerQueueCommand(app: App, deps: Deps): void {
  app.command('/queue', async ({ command, ack }) => {
    await answerCommand(deps, ack, () =>
      runQueueCommand(deps, { userId: command.user_id, channelId: command.channel_id, text: command.text, responseUrl: command.response_url }),
    );
  });
}
