import { listNotes } from '../../db/queries/notes';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import {
  actionIdsOf,
  agentReplies,
  auditOf,
  cardOf,
  ephemeralsTo,
  openConversation,
  renderedText,
  sendsTo,
  settle,
  waitForAudit,
  waitForCard,
  waitForEphemeral,
} from '../helpers/threads';
import { waitFor } from '../helpers/wait';

const CLAIM = 'conversation_claim';
const RESOLVE = 'conversation_resolve';
const REASSIGN = 'conversation_reassign';

describe('claiming, resolving and reassigning from the header card', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('of two people clicking Claim at once, one owns it: the card names them and drops Claim, the other is told who', async () => {
    const c = await openConversation(h, { waId: '15550001001', name: 'Claire' });
    expect(actionIdsOf(cardOf(h, c))).toContain(CLAIM);
    const before = Date.now();

    const clicks = await Promise.all(
      ['U0ANA', 'U0BRUNO'].map((user) => h.slack.clickButton({ user, actionId: CLAIM, channel: INBOX, messageTs: c.cardTs })),
    );
    expect(clicks.map((r) => r.status)).toEqual([200, 200]);

    const claimed = await waitForAudit(h, c, 'claimed');
    const owner = claimed.actorId;
    const loser = owner === 'U0ANA' ? 'U0BRUNO' : 'U0ANA';
    expect(['U0ANA', 'U0BRUNO']).toContain(owner);
    expect(claimed.targetId).toBe(owner);
    expect(claimed.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await auditOf(h, c)).filter((e) => e.type === 'claimed')).toHaveLength(1);

    const card = await waitForCard(h, c, 'owner shown, Claim gone', (m) => !actionIdsOf(m).includes(CLAIM));
    expect(renderedText(card)).toContain(`<@${owner}>`);
    expect(h.slack.callsTo('chat.update').some((call) => call.params.ts === c.cardTs)).toBe(true);
    await waitForEphemeral(h, loser, c, `<@${owner}> already owns this conversation`);
  });

  it('Resolve closes the conversation: the card says closed and offers no actions, and it is audited', async () => {
    const c = await openConversation(h, { waId: '15550001002', name: 'Rita' });
    await h.slack.clickButton({ user: 'U0CARLA', actionId: RESOLVE, channel: INBOX, messageTs: c.cardTs });

    const card = await waitForCard(h, c, 'closed', (m) => m.text.includes('closed'));
    expect(actionIdsOf(card)).toEqual([]);
    expect(renderedText(card)).toContain('Closed by <@U0CARLA>');
    const resolved = await waitForAudit(h, c, 'resolved');
    expect(resolved.actorId).toBe('U0CARLA');
  });

  it('a customer writing after Resolve gets a new thread whose card links the earlier one', async () => {
    const first = await openConversation(h, { waId: '15550001003', name: 'Otto' });
    await h.slack.clickButton({ user: 'U0ANA', actionId: RESOLVE, channel: INBOX, messageTs: first.cardTs });
    await waitForAudit(h, first, 'resolved');

    const second = await openConversation(h, { waId: '15550001003', name: 'Otto', text: 'Me again' });
    expect(second.conversationId).not.toBe(first.conversationId);
    expect(second.cardTs).not.toBe(first.cardTs);
    const card = cardOf(h, second);
    expect(renderedText(card)).toContain('Earlier conversation');
    expect(renderedText(card)).toContain(first.cardTs.replace('.', ''));
    expect(actionIdsOf(card)).toContain(CLAIM);
  });

  it("a reply in the closed thread of a customer who has a newer one is not sent; the agent gets the newer thread's link", async () => {
    const first = await openConversation(h, { waId: '15550001006', name: 'Mara' });
    await h.slack.clickButton({ user: 'U0ANA', actionId: RESOLVE, channel: INBOX, messageTs: first.cardTs });
    await waitForAudit(h, first, 'resolved');
    const second = await openConversation(h, { waId: '15550001006', name: 'Mara', text: 'New question' });

    await agentReplies(h, first, 'U0ANA', 'Answering in the old thread');

    await waitForEphemeral(h, 'U0ANA', first, `p${second.cardTs.replace('.', '')}`);
    await settle(h);
    expect(sendsTo(h, first)).toEqual([]);
  });

  it('a reply in a closed thread with no newer conversation reopens it for the replier and is sent', async () => {
    const c = await openConversation(h, { waId: '15550001007', name: 'Nico' });
    await h.slack.clickButton({ user: 'U0ANA', actionId: RESOLVE, channel: INBOX, messageTs: c.cardTs });
    await waitForCard(h, c, 'closed', (m) => actionIdsOf(m).length === 0);

    await agentReplies(h, c, 'U0BRUNO', 'One more thing');

    await waitFor('the send', () => sendsTo(h, c)[0]);
    expect((await waitForAudit(h, c, 'reopened')).actorId).toBe('U0BRUNO');
    const card = await waitForCard(h, c, 'open again', (m) => actionIdsOf(m).includes(RESOLVE));
    expect(renderedText(card)).toContain('<@U0BRUNO>');
    expect(renderedText(card)).toContain('Waiting on customer');
  });

  it('the user picker reassigns the conversation: the card shows the new owner and it is audited', async () => {
    const c = await openConversation(h, { waId: '15550001004', name: 'Paula' });
    await h.slack.selectUser({ user: 'U0ANA', actionId: REASSIGN, channel: INBOX, messageTs: c.cardTs, selectedUser: 'U0CARLA' });

    const card = await waitForCard(h, c, 'owned by Carla', (m) => renderedText(m).includes('<@U0CARLA>'));
    expect(actionIdsOf(card)).not.toContain(CLAIM);
    const reassigned = await waitForAudit(h, c, 'reassigned');
    expect(reassigned).toMatchObject({ actorId: 'U0ANA', targetId: 'U0CARLA' });
  });

  it('picking an app in the user picker is refused with an ephemeral and changes nothing', async () => {
    const c = await openConversation(h, { waId: '15550001005', name: 'Bianca' });
    await h.slack.selectUser({ user: 'U0ANA', actionId: REASSIGN, channel: INBOX, messageTs: c.cardTs, selectedUser: h.slack.botUserId });

    await waitForEphemeral(h, 'U0ANA', c, 'is an app, not a person');
    await settle(h);
    expect((await auditOf(h, c)).map((e) => e.type)).not.toContain('reassigned');
    expect(actionIdsOf(cardOf(h, c))).toContain(CLAIM);
  });
});

