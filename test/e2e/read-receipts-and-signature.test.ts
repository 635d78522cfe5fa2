import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { agentReplies, openConversation, sendsTo, settle, waitForAudit, threadOf } from '../helpers/threads';
import { waitFor } from '../helpers/wait';

describe('read receipts (READ_RECEIPTS, on by default)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("claiming marks the customer's latest message read", async () => {
    const c = await openConversation(h, { waId: '15550093001', name: 'Sofia' });
    const latest = await h.graph.customerSends({ from: c.waId, name: c.name, text: 'And one more thing' });
    await waitFor('the second message in the thread', () => threadOf(h, c).some((m) => m.text.includes('one more thing')));
    await h.slack.clickButton({ user: 'U0ANA', actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
    await waitForAudit(h, c, 'claimed');
    const read = await waitFor('the read receipt', () => h.graph.reads.find((r) => r.messageId === latest.wamid));
    expect(read.typingIndicator).toBe(false);
  });

  it('replying marks it read too', async () => {
    const c = await openConversation(h, { waId: '15550093002', name: 'Tomas' });
    const before = h.graph.reads.length;
    await agentReplies(h, c, 'U0BRUNO', 'On it');
    await waitFor('the send', () => sendsTo(h, c)[0]);
    await waitFor('the read receipt', () => h.graph.reads.length > before);
  });
});

describe('READ_RECEIPTS=off and SIGN_REPLIES=name', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { READ_RECEIPTS: 'off', SIGN_REPLIES: 'name' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('sends no read receipt, and the reply reaches the customer signed with the agent’s name', async () => {
    const c = await openConversation(h, { waId: '15550093003', name: 'Uma' });
    await h.slack.clickButton({ user: 'U0ANA', actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
    await waitForAudit(h, c, 'claimed');
    await agentReplies(h, c, 'U0ANA', 'Hello *Uma*, how can I help?');
    const send = await waitFor('the send', () => sendsTo(h, c)[0]);
    expect(send.text).toBe('*Ana:* Hello *Uma*, how can I help?');
    await settle(h);
    expect(h.graph.reads).toEqual([]);
  });
});
