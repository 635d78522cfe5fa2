import type { StatusName } from '../../src/emulators/whatsapp-webhooks';
import { DEFAULT_BUSINESS_NUMBER, buildStatusWebhook, postWebhook, statusObject } from '../../src/emulators/whatsapp-webhooks';
import { escapeMrkdwn } from '../../blocks/primitives';
import { explainGraphError } from '../../src/whatsapp/error-codes';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import {
  type OpenConversation,
  agentReplies,
  auditOf,
  openConversation,
  renderedText,
  sendsTo,
  settle,
  threadOf,
  waitForAudit,
} from '../helpers/threads';
import { waitFor } from '../helpers/wait';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
const SENT = 'heavy_check_mark';
const DELIVERED = 'ballot_box_with_check';
const READ = 'eyes';

/** A claimed conversation with one reply accepted by Graph: the Slack ts of the reply and its wamid. */
async function replySent(h: Harness, waId: string, name: string, text = 'On its way'): Promise<{ c: OpenConversation; ts: string; wamid: string }> {
  const c = await openConversation(h, { waId, name });
  await h.slack.clickButton({ user: 'U0ANA', actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
  await waitForAudit(h, c, 'claimed');
  const reply = await agentReplies(h, c, 'U0ANA', text);
  const send = await waitFor('the send', () => sendsTo(h, c)[0]);
  await waitFor('the send recorded', async () => (await auditOf(h, c)).some((e) => e.type === 'sent'));
  return { c, ts: reply.ts, wamid: send.wamid };
}

function reactionsOn(h: Harness, ts: string): string[] {
  return (h.slack.message(INBOX, ts)?.reactions ?? []).map((r) => r.name);
}

function reactionCallsOn(h: Harness, ts: string): string[] {
  return h.slack.callsTo('reactions.add').filter((call) => call.params.timestamp === ts).map((call) => String(call.params.name));
}

function waitForReaction(h: Harness, ts: string, name: string): Promise<unknown> {
  return waitFor(`:${name}: on the reply`, () => reactionsOn(h, ts).includes(name));
}

/** Several statuses of one message in one webhook POST, as Meta batches them. */
async function postStatusesTogether(h: Harness, wamid: string, statuses: StatusName[]): Promise<void> {
  const payload = buildStatusWebhook({
    ...DEFAULT_BUSINESS_NUMBER,
    statuses: statuses.map((status) => statusObject({ wamid, status, timestamp: new Date() })),
  });
  const posted = await postWebhook(h.graph.webhookUrl ?? '', payload, h.graph.appSecret);
  expect(posted.status).toBe(200);
}

describe('delivery status on the agent’s Slack message', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('sent, delivered and read each add their reaction, and none is ever removed', async () => {
    const { ts, wamid } = await replySent(h, '15550009001', 'Sofia');

    await h.graph.sendStatus({ wamid, status: 'sent' });
    await waitForReaction(h, ts, SENT);
    await h.graph.sendStatus({ wamid, status: 'delivered' });
    await waitForReaction(h, ts, DELIVERED);
    await h.graph.sendStatus({ wamid, status: 'read' });
    await waitForReaction(h, ts, READ);

    expect(reactionsOn(h, ts)).toEqual([SENT, DELIVERED, READ]);
    expect(h.slack.callsTo('reactions.remove')).toEqual([]);
  });

  it('statuses that arrive together are shown with fewer reactions.add calls than statuses', async () => {
    const { ts, wamid } = await replySent(h, '15550009002', 'Gita');

    await postStatusesTogether(h, wamid, ['sent', 'delivered', 'read']);

    await waitForReaction(h, ts, READ);
    await settle(h);
    expect(reactionCallsOn(h, ts).length).toBeLessThan(3);
    expect(h.slack.callsTo('reactions.remove')).toEqual([]);
  });

  it('a delivered that arrives after read is ignored', async () => {
    const { ts, wamid } = await replySent(h, '15550009003', 'Olga');

    await h.graph.sendStatus({ wamid, status: 'read' });
    await waitForReaction(h, ts, READ);
    await h.graph.sendStatus({ wamid, status: 'delivered' });
    await settle(h);

    expect(reactionsOn(h, ts)).toEqual([READ]);
    expect(reactionCallsOn(h, ts)).toEqual([READ]);
  });

  it('a reply sent as several messages shows each status once, when every part has reached it', async () => {
    const c = await openConversation(h, { waId: '15550009005', name: 'Pia' });
    await h.slack.clickButton({ user: 'U0ANA', actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
    await waitForAudit(h, c, 'claimed');
    const reply = await agentReplies(h, c, 'U0ANA', 'See the photo', [{ name: 'p.png', data: PNG, mimetype: 'image/png' }]);
    const [text, image] = await waitFor('both parts sent', () => (sendsTo(h, c).length >= 2 ? sendsTo(h, c) : undefined));

    await h.graph.sendStatus({ wamid: text?.wamid ?? '', status: 'sent' });
    await h.graph.sendStatus({ wamid: text?.wamid ?? '', status: 'delivered' });
    await settle(h);
    expect(reactionsOn(h, reply.ts)).toEqual([]);
    await h.graph.sendStatus({ wamid: image?.wamid ?? '', status: 'sent' });
    await waitForReaction(h, reply.ts, SENT);
    await settle(h);
    expect(reactionsOn(h, reply.ts)).toEqual([SENT]);
    await h.graph.sendStatus({ wamid: image?.wamid ?? '', status: 'delivered' });
    await waitForReaction(h, reply.ts, DELIVERED);
    await h.graph.sendStatus({ wamid: image?.wamid ?? '', status: 'read' });
    await h.graph.sendStatus({ wamid: text?.wamid ?? '', status: 'read' });
    await waitForReaction(h, reply.ts, READ);
    await settle(h);

    expect(reactionCallsOn(h, reply.ts)).toEqual([SENT, DELIVERED, READ]);
  });

  it('a redelivered status changes nothing', async () => {
    const { ts, wamid } = await replySent(h, '15550009004', 'Rhea');

    await h.graph.sendStatus({ wamid, status: 'delivered' });
    await waitForReaction(h, ts, DELIVERED);
    await h.graph.sendStatus({ wamid, status: 'delivered' });
    await settle(h);

    expect(reactionCallsOn(h, ts)).toEqual([DELIVERED]);
  });

  it.each([131047, 131026, 131053, 131056])('a failed status with %i shows ❌ and explains it in the thread in plain words', async (code) => {
    const { c, ts, wamid } = await replySent(h, `155500091${code % 100}`, `Fay ${code}`, `Reply that fails with ${code}`);

    await h.graph.sendStatus({ wamid, status: 'sent' });
    await waitForReaction(h, ts, SENT);
    await h.graph.sendStatus({ wamid, status: 'failed', errors: [{ code, title: `Error ${code}`, details: `Details of ${code}` }] });

    await waitForReaction(h, ts, 'x');
    const notice = await waitFor('the failure notice', () => threadOf(h, c).find((m) => m.text.includes('Not delivered')));
    const explanation = explainGraphError({ code, title: `Error ${code}`, details: `Details of ${code}` });
    expect(notice.text).toContain(escapeMrkdwn(explanation));
    expect(renderedText(notice)).toContain(`WhatsApp error ${code}`);
    expect(notice.text).toContain('<@U0ANA>');
    const failed = await waitForAudit(h, c, 'failed');
    expect(failed.detail).toMatchObject({ code });
  });
});

describe('statuses posted by Graph right after each send', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ autoStatuses: ['sent', 'delivered', 'read'], graphTimeoutMs: 400 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('end with :eyes: on the reply, whether they beat the send’s answer or not, with one reaction per status at most', async () => {
    const c = await openConversation(h, { waId: '15550009101', name: 'Anja' });
    const replies = [];
    for (const text of ['First', 'Second', 'Third']) replies.push(await agentReplies(h, c, 'U0ANA', text));

    for (const reply of replies) await waitForReaction(h, reply.ts, READ);
    await settle(h);
    for (const reply of replies) {
      const calls = reactionCallsOn(h, reply.ts);
      expect(calls.length).toBeLessThanOrEqual(3);
      expect(new Set(calls).size).toBe(calls.length);
    }
    expect(h.slack.callsTo('reactions.remove')).toEqual([]);
  });

  it('a send whose answer is lost but whose statuses arrive is not reported uncertain', async () => {
    const c = await openConversation(h, { waId: '15550009102', name: 'Bela' });
    h.graph.injectFault({ route: 'messages', kind: 'timeout', afterEffect: true, delayMs: 1_200 });

    const reply = await agentReplies(h, c, 'U0ANA', 'Slow but delivered');

    await waitForReaction(h, reply.ts, READ);
    await h.graph.settle();
    await settle(h);
    expect(threadOf(h, c).filter((m) => m.text.includes('Delivery uncertain'))).toEqual([]);
    expect(reactionsOn(h, reply.ts)).not.toContain('warning');
    expect(sendsTo(h, c)).toHaveLength(1);
  });
});
