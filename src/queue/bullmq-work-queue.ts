import { type JobsOptions, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { type ProcessConversation, type WorkQueue, isPipelineWork } from './work-queue';

const QUEUE_NAME = 'threadline-conversations';
/**
 * BullMQ takes jobs without a priority before prioritised ones (docs.bullmq.io/guide/jobs/prioritized): the inbox
 * and channel runs carry none, every conversation this one, so pipeline work never waits behind a burst of them.
 */
const CONVERSATION_PRIORITY = 10;

/**
 * "Conversation X has work" signals through a real Redis-backed queue (BullMQ), so several web and worker
 * processes share the work (DESIGN §4). One waiting job per conversation at most, and a signal during a run
 * schedules one more run after it (deduplication with keepLastIfActive); delayed signals (rate limits,
 * backoff) get their own job per due millisecond. Postgres stays the source of truth: a signal lost with a Redis
 * restart is re-sent by the sweeper.
 */
export class BullMqWorkQueue implements WorkQueue {
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private workerRedis: Redis | undefined;
  private active = 0;
  private adds = 0;
  private readonly inFlight = new Map<number, { again: boolean }>();

  constructor(
    private readonly connection: Redis,
    private readonly workerConnection: () => Redis,
    private readonly concurrency: number,
    private readonly logger: Logger,
    private readonly prefix = 'threadline',
  ) {
    this.queue = new Queue(QUEUE_NAME, { connection, prefix });
    this.queue.on('error', (err) => this.logger.warn({ err }, 'work queue error'));
  }

  /**
   * Never blocks its caller: while Redis is away the add waits in the background and the sweeper covers.
   * Immediate signals for one id are single-flight: while one add is on its way to Redis, further signals only ask
   * for one more add after it. Every webhook signals the inbox, so at 1,000/s this turns a Redis round trip per
   * request into a couple per round trip time, and the last signal still starts after the last write.
   */
  signal(conversationId: number, delayMs = 0): Promise<void> {
    if (delayMs > 0) {
      // Keyed by the due millisecond, not the due second: BullMQ drops an add whose jobId exists, and a run started by
      // the job due in second X that asks again for X (a short rate-limit wait) would lose its signal until the sweeper.
      void this.add(conversationId, { jobId: `c${conversationId}-d${Date.now() + delayMs}`, delay: delayMs });
      return Promise.resolve();
    }
    const flight = this.inFlight.get(conversationId);
    if (flight) flight.again = true;
    else this.sendNow(conversationId);
    return Promise.resolve();
  }

  /** Adds sent to Redis so far: coalescing keeps this far below the signals asked for (its test reads it). */
  addsSent(): number {
    return this.adds;
  }

  private sendNow(conversationId: number): void {
    const flight = { again: false };
    this.inFlight.set(conversationId, flight);
    const settled = this.add(conversationId, { deduplication: { id: `c${conversationId}`, keepLastIfActive: true } });
    void settled.then(() => {
      this.inFlight.delete(conversationId);
      if (flight.again) this.sendNow(conversationId);
    });
  }

  private add(conversationId: number, options: JobsOptions): Promise<void> {
    this.adds += 1;
    const priority = isPipelineWork(conversationId) ? {} : { priority: CONVERSATION_PRIORITY };
    return this.queue.add('work', { conversationId }, { ...options, ...priority, removeOnComplete: true, removeOnFail: true }).then(
      () => undefined,
      (err: unknown) => this.logger.warn({ err, conversationId }, 'signal not queued; the sweeper will resend it'),
    );
  }

  start(process: ProcessConversation): void {
    this.worker = new Worker<{ conversationId: number }>(
      QUEUE_NAME,
      async (job) => {
        this.active += 1;
        try {
          await process(job.data.conversationId);
        } finally {
          this.active -= 1;
        }
      },
      { connection: (this.workerRedis = this.workerConnection()), concurrency: this.concurrency, prefix: this.prefix },
    );
    this.worker.on('error', (err) => this.logger.warn({ err }, 'work queue worker error'));
    this.worker.on('failed', (job, err) => this.logger.error({ err, conversationId: job?.data.conversationId }, 'conversation run failed'));
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      worker.close().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    // Runs still going past the bound are abandoned: their leases run out and their jobs stall back into Redis.
    if (timedOut) await worker.close(true);
    this.workerRedis?.disconnect();
  }

  size(): number {
    return this.active;
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
