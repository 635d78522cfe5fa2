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
 *
 * The returned stop waits for a renewal already in flight: a renewal that lands after the run released its lease
 * would take the lease back for a whole `leaseMs`, and every other run (the next signal, another process) would
 * find it held and wait that long for nothing.
 */
export function keepLeaseAlive(renew: () => Promise<unknown>, leaseMs: number, onError: (err: unknown) => void): () => Promise<void> {
  let inFlight: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = renew()
      .then(() => undefined, onError)
      .finally(() => {
        inFlight = undefined;
      });
  }, Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref();
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}
