import type { App, AppOptions } from '@slack/bolt';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { guardSlackFetch } from '../outbound-hosts';
import { boltLogger } from './bolt-logger';

/** What the web role gets from either Bolt builder (HTTP or Socket Mode), chosen by config in src/server.ts. */
export interface SlackInbound {
  bolt: App;
  /** Socket Mode opens its WebSocket here; over HTTP there is nothing to open (Slack calls our express app). */
  connect(): Promise<void>;
  /** Socket Mode closes its WebSocket (app.stop()); over HTTP the http.Server closing is enough. */
  disconnect(): Promise<void>;
}

/** The App options both modes share; each builder adds its receiver. */
export function boltAppOptions(config: Config, logger: Logger): AppOptions {
  return {
    token: config.slack.botToken,
    logger: boltLogger(logger),
    deferInitialization: true,
    // Blind retries off: a chat.postMessage repeated after a timeout posts twice (slack.md §1.4). The fetch also
    // serves respond(): a response_url outside Slack's hooks host is never called (outbound-hosts.ts).
    clientOptions: { slackApiUrl: config.slack.apiUrl, retryConfig: { retries: 0 }, fetch: guardSlackFetch(config.slack.apiUrl) },
  };
}
