import type { AckFn, RespondArguments } from '@slack/bolt';
import { buildCommandRefused } from '../../blocks/command-replies';
import type { SlackMessage } from '../../blocks/types';
import type { Deps } from '../../src/deps';
import { AppError } from '../../src/errors';

/**
 * Runs a slash command and answers in the ack body, shown only to the person who ran it: commands also run in
 * channels the bot is not in, where chat.postEphemeral fails (slack.md §3). An AppError (a refusal, bad input) is
 * shown as it is; anything else is logged and answered with an apology. The work must fit Slack's 3 s.
 */
export async function answerCommand(
  deps: Pick<Deps, 'logger'>,
  ack: AckFn<string | RespondArguments>,
  run: () => Promise<SlackMessage>,
): Promise<void> {
  let message: SlackMessage;
  try {
    message = await run();
  } catch (err) {
    if (err instanceof AppError) {
      message = buildCommandRefused(err.userMessage);
    } else {
      deps.logger.error({ err }, 'slash command failed');
      message = buildCommandRefused('Something went wrong on our side. Please try again in a moment.');
    }
  }
  await ack({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
}
