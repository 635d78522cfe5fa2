import { findMessageById } from '../../db/queries/messages';
import { parseCallbackData } from '../../src/services/statuses';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import {
  type OpenConversation,
  actionIdsOf,
  agentReplies,
  auditOf,
  openConversation,
  renderedText,
  sendsTo,
  settle,
  threadOf,
  waitForAudit,
  waitForEphemeral,
} from '../helpers/threads';
import { waitFor } from '../helpers/wait';

const RESEND = 'message_resend';
/** The app gives up on a Graph call after this long (harness option); the emulator holds the answer longer. */
const GRAPH_TIMEOUT_MS = 400;

async function claimedConversation(h: Harness, waId: string, name: string): Promise<OpenConversation> {
  const c = await openConversation(h, { waId, name });
  await h.slack.clickButton({ user: 'U0ANA', actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
  await waitForAudit(h, c, 'claimed');
  return c;
}

function messagesCalls(h: Harness): number {
  return h.graph.calls.filter((call) => call.route === 'messages').length;
}

function waitForNotice(h: Harness, c: OpenConversation, contains: string) {
  return waitFor(`a thread notice saying "${contains}"`, () => threadOf(h, c).find((m) => m.text.includes(contains)));
}

describe('Graph refuses or throttles a send', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('131047 at send time (the window closed on Meta’s side) fails the reply and explains why in the thread', async () => {
    const c = await claimedConversation(h, '15550010001', 'Vera');
    h.graph.closeWindow(c.waId);

    const reply = await agentReplies(h, c, 'U0ANA', 'Are you there?');

    const notice = await waitForNotice(h, c, 'Not delivered');
    expect(notice.text).toContain('24-hour window is closed');
    await waitFor('❌ on the reply', () => h.slack.message(INBOX, reply.ts)?.reactions?.some((r) => r.name === 'x'));
    expect((await waitForAudit(h, c, 'failed')).detail).toMatchObject({ code: 131047 });
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
  });

  it.each([130429, 131056])('throttled with %i, the reply is retried later and sent exactly once', async (code) => {
    const c = await claimedConversation(h, `1555001${code % 10000}`, `Theo ${code}`);
    const callsBefore = messagesCalls(h);
    h.graph.injectFault({ route: 'messages', kind: 'graph_error', code, httpStatus: 400, times: 1 });

    await agentReplies(h, c, 'U0ANA', `Throttled by ${code}`);

    await waitFor('the send after the pause', () => sendsTo(h, c)[0]);
    await settle(h);
    expect(sendsTo(h, c).map((s) => s.text)).toEqual([`Throttled by ${code}`]);
    expect(messagesCalls(h) - callsBefore).toBe(2);
    expect((await auditOf(h, c)).map((e) => e.type)).not.toContain('failed');
  });

  it('a throttled reply keeps its place: the reply written after it is not sent before it', async () => {
    const c = await claimedConversation(h, '15550010004', 'Ola');
    h.graph.injectFault({ route: 'messages', kind: 'graph_error', code: 130429, httpStatus: 400, times: 1 });

    await agentReplies(h, c, 'U0ANA', 'First');
    await agentReplies(h, c, 'U0ANA', 'Second');

    await waitFor('both sends', () => sendsTo(h, c)[1]);
    expect(sendsTo(h, c).map((s) => s.text)).toEqual(['First', 'Second']);
  });

  it('131026 (undeliverable) is permanent: not retried, and explained in the thread', async () => {
    const c = await claimedConversation(h, '15550010003', 'Uma');
    const callsBefore = messagesCalls(h);
    h.graph.injectFault({ route: 'messages', kind: 'graph_error', code: 131026, httpStatus: 400, times: 1 });

    await agentReplies(h, c, 'U0ANA', 'Hello?');

    const notice = await waitForNotice(h, c, 'Not delivered');
    expect(notice.text).toContain('WhatsApp could not deliver this message');
    await settle(h);
    expect(messagesCalls(h) - callsBefore).toBe(1);
    expect(sendsTo(h, c)).toEqual([]);
    expect((await waitForAudit(h, c, 'failed')).detail).toMatchObject({ code: 131026 });
  });
});

describe('a send whose answer never comes (timeout after Graph accepted it)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ graphTimeoutMs: GRAPH_TIMEOUT_MS });
  });
  afterAll(async () => {
    await h.close();
  });

  async function uncertainReply(waId: string, name: string, text: string) {
    const c = await claimedConversation(h, waId, name);
    h.graph.injectFault({ route: 'messages', kind: 'timeout', afterEffect: true, delayMs: GRAPH_TIMEOUT_MS * 3 });
    const reply = await agentReplies(h, c, 'U0ANA', text);
    // A copy, as the agent's client rendered it: the emulator updates its stored message in place.
    const notice = structuredClone(await waitForNotice(h, c, 'Delivery uncertain'));
    return { c, reply, notice };
  }

  it('is reported as uncertain with a Resend button and is not sent again on its own', async () => {
    const { c, reply, notice } = await uncertainReply('15550011001', 'Quinn', 'Did this arrive?');

    expect(actionIdsOf(notice)).toEqual([RESEND]);
    expect(notice.text).toContain('Did this arrive?');
    await waitFor('⚠️ on the reply', () => h.slack.message(INBOX, reply.ts)?.reactions?.some((r) => r.name === 'warning'));
    await h.graph.settle();
    await settle(h);
    expect(sendsTo(h, c)).toHaveLength(1);
    expect(h.graph.calls.filter((call) => call.route === 'messages' && call.json && JSON.stringify(call.json).includes('Did this arrive?'))).toHaveLength(1);
  });

  it('a later status carrying our callback data settles it, and the thread says so', async () => {
    const { c, reply, notice } = await uncertainReply('15550011002', 'Remy', 'Settle me');
    await h.graph.settle();
    const [send] = sendsTo(h, c);
    if (!send) throw new Error('the send did not take effect');
    const messageId = parseCallbackData(send.callbackData);
    expect(messageId).toBeDefined();

    await h.graph.sendStatus({ wamid: send.wamid, status: 'delivered' });

    await waitForNotice(h, c, 'Delivery confirmed');
    // Replaced in place: the uncertain notice itself now says so, and its Resend button is gone.
    const replaced = h.slack.message(INBOX, notice.ts);
    expect(replaced?.text).toContain('Delivery confirmed');
    expect(replaced && actionIdsOf(replaced)).toEqual([]);
    expect(threadOf(h, c).filter((m) => m.text.includes('Delivery'))).toHaveLength(1);
    await waitFor('☑️ on the reply', () => h.slack.message(INBOX, reply.ts)?.reactions?.some((r) => r.name === 'ballot_box_with_check'));
    const row = await findMessageById(h.app.deps.db, messageId ?? 0);
    expect(row).toMatchObject({ waState: 'delivered', waMessageId: send.wamid });
    await settle(h);
    expect(sendsTo(h, c)).toHaveLength(1);
  });

  it('Resend sends exactly one more copy, however often it is clicked', async () => {
    const { c, notice } = await uncertainReply('15550011003', 'Sami', 'Resend me');
    await h.graph.settle();
    expect(sendsTo(h, c)).toHaveLength(1);

    // The second press comes from a client still showing the button (the notice's update had not reached it).
    const click = () => h.slack.clickButton({ user: 'U0ANA', actionId: RESEND, channel: INBOX, messageTs: notice.ts, asShown: notice });
    await click();
    await waitFor('the resent copy', () => sendsTo(h, c)[1]);
    await click();
    await settle(h);

    expect(sendsTo(h, c).map((s) => s.text)).toEqual(['Resend me', 'Resend me']);
    expect(sendsTo(h, c)[1]?.callbackData).not.toBe(sendsTo(h, c)[0]?.callbackData);
    await waitForEphemeral(h, 'U0ANA', c, 'already handled');
    // The notice is redrawn through the outbox, after the click's answer.
    const replaced = await waitFor('the notice saying who resent it', () => {
      const m = h.slack.message(INBOX, notice.ts);
      return m?.text.includes('<@U0ANA> resent “Resend me”') ? m : undefined;
    });
    expect(replaced && actionIdsOf(replaced)).toEqual([]);
  });

  it('Resend after a status settled the send is refused and sends nothing', async () => {
    const { c, notice } = await uncertainReply('15550011004', 'Tara', 'Already there');
    await h.graph.settle();
    const [send] = sendsTo(h, c);
    await h.graph.sendStatus({ wamid: send?.wamid ?? '', status: 'read' });
    await waitForNotice(h, c, 'Delivery confirmed');

    await h.slack.clickButton({ user: 'U0ANA', actionId: RESEND, channel: INBOX, messageTs: notice.ts, asShown: notice });

    await waitForEphemeral(h, 'U0ANA', c, 'already handled');
    await settle(h);
    expect(sendsTo(h, c)).toHaveLength(1);
    // The button was pressed on a copy Slack still showed; the notice itself no longer offers it.
    expect(renderedText(notice)).toContain(RESEND);
    expect(renderedText(h.slack.message(INBOX, notice.ts))).not.toContain(RESEND);
  });

  it('a failed status after an uncertain send replaces the notice and explains the failure', async () => {
    const { c, notice } = await uncertainReply('15550011005', 'Uma', 'Maybe not');
    await h.graph.settle();
    const [send] = sendsTo(h, c);
    await h.graph.sendStatus({ wamid: send?.wamid ?? '', status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable' }] });

    await waitFor('the notice replaced', () => h.slack.message(INBOX, notice.ts)?.text.includes('Not delivered'));
    expect(actionIdsOf(h.slack.message(INBOX, notice.ts)!)).toEqual([]);
    // The agent is also told in a line of its own (mentioned), as for any failed reply.
    await waitFor('the failure notice', () => threadOf(h, c).find((m) => m.ts !== notice.ts && m.text.includes('Not delivered')));
    await settle(h);
    expect(sendsTo(h, c)).toHaveLength(1);
  });
});
