import { randomUUID } from 'node:crypto';
import type { Database, Db } from '../db/client';
import { openDatabase } from '../db/client';
import { Background } from './background';
import { type Clock, systemClock } from './clock';
import type { Config } from './config';
import { type Logger, createLogger } from './logger';
import { type Metrics, createMetrics } from './metrics';
import { BullMqWorkQueue } from './queue/bullmq-work-queue';
import { MemoryRateLimiter, PLATFORM_PACE, type PlatformPace, type RateLimiter } from './queue/rate-limiter';
import { connectForLimits, connectForQueue } from './queue/redis-connection';
import { RedisRateLimiter } from './queue/redis-rate-limiter';
import { MemoryWorkQueue, type WorkQueue } from './queue/work-queue';
import { InboxWriter } from './services/inbox-writer';
import { type ChannelMembership, createChannelMembership } from './slack/channel-membership';
import type { SlackGateway } from './slack/gateway';
import { createSlackGateway } from './slack/web-api-gateway';
import type { WhatsAppGateway } from './whatsapp/gateway';
import { createGraphClient } from './whatsapp/graph-client';

/** Everything a handler, service or worker needs, built once by the composition root (STYLE §5). */
export interface Deps {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  database: Database;
  slack: SlackGateway;
  /** Who is in which channel (cached users.conversations): what everyone may see and act on. */
  membership: ChannelMembership;
  whatsapp: WhatsAppGateway;
  /** "conversation X has work" signals, and the worker side of them. */
  queue: WorkQueue;
  limits: RateLimiter;
  /** The platform limits the engine paces itself to (always Slack's and Meta's own outside tests). */
  pace: PlatformPace;
  background: Background;
  metrics: Metrics;
  /** Identifies this process in conversation leases. */
  workerId: string;
  /** The webhook ack path's durable write (group commit into webhook_inbox). */
  inbox: InboxWriter;
  /** Set on SIGTERM: long-running loops hand their work back instead of starting more. */
  lifecycle: { stopping: boolean };
}

export type DepsOverrides = Partial<Omit<Deps, 'config'>>;

export async function buildDeps(config: Config, overrides: DepsOverrides = {}): Promise<Deps> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const database =
    overrides.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const redisUrl = config.redisUrl;
  const queue =
    overrides.queue ??
    (redisUrl
      ? new BullMqWorkQueue(connectForQueue(redisUrl), () => connectForQueue(redisUrl), config.workerConcurrency, logger)
      : new MemoryWorkQueue(config.workerConcurrency, (conversationId, err) =>
          logger.error({ err, conversationId }, 'conversation worker failed'),
        ));
  const limits =
    overrides.limits ?? (redisUrl ? new RedisRateLimiter(connectForLimits(redisUrl), logger) : new MemoryRateLimiter());
  const slack =
    overrides.slack ?? createSlackGateway({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, logger, timeoutMs: config.slack.timeoutMs });
  return {
    config,
    logger,
    clock: overrides.clock ?? systemClock,
    db: database.db,
    database,
    slack,
    membership: overrides.membership ?? createChannelMembership({ slack, clock: systemClock }),
    whatsapp:
      overrides.whatsapp ??
      createGraphClient({
        apiUrl: config.whatsapp.apiUrl,
        apiVersion: config.whatsapp.apiVersion,
        accessToken: config.whatsapp.accessToken,
        logger,
        timeoutMs: config.whatsapp.timeoutMs,
      }),
    queue,
    limits,
    pace: overrides.pace ?? PLATFORM_PACE,
    background: overrides.background ?? new Background(logger),
    metrics: overrides.metrics ?? createMetrics(),
    workerId: overrides.workerId ?? `${process.pid}-${randomUUID().slice(0, 8)}`,
    lifecycle: overrides.lifecycle ?? { stopping: false },
    inbox: overrides.inbox ?? new InboxWriter({ db: database.ackDb, durably: (write) => database.durably(write) }),
  };
}
