let runs = 0;

/**
 * A lease holder name unique to one run in one process. Per run, not per process: two runs of one conversation
 * in the same process (a delayed signal and a fresh one, both taken by BullMQ workers) must exclude each other just
 * as runs in two processes do.
 */
export function leaseHolder(workerId: string): string {
  runs += 1;
  return `${workerId}:${runs}`;
}

/**
 * Keep a lease alive while a run works (one slow media upload can outlast a pass), so the lease itself can be short
 * and a crashed process's conversations are picked up again within seconds.
 */
export function keepLeaseAlive(renew: () => Promise<unknown>, leaseMs: number, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => {
    renew().catch(onError);
  }, Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref();
  return () => clearInterval(timer);
}
