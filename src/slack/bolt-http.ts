import { App, ExpressReceiver } from '@slack/bolt';
import type express from 'express';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { boltLogger } from './bolt-logger';
import { boltAppOptions, type SlackInbound } from './bolt-options';
import { screenSlackRequests } from './request-screen';

/**
 * HTTP mode: Slack's single request URL, Bolt's /slack/events, on our express app (slack.md §9.1). Requests are
 * answered after the listener has persisted its work (processBeforeResponse), so nothing is acknowledged before it
 * is durable; listeners ack first and keep slow Slack calls in the background, well inside the 3-second limit
 * (slack.md §2.1). request-screen.ts refuses stale and future timestamps and unroutable bodies first.
 */
export function buildHttpBolt(config: Config, logger: Logger, app: express.Express): SlackInbound {
  // Registered before the receiver's router, so it runs first on every Slack request.
  app.post('/slack/events', screenSlackRequests({ signingSecret: config.slack.signingSecret, logger }));
  const receiver = new ExpressReceiver({
    signingSecret: config.slack.signingSecret,
    app,
    processBeforeResponse: true,
    logger: boltLogger(logger),
  });
  return {
    bolt: new App({ ...boltAppOptions(config, logger), receiver }),
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
  };
}
