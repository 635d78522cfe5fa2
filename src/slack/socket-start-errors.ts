import { WebAPIPlatformError } from '@slack/web-api';
import { ConfigError } from '../config';
import { describeNetworkError } from '../network-error';

/**
 * Why Slack refused to open a Socket Mode connection, in words that say what to fix. apps.connections.open takes
 * only an app-level token with connections:write, from an app that has Socket Mode enabled (slack.md §9.5).
 */

const TOKEN_HINT =
  'SLACK_APP_TOKEN must be an app-level token (xapp-…) of this Slack app with the connections:write scope ' +
  '(Basic Information → App-Level Tokens), and Socket Mode must be enabled (Settings → Socket Mode)';

const HINTS: Record<string, string> = {
  invalid_auth: `Slack does not accept SLACK_APP_TOKEN (revoked, mistyped or from another app): ${TOKEN_HINT}`,
  not_authed: `no token reached Slack: ${TOKEN_HINT}`,
  not_allowed_token_type: `SLACK_APP_TOKEN is not an app-level token: ${TOKEN_HINT}; the bot token (xoxb-…) belongs in SLACK_BOT_TOKEN`,
  missing_scope: `SLACK_APP_TOKEN lacks the connections:write scope: ${TOKEN_HINT}`,
  token_revoked: `SLACK_APP_TOKEN was revoked: ${TOKEN_HINT}`,
  account_inactive: `the Slack app or workspace of SLACK_APP_TOKEN is inactive: ${TOKEN_HINT}`,
  team_disabled: 'the Slack workspace of SLACK_APP_TOKEN is disabled',
};

/** What to do about apps.connections.open answering `code` (also used by `threadline doctor`). */
export function socketTokenHint(code: string): string {
  return HINTS[code] ?? `check SLACK_APP_TOKEN and SLACK_API_URL: ${TOKEN_HINT}`;
}

/** A platform refusal becomes a ConfigError naming SLACK_APP_TOKEN; anything else (network) says where it tried. */
export function explainSocketStartError(err: unknown): Error {
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error;
    const hint = socketTokenHint(code);
    return new ConfigError([`Slack refused the Socket Mode connection (apps.connections.open answered ${code}): ${hint}`]);
  }
  const detail = err instanceof Error ? describeNetworkError(err) : 'the connection closed before Slack said hello';
  return new ConfigError([`could not open the Socket Mode connection to Slack (check SLACK_API_URL and the network): ${detail}`]);
}
