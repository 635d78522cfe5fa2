import type { Config } from '../../config';
import { botTokenHint, unreachableHint } from '../../slack/bot-token-hints';
import type { SlackSetupProbe } from '../../slack/setup-probe';
import { socketTokenHint } from '../../slack/socket-start-errors';
import { type CheckResult, failed, passed } from './check-result';

/**
 * Slack's side of the setup: the bot token works, it was granted every scope manifest.json asks for, the app-level
 * token opens Socket Mode, and the bot is in every channel threadline posts to (it only hears replies where it is
 * a member, slack.md §2.2).
 */

const REINSTALL =
  'add them under OAuth & Permissions → Scopes (or paste manifest.json again under App Manifest), then reinstall the app (OAuth & Permissions → Reinstall to Workspace)';

/** The channels threadline posts to, each with the setting that names it. */
export function configuredChannels(config: Config): Array<{ id: string; settings: string[] }> {
  const channels = new Map<string, string[]>();
  const add = (id: string | undefined, setting: string) => {
    if (!id) return;
    const settings = channels.get(id) ?? [];
    if (!settings.includes(setting)) settings.push(setting);
    channels.set(id, settings);
  };
  add(config.slack.defaultChannel, 'SLACK_CHANNEL');
  for (const channel of config.whatsapp.numberChannels.values()) add(channel, 'WHATSAPP_NUMBER_CHANNELS');
  add(config.digest.channel, 'DIGEST_CHANNEL');
  return [...channels].map(([id, settings]) => ({ id, settings }));
}

export async function checkSlack(config: Config, probe: SlackSetupProbe, manifestScopes: readonly string[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const auth = await probe.authTest();
  if (auth.kind === 'unreachable') {
    return [failed('Slack bot token', 'Slack did not answer', unreachableHint(config.slack.apiUrl, auth.detail))];
  }
  if (auth.kind === 'refused') {
    return [failed('Slack bot token', `auth.test answered ${auth.error}`, botTokenHint(auth.error))];
  }
  const botName = auth.value.botUser || 'threadline';
  results.push(passed('Slack bot token', `valid: @${botName} in workspace ${auth.value.team}`));

  const granted = auth.value.scopes;
  if (granted === undefined) {
    results.push(failed('Slack scopes', 'Slack did not list the granted scopes (no x-oauth-scopes header)', 'check that SLACK_API_URL points at Slack itself, not a proxy that drops headers'));
  } else {
    const missing = manifestScopes.filter((s) => !granted.includes(s));
    results.push(
      missing.length === 0
        ? passed('Slack scopes', `all ${manifestScopes.length} scopes of manifest.json granted`)
        : failed('Slack scopes', `missing ${missing.join(', ')}`, REINSTALL),
    );
  }

  if (config.slack.appToken) {
    const socket = await probe.openSocketUrl(config.slack.appToken);
    if (socket.kind === 'ok') results.push(passed('Slack app token', 'valid: Socket Mode connections open'));
    else if (socket.kind === 'refused') results.push(failed('Slack app token', `apps.connections.open answered ${socket.error}`, socketTokenHint(socket.error)));
    else results.push(failed('Slack app token', 'Slack did not answer', unreachableHint(config.slack.apiUrl, socket.detail)));
    results.push(passed('Slack signing secret', 'not used in Socket Mode (events arrive over the WebSocket)'));
  } else {
    // Slack offers no call that proves a signing secret; a wrong one only shows as refused requests.
    results.push(
      passed(
        'Slack signing secret',
        'set (Slack cannot be asked whether it is right: a wrong one shows as 401s on /slack/events and a Request URL that will not verify)',
      ),
    );
  }

  for (const { id, settings } of configuredChannels(config)) {
    results.push(await checkChannel(probe, id, settings, botName));
  }
  return results;
}

async function checkChannel(probe: SlackSetupProbe, id: string, settings: string[], botName: string): Promise<CheckResult> {
  const name = `channel ${id} (${settings.join(', ')})`;
  const info = await probe.channelInfo(id);
  if (info.kind === 'unreachable') return failed(name, 'Slack did not answer', `try again; ${info.detail}`);
  if (info.kind === 'refused') {
    if (info.error === 'channel_not_found') {
      return failed(
        name,
        'no channel with this id that the bot can see',
        `check the id (channel name → About, at the bottom); for a private channel run /invite @${botName} in it first`,
      );
    }
    if (info.error === 'missing_scope') return failed(name, 'conversations.info answered missing_scope', REINSTALL);
    return failed(name, `conversations.info answered ${info.error}`, `check ${settings.join(' and ')}`);
  }
  if (!info.value.isMember) {
    return failed(name, `@${botName} is not a member of #${info.value.name}`, `run /invite @${botName} in #${info.value.name}`);
  }
  return passed(name, `@${botName} is a member of #${info.value.name}`);
}
