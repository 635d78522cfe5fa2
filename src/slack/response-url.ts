import { isSlackResponseUrl } from '../outbound-hosts';
import { type RespondArgs, SlackPermanentError } from './gateway';
import { toSlackError } from './slack-errors';

/**
 * Answering on a response_url: what a slash command hands over so the app can reach the person where they ran it,
 * whether or not the bot is in that channel or DM (slack.md §3; chat.postEphemeral there fails). Slack accepts up to
 * 5 answers within 30 minutes; after that the URL answers 404 and the caller has to reach the person another way.
 */

export const RESPOND_METHOD = 'response_url';

/** Only to Slack's hooks host (or SLACK_API_URL's origin, the emulator's): the URL came out of a payload. */
export async function postEphemeralResponse(args: RespondArgs, limits: { slackApiUrl: string; timeoutMs: number }): Promise<void> {
  if (!isSlackResponseUrl(args.responseUrl, limits.slackApiUrl)) throw new SlackPermanentError(RESPOND_METHOD, 'host_not_allowed');
  let response: Response;
  try {
    response = await fetch(args.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: args.text, ...(args.blocks ? { blocks: args.blocks } : {}) }),
      redirect: 'manual',
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
    await response.arrayBuffer();
  } catch (error) {
    throw toSlackError(RESPOND_METHOD, error);
  }
  // The URL itself is a credential for half an hour: only the status goes into the error (and so into logs).
  if (!response.ok) throw new SlackPermanentError(RESPOND_METHOD, `http_${response.status}`);
}
