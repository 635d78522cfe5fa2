import type { SlackEmulator } from '../src/emulators/slack-emulator';
import type { Bridge } from './bridge';
import { type LoadResult, runLoad } from './load';
import { round, summarize } from './stats';
import { type Check, type Number, type Sent, checkDelivery, makeShots, withTimings } from './workload';

/** Slack's documented chat.postMessage limit: about 1 per second per channel (slack.md §1.1). */
export const SLACK_POSTS_PER_SECOND = 1;

export interface IngestResult {
  messages: number;
  bridgeRate: number;
  bareRate: number;
  ratio: number;
  statuses: Record<string, number>;
}

/**
 * Warm-up, not measured: the same closed-loop traffic to the bare endpoint and to the bridge. Returns what the
 * bridge was sent, so the delivery checks cover it too.
 */
export async function warmUp(args: { bridge: Bridge; bareUrl: string; numbers: Number[]; run: string }): Promise<Sent[]> {
  const shape = { numbers: args.numbers, customers: 50, perCustomer: 10 };
  await runLoad({ targets: [args.bareUrl], shots: makeShots({ run: `${args.run}b`, ...shape }).shots, rate: 0, concurrency: 16 });
  const real = makeShots({ run: args.run, ...shape });
  const load = await runLoad({ targets: args.bridge.targets, shots: real.shots, rate: 0, concurrency: 16, retryUntilOk: true });
  return withTimings(real.sent, load);
}

/** Maximum ingest: closed loop, 64 requests in flight, against the bridge and the bare HMAC endpoint alike. */
export async function measureIngest(args: {
  bridge: Bridge;
  bareUrl: string;
  numbers: Number[];
  run: string;
  customers: number;
  perCustomer: number;
}): Promise<{ result: IngestResult; sent: Sent[] }> {
  const concurrency = 64;
  const bare = makeShots({ run: `${args.run}b`, numbers: args.numbers, customers: args.customers, perCustomer: args.perCustomer });
  const bareLoad = await runLoad({ targets: [args.bareUrl], shots: bare.shots, rate: 0, concurrency });
  const real = makeShots({ run: args.run, numbers: args.numbers, customers: args.customers, perCustomer: args.perCustomer });
  const load = await runLoad({ targets: args.bridge.targets, shots: real.shots, rate: 0, concurrency, retryUntilOk: true });
  return {
    sent: withTimings(real.sent, load),
    result: {
      messages: real.shots.length,
      bridgeRate: round(load.rate, 0),
      bareRate: round(bareLoad.rate, 0),
      ratio: round(load.rate / bareLoad.rate, 3),
      statuses: load.statuses,
    },
  };
}

/** Ack latency at a fixed offered load (open loop: requests start on schedule whatever the answers). */
export async function measureAckLatency(args: {
  bridge: Bridge;
  numbers: Number[];
  run: string;
  rate: number;
  seconds: number;
  customers: number;
}): Promise<{ result: ReturnType<typeof summarize> & { rate: number; achieved: number; failed: number }; sent: Sent[]; load: LoadResult }> {
  const perCustomer = Math.ceil((args.rate * args.seconds) / args.customers);
  const { shots, sent } = makeShots({ run: args.run, numbers: args.numbers, customers: args.customers, perCustomer });
  const load = await runLoad({ targets: args.bridge.targets, shots, rate: args.rate, concurrency: 512, retryUntilOk: true });
  return {
    sent: withTimings(sent, load),
    load,
    result: { ...summarize(load.latenciesMs), rate: args.rate, achieved: round(load.rate, 0), failed: load.failed },
  };
}

/** From each webhook's send to the chat.postMessage (or file upload) that carried its token. */
export function postLatencies(slack: SlackEmulator, sent: Sent[], sentAt: number[]): number[] {
  const postedAt = new Map<string, number>();
  for (const call of slack.callsTo('chat.postMessage')) {
    const text = JSON.stringify(call.params);
    for (const m of text.matchAll(/tl-[A-Za-z0-9]+-\d+-\d+/g)) if (!postedAt.has(m[0])) postedAt.set(m[0], call.at.getTime());
  }
  const out: number[] = [];
  sent.forEach((s, i) => {
    const at = postedAt.get(s.token);
    if (at !== undefined && sentAt[i]) out.push(at - (sentAt[i] as number));
  });
  return out;
}

/** Wait until every sent token is in Slack (or the deadline passes); returns when that happened. */
export async function waitForDrain(slack: SlackEmulator, sent: Sent[], timeoutMs: number): Promise<{ drainedAt: number; check: Check }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const check = checkDelivery(slack, sent);
    if (check.lost === 0 || Date.now() > deadline) return { drainedAt: Date.now(), check };
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface OverloadResult {
  messages: number;
  offeredPerSecond: number;
  drainSeconds: number;
  floorSeconds: number;
  ratioToFloor: number;
  posts: number;
  postFloorSeconds: number;
  ratioToPostFloor: number;
  rateLimited: number;
  rateLimitedPerChannelMinute: number;
  check: Check;
}

/**
 * 10× the allowed rate into one channel. The floor is messages ÷ allowed rate (what strict one-post-per-message
 * would need); coalescing consecutive messages of a thread can beat it. The post floor (posts ÷ allowed rate)
 * shows how close the posts we did make ran to Slack's limit.
 */
export async function measureOverload(args: {
  bridge: Bridge;
  slack: SlackEmulator;
  number: Number;
  run: string;
  customers: number;
  seconds: number;
}): Promise<OverloadResult> {
  const offered = 10 * SLACK_POSTS_PER_SECOND;
  const perCustomer = Math.ceil((offered * args.seconds) / args.customers);
  const { shots, sent } = makeShots({ run: args.run, numbers: [args.number], customers: args.customers, perCustomer });
  const channel = args.number.channel;
  const before429 = args.slack.stats.rateLimited[channel] ?? 0;
  const postsBefore = args.slack.messages(channel).length;
  const started = Date.now();
  const load = await runLoad({ targets: args.bridge.targets, shots, rate: offered, concurrency: 64, retryUntilOk: true });
  const { drainedAt, check } = await waitForDrain(args.slack, withTimings(sent, load), 10 * 60_000);
  const drainSeconds = (drainedAt - started) / 1000;
  const posts = args.slack.messages(channel).length - postsBefore;
  const rateLimited = (args.slack.stats.rateLimited[channel] ?? 0) - before429;
  return {
    messages: shots.length,
    offeredPerSecond: offered,
    drainSeconds: round(drainSeconds, 1),
    floorSeconds: shots.length / SLACK_POSTS_PER_SECOND,
    ratioToFloor: round(drainSeconds / (shots.length / SLACK_POSTS_PER_SECOND), 3),
    posts,
    postFloorSeconds: posts / SLACK_POSTS_PER_SECOND,
    ratioToPostFloor: round(drainSeconds / (posts / SLACK_POSTS_PER_SECOND), 3),
    rateLimited,
    rateLimitedPerChannelMinute: round(rateLimited / Math.max(drainSeconds / 60, 1 / 60), 2),
    check,
  };
}
