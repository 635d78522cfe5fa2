/**
 * What to do when Slack refuses SLACK_BOT_TOKEN or cannot be reached, in one sentence (start-up and
 * `threadline doctor` say the same). The token comes from OAuth & Permissions after installing the app.
 */

const WHERE = 'copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions of this Slack app into SLACK_BOT_TOKEN';

const HINTS: Record<string, string> = {
  invalid_auth: `Slack does not accept SLACK_BOT_TOKEN (mistyped, from another app or workspace): ${WHERE}`,
  not_authed: `no token reached Slack: ${WHERE}`,
  token_revoked: `SLACK_BOT_TOKEN was revoked (the app was uninstalled or reinstalled): ${WHERE}`,
  token_expired: `SLACK_BOT_TOKEN expired (token rotation is on): turn rotation off or ${WHERE}`,
  account_inactive: `the Slack app or workspace of SLACK_BOT_TOKEN is inactive: reinstall the app, then ${WHERE}`,
  not_allowed_token_type: `SLACK_BOT_TOKEN is not a bot token: ${WHERE}; an app-level token (xapp-…) belongs in SLACK_APP_TOKEN`,
  team_disabled: 'the Slack workspace of SLACK_BOT_TOKEN is disabled',
};

export function botTokenHint(code: string): string {
  return HINTS[code] ?? `Slack refused SLACK_BOT_TOKEN (${code}): ${WHERE}`;
}

export function unreachableHint(apiUrl: string, detail: string): string {
  return `Slack's Web API at ${apiUrl} did not answer (${detail}): check SLACK_API_URL and this machine's DNS, proxy and firewall`;
}
