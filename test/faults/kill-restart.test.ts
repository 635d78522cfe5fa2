import { runLoad } from '../../bench/load';
import { checkDelivery, makeShots, withTimings } from '../../bench/workload';
import { waitFor } from '../helpers/wait';
import { type Rig, kill, startRig } from './rig';

/**
 * The bridge killed without warning (SIGKILL) in the middle of work, then started again: what Meta was told is
 * stored stays stored, nothing is posted twice, order holds, and a send that may have happened is never repeated.
 */
describe('SIGKILL during a burst, then restart', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
    await rig.start('bridge');
  });
  afterAll(async () => {
    await rig.close();
  });

  it('loses nothing, doubles nothing and keeps order', async () => {
    let bridge = rig.child('bridge')!;
    const { shots, sent } = makeShots({ run: 'kill', numbers: rig.numbers, customers: 12, perCustomer: 25 });
    // Meta retries anything but a 200 (reference/whatsapp.md §1.3); the load generator does the same.
    const loading = runLoad({ targets: [bridge.url], shots, rate: 150, concurrency: 64, retryUntilOk: true });
    await new Promise((r) => setTimeout(r, 800));
    await kill(bridge);
    await new Promise((r) => setTimeout(r, 300));
    bridge = await rig.start('bridge');
    const load = await loading;
    expect(load.failed).toBe(0);
    expect(load.statuses['0'] ?? 0).toBeGreaterThan(0); // some deliveries really did hit the dead process
    const timed = withTimings(sent, load);
    const check = await waitFor('every message in Slack', () => {
      const c = checkDelivery(rig.slack, timed);
      return c.lost === 0 ? c : undefined;
    }, 90_000);
    expect(check).toMatchObject({ lost: 0, doubled: 0, outOfOrder: 0 });
  });

  it('posts a message once when the process dies after Slack took the post but before it heard back', async () => {
    const number = rig.numbers[0]!;
    const { shots, sent } = makeShots({ run: 'once', numbers: [number], customers: 1, perCustomer: 1 });
    await runLoad({ targets: [rig.url('bridge')], shots, rate: 0, concurrency: 1, retryUntilOk: true });
    await waitFor('the card', () => rig.slack.messages(number.channel).some((m) => JSON.stringify(m.blocks).includes('Customer 0')));
    // The next post lands in Slack, but its answer never comes back: the process dies waiting for it.
    rig.slack.injectFault({ method: 'chat.postMessage', kind: 'timeout', afterEffect: true, delayMs: 20_000 });
    const more = makeShots({ run: 'oncx', numbers: [number], customers: 1, perCustomer: 1 });
    await runLoad({ targets: [rig.url('bridge')], shots: more.shots, rate: 0, concurrency: 1, retryUntilOk: true });
    await waitFor('the post to reach Slack', () => checkDelivery(rig.slack, more.sent).lost === 0);
    await kill(rig.child('bridge')!);
    rig.slack.clearFaults();
    await rig.start('bridge');
    // After the restart the uncertain post is looked for in the thread, found, and not posted again.
    const later = makeShots({ run: 'oncy', numbers: [number], customers: 1, perCustomer: 1 });
    await runLoad({ targets: [rig.url('bridge')], shots: later.shots, rate: 0, concurrency: 1, retryUntilOk: true });
    await waitFor('the next message', () => checkDelivery(rig.slack, later.sent).lost === 0, 30_000).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${rig.child('bridge')?.output() ?? ''}`);
    });
    expect(checkDelivery(rig.slack, [...sent, ...more.sent, ...later.sent])).toMatchObject({ lost: 0, doubled: 0 });
  });

  it('never repeats a WhatsApp send the process may have made before dying', async () => {
    const number = rig.numbers[1]!;
    const { shots } = makeShots({ run: 'wasend', numbers: [number], customers: 1, perCustomer: 1 });
    await runLoad({ targets: [rig.url('bridge')], shots, rate: 0, concurrency: 1, retryUntilOk: true });
    const card = await waitFor('the card', () =>
      rig.slack.messages(number.channel).find((m) => (!m.thread_ts || m.thread_ts === m.ts) && JSON.stringify(m.blocks).includes('Customer 0')),
    );
    // Graph accepts the send but its answer hangs; the process is killed while waiting.
    rig.graph.injectFault({ route: 'messages', kind: 'timeout', afterEffect: true, delayMs: 20_000 });
    await rig.slack.userPosts({ user: 'U0ANA', channel: number.channel, threadTs: card.ts, text: 'Your order ships today' });
    const sendsOfReply = () =>
      rig.graph.calls.filter((c) => c.route === 'messages' && (c.json as { text?: { body?: string } } | undefined)?.text?.body === 'Your order ships today');
    await waitFor('Graph to get the send', () => sendsOfReply().length > 0);
    await kill(rig.child('bridge')!);
    rig.graph.clearFaults();
    await rig.start('bridge');
    await waitFor('the uncertain notice', () =>
      rig.slack.thread(number.channel, card.ts).some((m) => /Delivery uncertain/i.test(JSON.stringify(m.blocks ?? m.text))),
    30_000);
    expect(sendsOfReply()).toHaveLength(1);
  });

  it('stops within its bound on SIGTERM mid-burst, and the restart finishes the work', async () => {
    let bridge = rig.child('bridge')!;
    const { shots, sent } = makeShots({ run: 'term', numbers: rig.numbers, customers: 6, perCustomer: 20 });
    const loading = runLoad({ targets: [bridge.url], shots, rate: 120, concurrency: 32, retryUntilOk: true });
    await new Promise((r) => setTimeout(r, 500));
    const stoppedAt = Date.now();
    await bridge.stop('SIGTERM');
    // src/index.ts bounds a graceful stop at 15 s (+5 s before it forces the exit).
    expect(Date.now() - stoppedAt).toBeLessThan(20_000);
    expect(bridge.proc.exitCode).toBe(0);
    bridge = await rig.start('bridge');
    const load = await loading;
    const check = await waitFor('every message in Slack', () => {
      const c = checkDelivery(rig.slack, withTimings(sent, load));
      return c.lost === 0 ? c : undefined;
    }, 90_000);
    expect(check).toMatchObject({ lost: 0, doubled: 0, outOfOrder: 0 });
  });
});
