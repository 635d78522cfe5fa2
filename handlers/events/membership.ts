import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../src/deps';
import { slackChannelId, slackUserId } from '../../src/ids';

const membershipEvent = z.object({ user: slackUserId, channel: slackChannelId });

/**
 * Someone joined or left a channel the bot is in: what they may see and act on changes now, not when the cached
 * membership runs out (src/slack/channel-membership.ts). Bolt's ignoreSelf lets these through even for the bot
 * (slack.md §2.4); the bot's own entry is simply never asked for.
 */
export function registerMembershipEvents(app: App, deps: Pick<Deps, 'membership' | 'logger'>): void {
  for (const type of ['member_joined_channel', 'member_left_channel'] as const) {
    app.event(type, async ({ event }) => {
      const parsed = membershipEvent.safeParse(event);
      if (!parsed.success) return;
      deps.membership.forget(parsed.data.user);
      deps.logger.info({ userId: parsed.data.user, channel: parsed.data.channel, type }, 'channel membership changed');
    });
  }
}