describe('replies and notes in the thread', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("the owner's reply is sent with Slack formatting turned into WhatsApp's, and the card waits on the customer", async () => {
    const c = await openConversation(h, { waId: '15550002001', name: 'Fabio' });
    await h.slack.clickButton({ user: 'U0ANA', actionId: CLAIM, channel: INBOX, messageTs: c.cardTs });
    await waitForAudit(h, c, 'claimed');

    const mrkdwn = '*bold* _it_ ~s~ `code` see <https://x.example/a?b=1|the guide>, ask <@U0BRUNO> &amp; 1 &lt; 2 &gt; 0';
    await agentReplies(h, c, 'U0ANA', mrkdwn);

    const [send] = await waitFor('the send', () => (sendsTo(h, c).length > 0 ? sendsTo(h, c) : undefined));
    expect(send?.type).toBe('text');
    expect(send?.text).toBe('*bold* _it_ ~s~ `code` see the guide (https://x.example/a?b=1), ask @Bruno & 1 < 2 > 0');
    expect(send?.callbackData).toEqual(expect.any(String));
    expect(send?.callbackData).not.toBe('');
    await waitForCard(h, c, 'waiting on customer', (m) => renderedText(m).includes('Waiting on customer'));
  });

  it('a reply over 4,096 characters goes out as several messages, in order', async () => {
    const c = await openConversation(h, { waId: '15550002002', name: 'Lena' });
    await h.slack.clickButton({ user: 'U0ANA', actionId: CLAIM, channel: INBOX, messageTs: c.cardTs });
    await waitForAudit(h, c, 'claimed');
    const sentences = Array.from({ length: 300 }, (_, i) => `Sentence ${i + 1} of the long answer.`);
    const long = sentences.join(' ');
    expect(long.length).toBeGreaterThan(2 * 4096);

    await agentReplies(h, c, 'U0ANA', long);

    const sends = await waitFor('three sends', () => (sendsTo(h, c).length >= 3 ? sendsTo(h, c) : undefined));
    await settle(h);
    expect(sendsTo(h, c)).toHaveLength(sends.length);
    for (const s of sends) expect((s.text ?? '').length).toBeLessThanOrEqual(4096);
    expect(sends.map((s) => s.text).join(' ')).toBe(long);
    expect(new Set(sends.map((s) => s.callbackData)).size).toBe(sends.length);
    await waitForEphemeral(h, 'U0ANA', c, `went to the customer as ${sends.length} messages`);
  });

  it('a reply within 4,096 characters is not announced as split', async () => {
    const c = await openConversation(h, { waId: '15550002012', name: 'Nora' });
    await agentReplies(h, c, 'U0BRUNO', 'x'.repeat(4096));
    await waitFor('the send', () => sendsTo(h, c)[0]);
    await settle(h);
    expect(ephemeralsTo(h, 'U0BRUNO', c).map((e) => e.text).join('\n')).not.toContain('messages, in order');
  });

  it('replying in an unowned conversation claims it for the replier, then sends', async () => {
    const c = await openConversation(h, { waId: '15550002003', name: 'Ugo' });
    await agentReplies(h, c, 'U0BRUNO', 'Hi Ugo, I can help');

    await waitFor('the send', () => sendsTo(h, c)[0]);
    expect(sendsTo(h, c)[0]?.text).toBe('Hi Ugo, I can help');
    const claimed = await waitForAudit(h, c, 'claimed');
    expect(claimed).toMatchObject({ actorId: 'U0BRUNO', targetId: 'U0BRUNO' });
    const card = await waitForCard(h, c, 'owned by Bruno', (m) => renderedText(m).includes('<@U0BRUNO>'));
    expect(actionIdsOf(card)).not.toContain(CLAIM);
  });

  it('of two people replying at once in an unowned conversation, one claims it and is sent; the other is held', async () => {
    const c = await openConversation(h, { waId: '15550002004', name: 'Vito' });

    await Promise.all([agentReplies(h, c, 'U0ANA', 'Ana here'), agentReplies(h, c, 'U0BRUNO', 'Bruno here')]);

    const claimed = await waitForAudit(h, c, 'claimed');
    const owner = claimed.actorId;
    const other = owner === 'U0ANA' ? 'U0BRUNO' : 'U0ANA';
    await waitForEphemeral(h, other, c, `<@${owner}> owns this conversation`);
    await waitFor('the send', () => sendsTo(h, c)[0]);
    await settle(h);
    expect(sendsTo(h, c).map((s) => s.text)).toEqual([owner === 'U0ANA' ? 'Ana here' : 'Bruno here']);
    expect((await auditOf(h, c)).filter((e) => e.type === 'claimed')).toHaveLength(1);
  });

  it.each([
    ['note:', '15550003001', 'note: customer is a VIP', 'customer is a VIP'],
    ['PRIVATE:', '15550003002', 'PRIVATE: check the refund first', 'check the refund first'],
    ['Note: (any case)', '15550003003', 'Note: call back tomorrow', 'call back tomorrow'],
  ])('a reply starting with %s is a private note: stored, 📝 on it, audited, never sent', async (_prefix, waId, text, body) => {
    const c = await openConversation(h, { waId, name: `Nora ${waId.slice(-1)}` });
    const posted = await agentReplies(h, c, 'U0CARLA', text);

    await waitFor('the 📝 reaction', () => h.slack.message(INBOX, posted.ts)?.reactions?.some((r) => r.name === 'memo'));
    const notes = await listNotes(h.app.deps.db, c.conversationId);
    expect(notes).toEqual([expect.objectContaining({ authorId: 'U0CARLA', body, slackTs: posted.ts })]);
    const noted = await waitForAudit(h, c, 'noted');
    expect(noted.actorId).toBe('U0CARLA');
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
    expect((await auditOf(h, c)).map((e) => e.type)).not.toContain('claimed');
  });
});
