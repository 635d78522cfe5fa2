import { randomBytes } from 'node:crypto';
import { createLogger } from '../../../src/logger';
import { BullMqWorkQueue } from '../../../src/queue/bullmq-work-queue';
import { connectForQueue } from '../../../src/queue/redis-connection';
import { INBOX_WORK, MemoryWorkQueue, type WorkQueue } from '../../../src/queue/work-queue';
import { TEST_REDIS_URL } from '../../helpers/env';
import { waitFor } from '../../helpers/wait';

/**
 * The "conversation has work" contract (DESIGN §4), for the in-process queue and — when REDIS_URL is set — the
 * BullMQ one every scale-out process shares: signals run, a conversation never runs beside itself, and a signal
 * during a run gets exactly one more run after it.
 */
type Kind = 'memory' | 'bullmq';
const KINDS: Kind[] = TEST_REDIS_URL ? ['memory', 'bullmq'] : ['memory'];
const logger = createLogger({ level: 'silent' });

function makeQueue(kind: Kind, prefix: string): WorkQueue {
  if (kind === 'memory') return new MemoryWorkQueue(4, () => undefined);
  const url = TEST_REDIS_URL as string;
  return new BullMqWorkQueue(connectForQueue(url), () => connectForQueue(url), 4, logger, prefix);
}

describe.each(KINDS)('work queue (%s)', (kind) => {
  const open: WorkQueue[] = [];
  const queue = (prefix = `tl-test-${randomBytes(4).toString('hex')}`) => {
    const q = makeQueue(kind, prefix);
    open.push(q);
    return q;
  };
  afterEach(async () => {
    for (const q of open.splice(0)) {
      await q.stop(2_000);
      await q.close();
    }
  });

  it('runs a signalled conversation', async () => {
    const q = queue();
    const ran: number[] = [];
    q.start(async (id) => {
      ran.push(id);
    });
    await q.signal(7);
    await waitFor('the run', () => ran.includes(7));
  });

  it('signals during a run give exactly one more run after it, never one beside it', async () => {
    const q = queue();
    let running = 0;
    let overlapped = false;
    let runs = 0;
    let release: () => void = () => undefined;
    const firstRunHeld = new Promise<void>((resolve) => (release = resolve));
    q.start(async () => {
      running += 1;
      if (running > 1) overlapped = true;
      runs += 1;
      if (runs === 1) await firstRunHeld;
      running -= 1;
    });
    await q.signal(3);
    await waitFor('the first run', () => runs === 1);
    for (let i = 0; i < 20; i++) await q.signal(3);
    await new Promise((r) => setTimeout(r, 200));
    release();
    await waitFor('the run after', () => runs === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(runs).toBe(2);
    expect(overlapped).toBe(false);
  });

  it('a delayed signal runs after its delay, not before', async () => {
    const q = queue();
    const started = Date.now();
    let ranAfter = -1;
    q.start(async () => {
      ranAfter = Date.now() - started;
    });
    await q.signal(11, 300);
    await waitFor('the delayed run', () => ranAfter >= 0);
    expect(ranAfter).toBeGreaterThanOrEqual(250);
  });

  it('a run started by a delayed signal that asks again after a short wait runs again (its signal is not lost)', async () => {
    const q = queue();
    let runs = 0;
    q.start(async (id) => {
      runs += 1;
      // A rate-limit wait of a few milliseconds: due within the same second as the job that is running now.
      if (runs < 3) await q.signal(id, 5);
    });
    await q.signal(12, 5);
    await waitFor('three runs', () => runs >= 3, 5_000);
  });

  it('the inbox run goes before conversations that were waiting longer (a burst must not hold ingestion back)', async () => {
    const q = queue();
    const started: number[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    q.start(async (id) => {
      started.push(id);
      if (id < 10) await held;
    });
    // Every slot (4) busy, then a queue of conversations, then the inbox.
    for (let id = 1; id <= 4; id++) await q.signal(id);
    await waitFor('every slot busy', () => started.length === 4);
    for (let id = 20; id < 40; id++) await q.signal(id);
    await new Promise((r) => setTimeout(r, 100));
    await q.signal(INBOX_WORK);
    await new Promise((r) => setTimeout(r, 100));
    release();
    await waitFor('every run', () => started.length === 25, 5_000);
    const later = started.slice(4);
    expect(later.indexOf(INBOX_WORK)).toBe(0);
  });

  it('two processes sharing one queue split the work; each signal runs once', async () => {
    const prefix = `tl-test-${randomBytes(4).toString('hex')}`;
    const a = queue(prefix);
    const b = kind === 'memory' ? a : queue(prefix);
    const ran: number[] = [];
    const record = async (id: number) => {
      ran.push(id);
    };
    a.start(record);
    if (b !== a) b.start(record);
    for (let id = 100; id < 140; id++) await (id % 2 ? a : b).signal(id);
    await waitFor('every run', () => new Set(ran).size === 40);
    await new Promise((r) => setTimeout(r, 200));
    expect([...ran].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
  });
});

if (TEST_REDIS_URL) {
  describe('BullMQ signals are coalesced per conversation', () => {
    it('a burst of signals costs a few Redis adds, and the last one still runs after the burst', async () => {
      const url = TEST_REDIS_URL as string;
      const q = new BullMqWorkQueue(connectForQueue(url), () => connectForQueue(url), 2, logger, `tl-test-${randomBytes(4).toString('hex')}`);
      try {
        let runs = 0;
        let lastRunStartedAt = 0;
        q.start(async () => {
          runs += 1;
          lastRunStartedAt = Date.now();
        });
        for (let i = 0; i < 500; i++) void q.signal(0);
        const burstEndedAt = Date.now();
        await waitFor('a run after the burst', () => lastRunStartedAt >= burstEndedAt);
        expect(q.addsSent()).toBeLessThanOrEqual(3);
        expect(runs).toBeGreaterThanOrEqual(1);
      } finally {
        await q.stop(2_000);
        await q.close();
      }
    });
  });
}
