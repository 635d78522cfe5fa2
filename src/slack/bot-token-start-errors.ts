import { ErrorCode } from '@slack/web-api';
import { ConfigError } from '../config';
import { describeNetworkError } from '../network-error';
import { botTokenHint, unreachableHint } from './bot-token-hints';

/**
 * Bolt checks SLACK_BOT_TOKEN with auth.test before threadline serves anything (slack.md §9: `init()`). Its
 * failures are SDK errors with a stack that names neither the setting nor the fix (issue 8: `invalid_auth`,
 * `ENOTFOUND`); this turns them into one sentence that does, like every other configuration problem.
 */
export function explainBotTokenError(err: unknown, apiUrl: string): ConfigError | undefined {
  const code = (err as { code?: unknown }).code;
  if (code === ErrorCode.PlatformError) {
    const error = (err as { data?: { error?: unknown } }).data?.error;
    const slackCode = typeof error === 'string' ? error : 'unknown_error';
    return new ConfigError([`Slack refused SLACK_BOT_TOKEN (auth.test answered ${slackCode}): ${botTokenHint(slackCode)}`]);
  }
  if (code === ErrorCode.RequestError || code === ErrorCode.HTTPError) {
    const original = (err as { original?: unknown }).original ?? err;
    const detail = code === ErrorCode.HTTPError ? `HTTP ${String((err as { statusCode?: unknown }).statusCode)}` : describeNetworkError(original);
    return new ConfigError([`threadline could not check SLACK_BOT_TOKEN: ${unreachableHint(apiUrl, detail)}`]);
  }
  return undefined;
}
