import { runLoad } from '../../bench/load';
import { checkDelivery, makeShots, withTimings } from '../../bench/workload';
import { waitFor } from '../helpers/wait';
import { type Rig, startRig } from './rig';
import { type TcpProxy, startTcpProxy } from './tcp-proxy';

/**
 * Postgres unreachable for a few seconds: the webhook answers 503 (so Meta retries) instead of a 200 it could not
 * keep, and once Postgres is back every message arrives exactly once.
 */
describe('Postgres unavailable', () => {
  let rig: Rig;
  let proxy: TcpProxy;
  beforeAll(async () => {
    rig = await startRig();
    const target = new URL(rig.databaseUrl);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  });
  afterAll(async () => {
    await rig.close();
    await proxy.close();
  });

  it('answers 503 while it cannot store, and loses nothing once Postgres is back', async () => {
    const viaProxy = new URL(rig.databaseUrl);
    viaProxy.port = String(proxy.port);
    const bridge = await rig.start('bridge', { env: { DATABASE_URL: viaProxy.toString() } });
    const { shots, sent } = makeShots({ run: 'pgdown', numbers: rig.numbers, customers: 6, perCustomer: 30 });
    const loading = runLoad({ targets: [bridge.url], shots, rate: 40, concurrency: 32, retryUntilOk: true });
    await new Promise((r) => setTimeout(r, 1_500));
    proxy.cut();
    await new Promise((r) => setTimeout(r, 3_000));
    proxy.restore();
    const load = await loading;
    expect(load.failed).toBe(0);
    expect(load.statuses['503'] ?? 0).toBeGreaterThan(0);
    const check = await waitFor('every message in Slack', () => {
      const c = checkDelivery(rig.slack, withTimings(sent, load));
      return c.lost === 0 ? c : undefined;
    }, 90_000);
    expect(check).toMatchObject({ lost: 0, doubled: 0, outOfOrder: 0 });
  });
});
