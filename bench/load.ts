import http from 'node:http';

export interface Shot {
  /** Path on the target, e.g. /webhooks/whatsapp. */
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  latenciesMs: number[];
  elapsedMs: number;
  /** Completed requests per second over the run. */
  rate: number;
  /** When each shot was answered (ms since epoch), by index. */
  answeredAt: number[];
  sentAt: number[];
}

/**
 * An HTTP load generator for the benchmark. `rate` > 0 is open-loop (requests start on schedule whatever the
 * answers, so latency includes queueing — the honest way to measure ack latency at a given load); `rate` = 0 is
 * closed-loop with `concurrency` requests in flight (maximum throughput).
 */
export async function runLoad(args: {
  targets: string[];
  shots: Shot[];
  rate: number;
  concurrency: number;
  retryUntilOk?: boolean;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(args.concurrency, 256) });
  const result: LoadResult = {
    sent: 0,
    ok: 0,
    failed: 0,
    statuses: {},
    latenciesMs: [],
    elapsedMs: 0,
    rate: 0,
    answeredAt: new Array(args.shots.length).fill(0),
    sentAt: new Array(args.shots.length).fill(0),
  };
  const started = performance.now();
  const fire = async (i: number): Promise<void> => {
    const shot = args.shots[i]!;
    const target = args.targets[i % args.targets.length]!;
    for (let attempt = 0; ; attempt++) {
      const t0 = performance.now();
      if (attempt === 0) result.sentAt[i] = Date.now();
      const status = await post(agent, target + shot.path, shot.body, shot.headers);
      result.statuses[status] = (result.statuses[status] ?? 0) + 1;
      if (status === 200) {
        result.latenciesMs.push(performance.now() - t0);
        result.answeredAt[i] = Date.now();
        result.ok += 1;
        return;
      }
      if (!args.retryUntilOk || attempt > 200) {
        result.failed += 1;
        return;
      }
      // Like Meta: anything but 200 is retried (reference/whatsapp.md §1.3), here quickly.
      await new Promise((r) => setTimeout(r, 100 + attempt * 50));
    }
  };
  if (args.rate > 0) {
    const inFlight: Promise<void>[] = [];
    const interval = 1000 / args.rate;
    for (let i = 0; i < args.shots.length; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      result.sent += 1;
      inFlight.push(fire(i));
    }
    await Promise.all(inFlight);
  } else {
    let next = 0;
    const lanes = Array.from({ length: args.concurrency }, async () => {
      while (next < args.shots.length) {
        const i = next++;
        result.sent += 1;
        await fire(i);
      }
    });
    await Promise.all(lanes);
  }
  result.elapsedMs = performance.now() - started;
  result.rate = (result.ok / result.elapsedMs) * 1000;
  agent.destroy();
  return result;
}

function post(agent: http.Agent, url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
