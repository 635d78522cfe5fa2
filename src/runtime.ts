import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from './config';
import { type Deps, type DepsOverrides, buildDeps } from './deps';
import { createConversationWorker } from './queue/conversation-worker';
import { createInboxProcessor } from './queue/inbox-processor';
import { INBOX_WORK } from './queue/work-queue';
import { startSweeper, sweepOnce } from './queue/sweeper';
import { checkChannels } from './services/setup-check';
import { createHttpServer, mountOpsRoutes } from './server';
import { startDigestScheduler } from './services/digest';
import { startOwnershipTimeouts } from './services/ownership-timeouts';

export interface Running {
  deps: Deps;
  /** http://127.0.0.1:PORT of this process. */
  url: string;
  server: http.Server;
  stop(timeoutMs?: number): Promise<void>;
}

export interface StartOptions {
  overrides?: DepsOverrides;
  /** Extra routes for the web role (the sandbox helpers). */
  extraRoutes?: (app: express.Express) => void;
}

/**
 * Start threadline in the configured role: `web` (HTTP), `worker` (delivery engine and sweeper) or `all`.
 * Used by the entry point, the end-to-end tests and the benchmark alike.
 */
export async function startThreadline(config: Config, options: StartOptions = {}): Promise<Running> {
  const deps = await buildDeps(config, options.overrides);
  const serveWeb = config.role !== 'worker';
  const runWorker = config.role !== 'web';
  let server: http.Server;
  let stopSlack: (() => Promise<void>) | undefined;
  try {
    if (serveWeb) {
      const http = await createHttpServer(deps, options.extraRoutes);
      server = await http.listen(config.port);
      stopSlack = http.stopSlack;
    } else {
      const ops = express();
      mountOpsRoutes(ops, deps);
      server = await new Promise<http.Server>((resolve, reject) => {
        const s = ops.listen(config.port, config.host, () => resolve(s));
        s.once('error', reject);
      });
    }
  } catch (err) {
    await deps.database.close();
    throw err;
  }
  const sweeper = runWorker ? startSweeper(deps) : undefined;
  const ownershipTimeouts = runWorker ? startOwnershipTimeouts(deps) : undefined;
  const digest = runWorker ? startDigestScheduler(deps) : undefined;
  if (runWorker) {
    const processConversation = createConversationWorker(deps);
    const processInbox = createInboxProcessor(deps);
    deps.queue.start((id) => (id === INBOX_WORK ? processInbox() : processConversation(id)));
    // Work left by a previous run (or signals lost in a crash) is picked up at once, not after the first sweep.
    sweepOnce(deps, { everything: true }).catch((err: unknown) => deps.logger.warn({ err }, 'startup sweep failed'));
  }
  if (serveWeb && !config.sandbox) {
    checkChannels(deps, config).catch((err: unknown) => deps.logger.warn({ err }, 'channel check failed'));
  }
  const port = (server.address() as AddressInfo).port;
  deps.logger.info({ port, role: config.role, database: deps.database.kind, sandbox: config.sandbox }, 'threadline started');

  let stopped = false;
  return {
    deps,
    url: `http://127.0.0.1:${port}`,
    server,
    async stop(timeoutMs = 10_000) {
      if (stopped) return;
      stopped = true;
      deps.lifecycle.stopping = true;
      sweeper?.stop();
      ownershipTimeouts?.stop();
      digest?.stop();
      // Socket Mode: envelopes in progress are acknowledged, then the WebSocket closes; no new Slack work arrives.
      await stopSlack?.();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
        setTimeout(() => {
          server.closeAllConnections?.();
          resolve();
        }, Math.min(timeoutMs, 5_000)).unref();
      });
      await deps.queue.stop(timeoutMs);
      await deps.background.idle();
      await deps.queue.close();
      await deps.limits.close?.();
      await deps.database.close();
    },
  };
}
