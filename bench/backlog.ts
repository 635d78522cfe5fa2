import type { SlackEmulator } from '../src/emulators/slack-emulator';
import type { Bridge } from './bridge';
import { runLoad } from './load';
import { waitForDrain } from './scenarios';
import { round, summarize } from './stats';
import { type Check, type Number, type Sent, makeShots, withTimings } from './workload';

/** One scrape of every process's /metrics: counters summed over processes and labels. */
async function scrape(bridge: Bridge): Promise<{ statements: number; inbound: number; pending: number }> {
  let statements = 0;
  let inbound = 0;
  let pending = 0;
  for (const child of bridge.children) {
    const text = await (await fetch(`${child.url}/metrics`)).text();
    for (const line of text.split('\n')) {
      const m = /^([a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
      if (!m) continue;
      const value = Number(m[2]);
      if (m[1] === 'threadline_db_statements_total') statements += value;
      if (m[1] === 'threadline_inbound_messages_total') inbound += value;
      // One database: every process reports the same backlog.
      if (m[1] === 'threadline_inbox_pending_rows') pending = Math.max(pending, value);
    }
  }
  return { statements, inbound, pending };
}

/** Poll until the inbox is empty and `expected` more messages were ingested than at `from`; returns when. */
async function waitForIngest(bridge: Bridge, from: number, expected: number, timeoutMs: number): Promise<{ at: number; statements: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await scrape(bridge);
    if ((now.pending === 0 && now.inbound - from >= expected) || Date.now() > deadline) return { at: Date.now(), statements: now.statements };
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface BurstResult {
  messages: number;
  ackSeconds: number;
  ackRate: number;
  ingestSeconds: number;
  processingRate: number;
  /** Time until every message was ingested ÷ time until every one was acknowledged (target ≤ 1.2). */
  ingestToAckRatio: number;
  statementsPerMessageIngested: number;
  drainSeconds: number;
  statementsPerMessageDelivered: number;
  posts: number;
  check: Check;
}

/**
 * A burst as fast as the endpoint takes it (a campaign's replies, Meta's redelivery after an outage): how long the
 * acks took, how long until the inbox processor had turned every one into conversations and outbox rows, and how
 * many database statements each message cost, to ingest and to deliver into Slack.
 */
export async function measureBurst(args: {
  bridge: Bridge;
  slack: SlackEmulator;
  numbers: Number[];
  run: string;
  customers: number;
  perCustomer: number;
}): Promise<{ result: BurstResult; sent: Sent[] }> {
  const { shots, sent } = makeShots({ run: args.run, numbers: args.numbers, customers: args.customers, perCustomer: args.perCustomer });
  const channels = new Set(args.numbers.map((n) => n.channel));
  const postsBefore = [...channels].reduce((n, c) => n + args.slack.messages(c).length, 0);
  const before = await scrape(args.bridge);
  const started = Date.now();
  const load = await runLoad({ targets: args.bridge.targets, shots, rate: 0, concurrency: 64, retryUntilOk: true });
  const ackSeconds = (Date.now() - started) / 1000;
  const ingested = await waitForIngest(args.bridge, before.inbound, shots.length, 10 * 60_000);
  const ingestSeconds = (ingested.at - started) / 1000;
  const timed = withTimings(sent, load);
  const { drainedAt, check } = await waitForDrain(args.slack, timed, 20 * 60_000);
  const delivered = await scrape(args.bridge);
  const posts = [...channels].reduce((n, c) => n + args.slack.messages(c).length, 0) - postsBefore;
  return {
    sent: timed,
    result: {
      messages: shots.length,
      ackSeconds: round(ackSeconds, 2),
      ackRate: round(shots.length / ackSeconds, 0),
      ingestSeconds: round(ingestSeconds, 2),
      processingRate: round(shots.length / ingestSeconds, 0),
      ingestToAckRatio: round(ingestSeconds / ackSeconds, 2),
      statementsPerMessageIngested: round((ingested.statements - before.statements) / shots.length, 2),
      drainSeconds: round((drainedAt - started) / 1000, 1),
      statementsPerMessageDelivered: round((delivered.statements - before.statements) / shots.length, 2),
      posts,
      check,
    },
  };
}

export interface SustainedResult {
  rate: number;
  seconds: number;
  achievedAckRate: number;
  /** Rows still waiting in the inbox when the load stopped (a growing backlog shows here). */
  backlogAtEnd: number;
  /** Messages processed per second from the start until the inbox was empty, ÷ the ack rate (target ≥ 1.0). */
  processingVsAck: number;
  p50: number;
  p99: number;
}

/**
 * A steady offered load (open loop): does the inbox processor keep up with what the endpoint acknowledges, or does
 * a backlog build? The ack latency at that load comes with it.
 */
export async function measureSustained(args: {
  bridge: Bridge;
  numbers: Number[];
  run: string;
  rate: number;
  seconds: number;
  customers: number;
}): Promise<{ result: SustainedResult; sent: Sent[] }> {
  const perCustomer = Math.ceil((args.rate * args.seconds) / args.customers);
  const { shots, sent } = makeShots({ run: args.run, numbers: args.numbers, customers: args.customers, perCustomer });
  const before = await scrape(args.bridge);
  const started = Date.now();
  const load = await runLoad({ targets: args.bridge.targets, shots, rate: args.rate, concurrency: 512, retryUntilOk: true });
  const ackSeconds = (Date.now() - started) / 1000;
  const atEnd = await scrape(args.bridge);
  const ingested = await waitForIngest(args.bridge, before.inbound, shots.length, 10 * 60_000);
  const ingestSeconds = (ingested.at - started) / 1000;
  const latency = summarize(load.latenciesMs);
  return {
    sent: withTimings(sent, load),
    result: {
      rate: args.rate,
      seconds: args.seconds,
      achievedAckRate: round(shots.length / ackSeconds, 0),
      backlogAtEnd: atEnd.pending,
      processingVsAck: round(ackSeconds / ingestSeconds, 2),
      p50: latency.p50,
      p99: latency.p99,
    },
  };
}
