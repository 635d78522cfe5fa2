import type { App } from '@slack/bolt';
import type { Deps } from '../../src/deps';
import { runThreadlineCommand } from '../../src/services/threadline-command';
import { answerCommand } from './command-reply';

/** `/threadline role | routing | timeouts | help`: settings for admins, help for everyone. */
export function registerThreadlineCommand(app: App, deps: Deps): void {
  app.command('/threadline', async ({ command, ack }) => {
    await answerCommand(deps, ack, () =>
      runThreadlineCommand(deps, { userId: command.user_id, channelId: command.channel_id, text: command.text }),
    );
  });
}
