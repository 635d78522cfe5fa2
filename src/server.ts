import http from 'node:http';
import type { App } from '@slack/bolt';
import express from 'express';
import { registerHandlers } from '../handlers';
import { createReceiveWebhookHandler } from '../handlers/whatsapp/receive-webhook';
import { createVerifyWebhookHandler } from '../handlers/whatsapp/verify-webhook';
import type { Deps } from './deps';
import { measureInboxBacklog } from './services/inbox-parked';
import { buildHttpBolt } from './slack/bolt-http';
import { buildSocketBolt } from './slack/bolt-socket';
import { explainBotTokenError } from './slack/bot-token-start-errors';

export interface HttpServer {
  app: express.Express;
  bolt: App | undefined;
  /** Serves `port` on HOST; in Socket Mode also connects to Slack, and fails the start when Slack refuses the token. */
  listen(port: number): Promise<http.Server>;
  /** Closes the Socket Mode connection (app.stop()); nothing to do over HTTP. */
  stopSlack(): Promise<void>;
}

/** /healthz, /readyz, /metrics: every role serves them so an orchestrator can watch it. */
export function mountOpsRoutes(app: express.Express, deps: Deps): void {
  let statementsScraped = 0;
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', (_req, res) => {
    deps.database.ping().then(
      () => res.json({ ok: true, database: deps.database.kind }),
      (err: unknown) => {
        deps.logger.warn({ err }, 'readiness check: database unreachable');
        res.status(503).json({ ok: false, database: 'unreachable' });
      },
    );
  });
  app.get('/metrics', (_req, res) => {
    deps.metrics.queueDepth.set(deps.queue.size());
    // The driver counts; the counter catches up at each scrape.
    const statements = deps.database.statements();
    deps.metrics.dbStatements.inc(Math.max(0, statements - statementsScraped));
    statementsScraped = statements;
    measureInboxBacklog(deps)
      .then(
        (inbox) => {
          deps.metrics.inboxPending.set(inbox.pending);
          deps.metrics.inboxOldestPendingSeconds.set(inbox.oldestAgeSeconds);
          deps.metrics.inboxParkedRows.set(inbox.parked);
        },
        (err: unknown) => deps.logger.warn({ err }, 'metrics: inbox not measured'),
      )
      .then(() => deps.metrics.registry.metrics())
      .then(
      (body) => res.type(deps.metrics.registry.contentType).send(body),
      (err: unknown) => res.status(500).send(String(err)),
    );
  });
}

/**
 * The web role: Meta's webhook and the ops routes on our express app, plus Slack: over HTTP, Bolt's /slack/events
 * on the same app (src/slack/bolt-http.ts); with SLACK_APP_TOKEN, a Socket Mode WebSocket instead
 * (src/slack/bolt-socket.ts). Either way the same handlers answer, and nothing is acknowledged before it is durable.
 */
export async function createHttpServer(deps: Deps, extraRoutes?: (app: express.Express) => void): Promise<HttpServer> {
  const app = express();
  app.disable('x-powered-by');
  mountOpsRoutes(app, deps);
  app.get('/webhooks/whatsapp', createVerifyWebhookHandler(deps));
  app.post(
    '/webhooks/whatsapp',
    express.raw({ type: () => true, limit: deps.config.whatsapp.webhookMaxBytes }),
    createReceiveWebhookHandler(deps),
  );
  extraRoutes?.(app);

  const { appToken } = deps.config.slack;
  const slack = appToken ? buildSocketBolt(deps.config, deps.logger, appToken) : buildHttpBolt(deps.config, deps.logger, app);
  slack.bolt.error(async (error) => {
    deps.logger.error({ err: error }, 'Slack listener failed');
  });
  registerHandlers(slack.bolt, deps);
  try {
    await slack.bolt.init();
  } catch (err) {
    throw explainBotTokenError(err, deps.config.slack.apiUrl) ?? err;
  }
  app.use(answerBodyErrors);

  return {
    app,
    bolt: slack.bolt,
    listen: async (port) => {
      const server = await listenOn(app, port, deps.config.host);
      try {
        await slack.connect();
      } catch (err) {
        await new Promise((resolve) => server.close(resolve));
        throw err;
      }
      return server;
    },
    stopSlack: () => slack.disconnect(),
  };
}

/** Body-parser failures on the WhatsApp route: a plain 413 or 400, never express's HTML error page. */
function answerBodyErrors(err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction): void {
  const status = (err as { status?: number }).status;
  if (status === 413) {
    res.status(413).type('text/plain').send('payload too large');
    return;
  }
  if (status === 400) {
    res.status(400).type('text/plain').send('bad request');
    return;
  }
  next(err);
}

function listenOn(app: express.Express, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    server.keepAliveTimeout = 65_000;
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
