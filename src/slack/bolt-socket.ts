import { App } from '@slack/bolt';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { boltAppOptions, type SlackInbound } from './bolt-options';
import { DurableSocketModeReceiver } from './socket-mode-receiver';

/**
 * Socket Mode (SLACK_APP_TOKEN, slack.md §9.5): events, interactivity and slash commands arrive over a WebSocket the
 * app opens, so there is no /slack/events route and no signing secret. Envelopes are acknowledged only after the
 * listener has finished, the Socket Mode counterpart of processBeforeResponse (see DurableSocketModeReceiver).
 */
export function buildSocketBolt(config: Config, logger: Logger, appToken: string): SlackInbound {
  const receiver = new DurableSocketModeReceiver({ appToken, slackApiUrl: config.slack.apiUrl, logger });
  // No `socketMode: true`: Bolt would then insist on its own SocketModeReceiver class (App.initReceiver).
  const bolt = new App({ ...boltAppOptions(config, logger), receiver });
  return {
    bolt,
    connect: async () => {
      await bolt.start();
    },
    disconnect: async () => {
      await bolt.stop();
    },
  };
}
