import { insertInboxBodies } from '../../db/queries/webhook-inbox';
import type { Deps } from '../deps';

/** Largest group written by one INSERT. */
const MAX_GROUP = 500;

interface Pending {
  body: Buffer;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for the webhook ack path: requests that arrive while a write is in flight are written together by
 * the next one, so the durable write costs one round trip per group instead of one per request. Each caller's
 * promise settles only after its row is committed (DESIGN §3: nothing answered 200 before it is in Postgres).
 */
export class InboxWriter {
  private queue: Pending[] = [];
  private writing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: Pick<Deps, 'db'> & { durably?: <T>(write: () => Promise<T>) => Promise<T> }) {}

  write(body: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ body, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          const insert = () => insertInboxBodies(this.deps.db, group.map((p) => p.body));
          // On disk before anyone is answered 200 (DESIGN §3), power cut included.
          await (this.deps.durably ? this.deps.durably(insert) : insert());
          for (const p of group) p.resolve();
        } catch (err) {
          for (const p of group) p.reject(err);
        }
      }
    } finally {
      this.writing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /**
   * Resolves when no webhook write is waiting, or after `maxWaitMs`. Embedded Postgres (PGlite) runs one query at
   * a time, so background work that yields here lets Meta's acknowledgements go first without ever stopping.
   */
  async yieldToWrites(maxWaitMs: number): Promise<void> {
    if (!this.writing && this.queue.length === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
