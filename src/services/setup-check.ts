import type { Config } from '../config';
import type { Deps } from '../deps';

/**
 * At start-up, say plainly when a configured channel cannot work: threadline posts there but only hears the
 * agents' replies in channels it was invited to (slack.md §2.2). A warning, not a refusal to start: the outbox
 * keeps the work and retries, so inviting the bot later is enough.
 */
export async function checkChannels(deps: Pick<Deps, 'slack' | 'logger'>, config: Config): Promise<void> {
  const channels = new Set<string>([
    ...config.whatsapp.numberChannels.values(),
    ...(config.slack.defaultChannel ? [config.slack.defaultChannel] : []),
    ...(config.digest.channel ? [config.digest.channel] : []),
  ]);
  for (const channel of channels) {
    try {
      if (!(await deps.slack.isMember(channel))) {
        deps.logger.warn({ channel }, `threadline is not in channel ${channel}: invite it there (/invite @threadline) or replies will not reach customers`);
      }
    } catch (err) {
      deps.logger.warn({ channel, err: err instanceof Error ? err.message : String(err) }, `cannot see channel ${channel}: check the id and invite threadline`);
    }
  }
}
