import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { waitFor } from '../helpers/wait';

/**
 * The other end-to-end suites run the app's pacing ten times faster than Slack's (test/helpers/harness.ts) so
 * they do not spend their time waiting on one post per second. This one runs the real pace against an emulated
 * Slack that enforces it (slack.md §1.1: ~1 post/s per channel, short bursts) and proves the app keeps to it on
 * its own.
 */
const SLACK_PER_CHANNEL = { perSecond: 1, burst: 2 };
const CUSTOMERS = 4;

describe('the pace the app keeps to Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ slackRateLimit: SLACK_PER_CHANNEL, pace: 'platform' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('a burst of new conversations reaches the channel one post a second after the burst', async () => {
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CUSTOMERS }, (_, i) =>
        h.graph.customerSends({ from: `4915100000${i}`, name: `Pace ${i}`, message: { type: 'text', text: { body: `hello ${i}` } } }),
      ),
    );
    // A card and a thread post per new conversation, all in one channel.
    await waitFor('every card and its first message', () => h.cards().length === CUSTOMERS && h.cards().every((_, i) => h.threadOf(i).length === 1), 30_000);

    const times = h.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.params.channel === INBOX && c.status === 200)
      .map((c) => c.at.getTime());
    expect(times).toHaveLength(2 * CUSTOMERS);
    // Slots are reserved no earlier than the burst began and a post goes no earlier than its slot, so whatever the
    // machine's load, the k-th post (0-based) arrives no earlier than (k - 1) s after the start (burst 2). The
    // test pace would post all eight within a fraction of a second. (A post delayed after its slot can arrive
    // closer to the next one than Slack's bucket allows; its 429 is retried after Retry-After, and it still lands.)
    times.forEach((at, k) => expect(at - started).toBeGreaterThanOrEqual(Math.max(0, k - 1) * 1000));
  });
});
