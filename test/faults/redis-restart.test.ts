import { type ChildProcess, spawn } from 'node:child_process';
import { runLoad } from '../../bench/load';
import { checkDelivery, makeShots, withTimings } from '../../bench/workload';
import { freePort } from '../helpers/processes';
import { waitFor } from '../helpers/wait';
import { type Rig, startRig } from './rig';

/** A private Redis (no persistence, like the machine's) that the test can kill and start again on its port. */
async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await waitFor('redis to answer', async () => {
    const { Redis } = await import('ioredis');
    const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await r.connect();
      return (await r.ping()) === 'PONG';
    } finally {
      r.disconnect();
    }
  });
  return proc;
}

/**
 * Scale-out (web and worker processes sharing Redis): Redis dies mid-burst, losing every queued signal, and comes
 * back empty. Postgres is the outbox, so the sweeper re-signals the work and nothing is lost or doubled.
 */
describe('Redis restarted mid-run', () => {
  let rig: Rig;
  let redis: ChildProcess;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    rig = await startRig({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await rig.close();
    redis.kill('SIGKILL');
  });

  it('delivers every message exactly once, in order', async () => {
    const web = await rig.start('web', { argv: ['--role', 'web'] });
    await rig.start('worker', { argv: ['--role', 'worker'] });
    const { shots, sent } = makeShots({ run: 'redis', numbers: rig.numbers, customers: 9, perCustomer: 25 });
    const loading = runLoad({ targets: [web.url], shots, rate: 100, concurrency: 32, retryUntilOk: true });
    await new Promise((r) => setTimeout(r, 800));
    redis.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 2_000));
    redis = await startRedis(port);
    const load = await loading;
    expect(load.failed).toBe(0);
    const check = await waitFor('every message in Slack', () => {
      const c = checkDelivery(rig.slack, withTimings(sent, load));
      return c.lost === 0 ? c : undefined;
    }, 120_000);
    expect(check).toMatchObject({ lost: 0, doubled: 0, outOfOrder: 0 });
  });
});
