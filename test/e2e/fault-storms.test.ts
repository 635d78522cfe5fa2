import type { RecordedCall } from '../../src/emulators/slack-types';
import { type Harness, INBOX, startHarness, waitForCard } from '../helpers/harness';
import { waitFor } from '../helpers/wait';

const OTHER = 'C0OTHER0001';
const SECOND_NUMBER = '100000000000002';

function textsIn(h: Harness, channel: string): string[] {
  return h.slack
    .messages(channel)
    .filter((m) => m.thread_ts && m.thread_ts !== m.ts)
    .map((m) => JSON.stringify(m.blocks ?? m.text));
}

function postsTo(h: Harness, channel: string): RecordedCall[] {
  return h.slack.callsTo('chat.postMessage').filter((c) => c.params.channel === channel);
}

/**
 * Slack and Meta misbehaving (429 storms, 5xx, answers that never come): every customer message still lands in its
 * thread exactly once and in order, Retry-After is honoured for the channel that got it, and the other channels
 * keep moving.
 */
describe('delivery through platform fault storms', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      extraChannels: [OTHER],
      businessNumbers: [{ phoneNumberId: SECOND_NUMBER, displayPhoneNumber: '15550001112' }],
      env: { WHATSAPP_NUMBER_CHANNELS: `${SECOND_NUMBER}=${OTHER}`, SLACK_TIMEOUT_MS: '400', WHATSAPP_TIMEOUT_MS: '400' },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('posts every message once and in order through 429s, 500s and lost answers', async () => {
    await h.graph.customerSends({ from: '15550008001', name: 'Stormy', text: 'storm 0' });
    await waitForCard(h);
    h.slack.injectFault({ method: 'chat.postMessage', kind: 'http_429', retryAfterSec: 1, times: 2 });
    h.slack.injectFault({ method: 'chat.postMessage', kind: 'http_500', times: 2 });
    // Slack took these posts but the answers never came back: the thread is read back before posting again.
    h.slack.injectFault({ method: 'chat.postMessage', kind: 'timeout', afterEffect: true, delayMs: 1_000, times: 2 });
    for (let i = 1; i <= 12; i++) {
      const res = await h.graph.customerSends({ from: '15550008001', name: 'Stormy', text: `storm ${i}` });
      expect(res.status).toBe(200);
    }
    const texts = await waitFor('all twelve in the thread', () => {
      const all = textsIn(h, INBOX).join('\n');
      return /storm 12\b/.test(all) ? all : undefined;
    }, 30_000);
    const order = [...texts.matchAll(/storm (\d+)\b/g)].map((m) => Number(m[1]));
    expect(order).toEqual(Array.from({ length: 13 }, (_, i) => i));
    expect(postsTo(h, INBOX).filter((c) => c.fault === 'http_429')).toHaveLength(2);
  });

  it("waits out a channel's Retry-After while another channel keeps posting", async () => {
    await h.graph.customerSends({ from: '15550008002', name: 'Blocked Bea', text: 'hello from bea' });
    await h.graph.customerSends({ phoneNumberId: SECOND_NUMBER, from: '15550008003', name: 'Free Fred', text: 'hello from fred' });
    await waitFor('both cards', () => textsIn(h, OTHER).length > 0 && textsIn(h, INBOX).some((t) => t.includes('hello from bea')));
    h.slack.injectFault({ method: 'chat.postMessage', kind: 'http_429', retryAfterSec: 3, channel: INBOX });
    await h.graph.customerSends({ from: '15550008002', name: 'Blocked Bea', text: 'bea again' });
    await waitFor('the 429 on the inbox', () => postsTo(h, INBOX).some((c) => c.fault === 'http_429'));
    await h.graph.customerSends({ phoneNumberId: SECOND_NUMBER, from: '15550008003', name: 'Free Fred', text: 'fred again' });
    await waitFor('fred posted', () => textsIn(h, OTHER).some((t) => t.includes('fred again')));
    await waitFor('bea posted after her pause', () => textsIn(h, INBOX).some((t) => t.includes('bea again')), 15_000);

    const limited = postsTo(h, INBOX).find((c) => c.fault === 'http_429')!;
    const beaPost = postsTo(h, INBOX).find((c) => c.status === 200 && JSON.stringify(c.params).includes('bea again'))!;
    const fredPost = postsTo(h, OTHER).find((c) => c.status === 200 && JSON.stringify(c.params).includes('fred again'))!;
    // The other channel did not wait for the inbox's pause…
    expect(fredPost.at.getTime()).toBeLessThan(beaPost.at.getTime());
    // …and the inbox did not post again before Slack's Retry-After (slack.md §1.3).
    expect(beaPost.at.getTime() - limited.at.getTime()).toBeGreaterThanOrEqual(3_000);
  });

  it('sends an agent reply once through Graph throttling and transient errors', async () => {
    await h.graph.customerSends({ from: '15550008004', name: 'Retry Rita', text: 'are you there?' });
    const card = await waitFor('Rita card', () =>
      h.slack.messages(INBOX).find((m) => (!m.thread_ts || m.thread_ts === m.ts) && m.text.includes('Retry Rita')),
    );
    // The card's ts is stored once Slack has answered its post: the thread's first message, posted under it
    // after that, says the app knows the thread (a reply before then would be to a thread it does not know yet).
    await waitFor('Rita in the thread', () => h.slack.thread(INBOX, card.ts).some((m) => m.ts !== card.ts && m.text.includes('are you there?')));
    h.graph.injectFault({ route: 'messages', kind: 'graph_error', code: 130429, httpStatus: 429, title: 'Rate limit hit' });
    h.graph.injectFault({ route: 'messages', kind: 'graph_error', code: 131000, httpStatus: 500, title: 'Something went wrong' });
    await h.slack.userPosts({ user: 'U0ANA', channel: INBOX, threadTs: card.ts, text: 'Yes, here!' });
    await waitFor('the reply accepted by Graph', () => h.graph.sent.some((s) => s.text === 'Yes, here!'), 20_000);
    expect(h.graph.sent.filter((s) => s.text === 'Yes, here!')).toHaveLength(1);
    expect(h.graph.calls.filter((c) => c.route === 'messages' && JSON.stringify(c.json).includes('Yes, here!'))).toHaveLength(3);
  });
});
