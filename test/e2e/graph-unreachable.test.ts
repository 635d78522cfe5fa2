import { createServer } from 'node:net';
import { listMessagesBySlackTs } from '../../db/queries/messages';
import { ManualClock } from '../../src/clock';
import { sweepOnce } from '../../src/queue/sweeper';
import { explainLocalFailure } from '../../src/whatsapp/local-failures';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { type OpenConversation, agentReplies, openConversation, renderedText, threadOf, waitForAudit } from '../helpers/threads';
import { waitFor } from '../helpers/wait';

/** The app gives up on a Graph call after this long (harness option); the emulator holds the answer longer. */
const GRAPH_TIMEOUT_MS = 300;
const TOKEN_EXPIRED = /token.*(expired|invalid)|renew WHATSAPP_ACCESS_TOKEN/;

/** A loopback port nothing listens on: connecting to it is refused, as when Graph cannot be reached. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function claimed(h: Harness, waId: string, name: string): Promise<OpenConversation> {
  const c = await openConversation(h, { waId, name });
  await h.slack.clickButton({ user: 'U0ANA', actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
  await waitForAudit(h, c, 'claimed');
  return c;
}

/**
 * Let every retry run: the clock jumps past each backoff and the sweeper picks the reply up again, until threadline
 * gives up and says so in the thread.
 */
async function untilNotDelivered(h: Harness, clock: ManualClock, c: OpenConversation, replyTs: string) {
  return waitFor(
    'the not-delivered notice after the retries ran out',
    async () => {
      const rows = await listMessagesBySlackTs(h.app.deps.db, c.conversationId, replyTs);
      const waiting = rows.find((r) => r.waState === 'queued' && r.notBefore && r.notBefore > clock.now());
      if (waiting?.notBefore) {
        clock.set(new Date(waiting.notBefore.getTime() + 1));
        await sweepOnce(h.app.deps);
      }
      return threadOf(h, c).find((m) => m.text.includes('Not delivered'));
    },
    60_000,
  );
}

describe('Graph cannot be reached', () => {
  const clock = new ManualClock(new Date());
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clock, env: { WHATSAPP_API_URL: `http://127.0.0.1:${await closedPort()}` } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('after the retries the thread says WhatsApp’s servers were unreachable, not that the token expired', async () => {
    const c = await claimed(h, '15550020001', 'Nadia');
    const reply = await agentReplies(h, c, 'U0ANA', 'Your order ships today');

    const notice = await untilNotDelivered(h, clock, c, reply.ts);

    const text = renderedText(notice);
    expect(text).toContain('could not reach WhatsApp’s servers');
    expect(text).toContain('threadline: WhatsApp’s servers unreachable, not a WhatsApp error');
    expect(text).not.toMatch(TOKEN_EXPIRED);
    expect(text).not.toContain('WhatsApp error 0');
    expect((await waitForAudit(h, c, 'failed')).detail).toMatchObject({ code: -1 });
  }, 90_000);
});

describe('Graph does not answer in time', () => {
  const clock = new ManualClock(new Date());
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clock, graphTimeoutMs: GRAPH_TIMEOUT_MS });
  });
  afterAll(async () => {
    await h.close();
  });

  it('an attachment whose upload keeps timing out is reported as no answer in time, not as an expired token', async () => {
    const c = await claimed(h, '15550020002', 'Omar');
    h.graph.injectFault({ route: 'media_upload', kind: 'timeout', delayMs: GRAPH_TIMEOUT_MS * 3, times: Infinity });
    const reply = await agentReplies(h, c, 'U0ANA', 'Here is the invoice', [{ name: 'invoice.pdf', data: '%PDF-1.4 invoice', mimetype: 'application/pdf' }]);

    const notice = await untilNotDelivered(h, clock, c, reply.ts);

    const text = renderedText(notice);
    expect(notice.text).toContain(explainLocalFailure('graph_timeout'));
    expect(text).toContain('threadline: no answer from WhatsApp in time, not a WhatsApp error');
    expect(text).not.toMatch(TOKEN_EXPIRED);
    expect(h.graph.calls.filter((call) => call.route === 'messages' && JSON.stringify(call.json ?? {}).includes('document'))).toEqual([]);
  }, 90_000);
});
