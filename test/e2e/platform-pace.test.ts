import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { waitFor } from '../helpers/wait';

/**
 * The other end-to-end suites run the app's pacing ten times faster than Slack's (test/helpers/harness.ts) so
 * they do not spend their time waiting on one post per second. This one runs the real pace against an emulated
 * Slack that enforces it (slack.md §1.1: ~1 post/s per channel, short bursts) and proves the app keeps to it on
 * its own: every post lands, none is answered 429.
 */
// Slack allows short bursts of unpublished size; the app's own burst is 2 (src/queue/rate-limiter.ts). The emulated
// Slack here allows one more: a slot is reserved a little before its post is sent, so the latency between the two
// (a database write, rendering) can move two posts closer together on arrival than their slots are.
const SLACK_PER_CHANNEL = { perSecond: 1, burst: 3 };
const CUSTOMERS = 4;

async function burstOfNewConversations(h: Harness): Promise<void> {
  await Promise.all(
    Array.from({ length: CUSTOMERS }, (_, i) =>
      h.graph.customerSends({ from: `4915100000${i}`, name: `Pace ${i}`, message: { type: 'text', text: { body: `hello ${i}` } } }),
    ),
  );
  // A card and a thread post per new conversation, all in one channel.
  await waitFor('every card and its first message', () => h.cards().length === CUSTOMERS && h.cards().every((_, i) => h.threadOf(i).length === 1), 30_000);
}

const postsTo = (h: Harness, channel: string) =>
  h.slack.callsTo('chat.postMessage').filter((c) => c.params.channel === channel && c.status === 200);

describe('the pace the app keeps to Slack', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('at the real pace, a burst of new conversations reaches the channel without a single 429', async () => {
    h = await startHarness({ slackRateLimit: SLACK_PER_CHANNEL, pace: 'platform' });
    await burstOfNewConversations(h);

    expect(h.slack.stats.rateLimited[INBOX] ?? 0).toBe(0);
    const times = postsTo(h, INBOX).map((c) => c.at.getTime());
    expect(times).toHaveLength(2 * CUSTOMERS);
    // One post a second after the burst: the k-th post (0-based) arrives no earlier than (k - 2) s after the first.
    times.forEach((at, k) => expect(at - times[0]!).toBeGreaterThanOrEqual(Math.max(0, k - 2) * 1000));
  });

  it('the same burst paced faster than Slack allows is answered 429 (what the check above would catch)', async () => {
    h = await startHarness({ slackRateLimit: SLACK_PER_CHANNEL, pace: 10 });
    await burstOfNewConversations(h);

    expect(h.slack.stats.rateLimited[INBOX] ?? 0).toBeGreaterThan(0);
  });
});
