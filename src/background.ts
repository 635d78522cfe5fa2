import type { Logger } from './logger';

/**
 * Work a handler starts after its durable write and does not wait for (ephemerals, DMs): tracked so shutdown can
 * wait for it and tests can await it, and never an unhandled rejection.
 */
export class Background {
  private readonly inFlight = new Set<Promise<void>>();
  constructor(private readonly logger: Logger) {}

  run(label: string, task: () => Promise<unknown>): void {
    const p: Promise<void> = start(task)
      .then(() => undefined)
      .catch((err: unknown) => {
        this.logger.warn({ err, task: label }, 'background task failed');
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

/**
 * The task started at once, as before, but a throw before its first await (a callback that is not a function, a
 * bad argument) becomes its rejection: logged like any other failure instead of escaping into the handler.
 */
function start(task: () => Promise<unknown>): Promise<unknown> {
  try {
    return task();
  } catch (err) {
    return Promise.reject(err);
  }
}
