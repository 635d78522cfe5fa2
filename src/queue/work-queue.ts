/**
 * "Conversation X has work" signals (DESIGN §4). The queue carries only ids; Postgres holds the work. At most one
 * run per conversation at a time, and a signal that arrives during a run schedules exactly one more run after it
 * (BullMQ's keepLastIfActive semantics), so no signal is lost and none runs in parallel with itself.
 */
/** The work id that means "the webhook inbox has rows" (conversation ids start at 1). */
export const INBOX_WORK = 0;
/** The work id that means "a channel-level post (digest, inbox notice) is waiting". */
export const CHANNEL_WORK = -1;

/**
 * The inbox and channel runs feed every conversation: they go before waiting conversations, or a burst's hundreds
 * of conversation runs would hold the next inbox batch back for seconds (issue 7: a 1.8 s stall measured in a
 * 10,000-message burst, with 16 slots busy and ~200 conversations queued).
 */
export function isPipelineWork(id: number): boolean {
  return id <= 0;
}
/** Slots pipeline work may use beyond the configured concurrency (one each for the inbox and channel runs). */
const PIPELINE_SLOTS = 2;

export interface WorkSignals {
  signal(conversationId: number, delayMs?: number): Promise<void>;
}

export type ProcessConversation = (conversationId: number) => Promise<void>;

export interface WorkQueue extends WorkSignals {
  /** Start taking work (roles `worker` and `all`). */
  start(process: ProcessConversation): void;
  /** Stop taking new work and wait (up to `timeoutMs`) for runs in flight. */
  stop(timeoutMs?: number): Promise<void>;
  /** Waiting + running, for metrics and tests. */
  size(): number;
  close(): Promise<void>;
}

export class MemoryWorkQueue implements WorkQueue {
  private readonly waiting: number[] = [];
  private readonly queued = new Set<number>();
  private readonly running = new Set<number>();
  private readonly again = new Set<number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private process: ProcessConversation | undefined;
  private stopping = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly onError: (conversationId: number, err: unknown) => void,
  ) {}

  signal(conversationId: number, delayMs = 0): Promise<void> {
    if (delayMs > 0) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.enqueue(conversationId);
      }, delayMs);
      t.unref();
      this.timers.add(t);
    } else {
      this.enqueue(conversationId);
    }
    return Promise.resolve();
  }

  start(process: ProcessConversation): void {
    this.process = process;
    this.stopping = false;
    this.pump();
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.running.size === 0) return;
    await Promise.race([
      new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
      new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }

  size(): number {
    return this.waiting.length + this.running.size;
  }

  /** Resolves when nothing is waiting or running (tests). */
  async idle(): Promise<void> {
    while (this.size() > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  close(): Promise<void> {
    return this.stop(0);
  }

  private enqueue(id: number): void {
    if (this.running.has(id)) {
      this.again.add(id);
      return;
    }
    if (this.queued.has(id)) return;
    this.queued.add(id);
    if (isPipelineWork(id)) this.waiting.unshift(id);
    else this.waiting.push(id);
    this.pump();
  }

  private pump(): void {
    while (this.process && !this.stopping && this.waiting.length > 0) {
      const id = this.waiting[0] as number;
      if (this.running.size >= this.concurrency + (isPipelineWork(id) ? PIPELINE_SLOTS : 0)) break;
      this.waiting.shift();
      this.queued.delete(id);
      this.running.add(id);
      void this.run(id, this.process);
    }
  }

  private async run(id: number, process: ProcessConversation): Promise<void> {
    try {
      await process(id);
    } catch (err) {
      this.onError(id, err);
    } finally {
      this.running.delete(id);
      if (this.again.delete(id)) this.enqueue(id);
      this.pump();
      if (this.size() === 0 || (this.stopping && this.running.size === 0)) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }
}
