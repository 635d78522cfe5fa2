import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from './config';
import { type Deps, type DepsOverrides, buildDeps } from './deps';
import { createConversationWorker } from './queue/conversation-worker';
import { createChannelWorker } from './queue/channel-worker';
import { createInboxProcessor } from './queue/inbox-processor';
import { CHANNEL_WORK, INBOX_WORK } from './queue/work-queue';
import { runChannelPost } from './services/delivery/channel-posts';
import { runSlackOps } from './services/delivery/slack-ops';
import { runWhatsAppSends } from './services/delivery/whatsapp-sends';
import { createInboxIngest } from './services/inbox-ingest';
import { startSweeper, sweepOnce } from './queue/sweeper';
import { createDoctorProbes } from './doctor-probes';
import { warnAboutSetup } from './services/doctor/startup-warnings';
import { createHttpServer, mountOpsRoutes } from './server';
import { startDigestScheduler } from './services/digest';
import { startOwnershipTimeouts } from './services/ownership-timeouts';
import { startTemplateSync } from './services/template-catalogue';

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
  const templateSync = runWorker ? startTemplateSync(deps) : undefined;
  if (runWorker) {
    // The mechanics (src/queue) get the rules (src/services) here, so the engine's shape is visible in one place.
    const processConversation = createConversationWorker(deps, [runSlackOps, runWhatsAppSends]);
    // The inbox processor reads and writes through its own connection (Postgres) or lane (PGlite): see Database.ingestDb.
    const ingestDeps: Deps = { ...deps, db: deps.database.ingestDb };
    const processInbox = createInboxProcessor(ingestDeps, createInboxIngest(ingestDeps));
    const processChannelPosts = createChannelWorker(deps, runChannelPost);
    deps.queue.start((id) => {
      if (id === INBOX_WORK) return processInbox();
      if (id === CHANNEL_WORK) return processChannelPosts();
      return processConversation(id);
    });
    // Work left by a previous run (or signals lost in a crash) is picked up at once, not after the first sweep.
    sweepOnce(deps, { everything: true }).catch((err: unknown) => deps.logger.warn({ err }, 'startup sweep failed'));
  }
  if (serveWeb && !config.sandbox) {
    // `threadline doctor`'s checks, once, in the background: a broken setup is logged with its fix, never a refusal.
    deps.background.run('setup check', () => warnAboutSetup(deps, createDoctorProbes(config, { database: deps.database })));
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
      templateSync?.stop();
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
