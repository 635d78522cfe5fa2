import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../src/deps';
import { slackUserId } from '../../src/ids';
import { showAppHome } from '../../src/services/home';

/**
 * Opening the Home tab publishes it fresh (views.publish). The event also fires for the Messages tab, which shows
 * nothing of ours, so only `tab: home` is answered.
 */
const homeOpened = z.object({ user: slackUserId, tab: z.string().optional() });

export function registerAppHomeOpened(app: App, deps: Deps): void {
  app.event('app_home_opened', async ({ event }) => {
    const parsed = homeOpened.safeParse(event);
    if (!parsed.success || parsed.data.tab !== 'home') return;
    await showAppHome(deps, parsed.data.user);
  });
}
