import type { App } from '@slack/bolt';
import type { Deps } from '../../src/deps';
import { showAppHome } from '../../src/services/home';

/**
 * Opening the Home tab publishes it fresh (views.publish). The event also fires for the Messages tab, which shows
 * nothing of ours, so only `tab: home` is answered.
 */
export function registerAppHomeOpened(app: App, deps: Deps): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await showAppHome(deps, event.user);
  });
}
