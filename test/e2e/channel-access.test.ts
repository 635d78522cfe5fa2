import { updateAgentRole, upsertAgent } from '../../db/queries/agents';
import { findConversationById, findConversationByThread } from '../../db/queries/conversations';
import { HandoffModalIds } from '../../blocks/handoff-modal';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { homeOf, runCommand } from '../helpers/commands';
import { claimAs, submitHandoff, waitForHandoffModal } from '../helpers/handoff';
import {
  type OpenConversation,
  actionIdsOf,
  agentReplies,
  cardOf,
  openConversation,
  renderedText,
  sendsTo,
  settle,
  threadOf,
  waitForAudit,
  waitForCard,
  waitForEphemeral,
} from '../helpers/threads';
import { waitFor } from '../helpers/wait';

/**
 * Channel membership decides what everyone sees and acts on (src/services/channel-access.ts): conversations of the
 * channels a person is in, every channel for admins. Membership is Slack's, cached briefly and forgotten the moment a
 * join or leave event arrives.
 */

const SALES = 'C0SALES001';
const VIP = 'G0VIP00001';
const VIP_NUMBER = '100000000000777';
const DAVI = 'U0DAVI'; // an agent in no conversation channel
const MGR = 'U0MGR'; // a manager in the inbox
const BOSS = 'U0BOSS'; // an admin in no channel
const RESOLVE = 'conversation_resolve';
const REASSIGN = 'conversation_reassign';

/** A customer writes to the VIP number, whose conversations live in the private channel. */
async function openVip(h: Harness, args: { waId: string; name: string }): Promise<{ cardTs: string; conversationId: number }> {
  await h.graph.customerSends({ phoneNumberId: VIP_NUMBER, from: args.waId, name: args.name, text: 'Private matter' });
  const card = await waitFor(`${args.name}'s card in the VIP channel`, () => h.slack.messages(VIP).find((m) => m.text.includes(args.name)));
  const conversation = await waitFor('the conversation row', () => findConversationByThread(h.app.deps.db, VIP, card.ts));
  return { cardTs: card.ts, conversationId: conversation.id };
}

function responseUrlAnswersTo(h: Harness, user: string): string[] {
  return h.slack.ephemerals.filter((e) => e.user === user && e.via === 'response_url').map((e) => e.text);
}

describe('what each person sees and may do follows the channels they are in', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      extraChannels: [SALES, VIP],
      extraUsers: [
        { id: DAVI, name: 'davi' },
        { id: MGR, name: 'mgr' },
        { id: BOSS, name: 'boss' },
      ],
      channelMembers: {
        [INBOX]: ['U0ANA', 'U0BRUNO', 'U0CARLA', MGR],
        [SALES]: ['U0ANA', 'U0BRUNO'],
        [VIP]: ['U0ANA'],
      },
      businessNumbers: [{ phoneNumberId: VIP_NUMBER, displayPhoneNumber: '15550007777' }],
      env: { WHATSAPP_NUMBER_CHANNELS: `${VIP_NUMBER}=${VIP}`, ADMIN_USER_IDS: BOSS },
    });
    await upsertAgent(h.app.deps.db, MGR);
    await updateAgentRole(h.app.deps.db, MGR, 'manager');
  });
  afterAll(async () => {
    await h.close();
  });

  it("/queue all and App Home list only the channels you are in: a private channel's customer is not shown to others", async () => {
    const inbox = await openConversation(h, { waId: '15550008001', name: 'Ingrid' });
    await openVip(h, { waId: '15550008002', name: 'Vera' });

    const ana = await runCommand(h, 'U0ANA', '/queue', 'all');
    expect(ana.rendered).toContain('*Ingrid*');
    expect(ana.rendered).toContain('*Vera*');
    const bruno = await runCommand(h, 'U0BRUNO', '/queue', 'all');
    expect(bruno.rendered).toContain('*Ingrid*');
    expect(bruno.rendered).not.toContain('Vera');
    expect(bruno.rendered).not.toContain('15550008002');
    const davi = await runCommand(h, DAVI, '/queue', 'all');
    expect(davi.rendered).not.toContain('Ingrid');
    expect(davi.rendered).toContain('nothing open');
    const boss = await runCommand(h, BOSS, '/queue', 'all');
    expect(boss.rendered).toContain('*Ingrid*');
    expect(boss.rendered).toContain('*Vera*');
    expect(boss.rendered).toContain('*All open conversations*');

    await h.slack.openAppHome('U0BRUNO');
    await h.slack.openAppHome(DAVI);
    await waitFor('both Homes', () => homeOf(h, 'U0BRUNO') && homeOf(h, DAVI));
    expect(JSON.stringify(homeOf(h, 'U0BRUNO')?.blocks)).toContain('1 unassigned');
    expect(JSON.stringify(homeOf(h, DAVI)?.blocks)).toContain('0 unassigned');

    // Someone else's list: only what the asker may see.
    await claimAs(h, inbox, 'U0ANA');
    const vip = await findConversationByThread(h.app.deps.db, VIP, h.slack.messages(VIP)[0]!.ts);
    await h.slack.clickButton({ user: 'U0ANA', actionId: 'conversation_claim', channel: VIP, messageTs: vip!.threadTs! });
    await waitFor('Ana owns Vera', async () => (await findConversationById(h.app.deps.db, vip!.id))?.ownerId === 'U0ANA');
    const anasByBruno = await runCommand(h, 'U0BRUNO', '/queue', '<@U0ANA|ana>');
    expect(anasByBruno.rendered).toContain('*Ingrid*');
    expect(anasByBruno.rendered).not.toContain('Vera');
  });

  it('leaving a channel takes effect at once, and joining gives it back', async () => {
    const c = await openConversation(h, { waId: '15550008003', name: 'Lotte' });
    expect((await runCommand(h, 'U0CARLA', '/queue', 'unassigned')).rendered).toContain('*Lotte*');

    await h.slack.leaveChannel({ user: 'U0CARLA', channel: INBOX });
    expect((await runCommand(h, 'U0CARLA', '/queue', 'unassigned')).rendered).not.toContain('Lotte');
    await h.slack.clickButton({ user: 'U0CARLA', actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
    // Out of the channel, chat.postEphemeral cannot reach her: the refusal comes through the click's response_url.
    await waitFor('the refusal', () => responseUrlAnswersTo(h, 'U0CARLA').find((t) => t.includes('you are not a member of it')));
    expect((await findConversationById(h.app.deps.db, c.conversationId))?.ownerId).toBeNull();

    await h.slack.joinChannel({ user: 'U0CARLA', channel: INBOX });
    expect((await runCommand(h, 'U0CARLA', '/queue', 'unassigned')).rendered).toContain('*Lotte*');
    await claimAs(h, c, 'U0CARLA');
  });

  it('a reply in a thread from someone outside the channel is not sent, and they are told by DM', async () => {
    const c = await openConversation(h, { waId: '15550008004', name: 'Nora' });
    await agentReplies(h, c, DAVI, 'Let me grab this one');
    const dm = await waitFor('a DM to Davi', () => {
      const channel = h.slack.callsTo('conversations.open').find((call) => call.params.users === DAVI);
      const id = (channel?.response as { channel?: { id?: string } } | undefined)?.channel?.id;
      return id ? h.slack.messages(id).find((m) => m.text.includes('Your reply was not sent')) : undefined;
    });
    expect(dm.text).toContain(`<#${INBOX}>`);
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
    expect((await findConversationById(h.app.deps.db, c.conversationId))?.ownerId).toBeNull();
  });

  it("resolve: an agent may not resolve someone else's conversation (and is told who can); a manager may, and the owner is told", async () => {
    const c = await openConversation(h, { waId: '15550008005', name: 'Rosa' });
    await claimAs(h, c, 'U0ANA');

    await h.slack.clickButton({ user: 'U0BRUNO', actionId: RESOLVE, channel: INBOX, messageTs: c.cardTs });
    await waitForEphemeral(h, 'U0BRUNO', c, 'Only <@U0ANA> (it is theirs), managers and admins can resolve this conversation. Ask <@U0ANA> to resolve it, or ask a manager.');
    expect((await findConversationById(h.app.deps.db, c.conversationId))?.state).not.toBe('closed');

    await h.slack.clickButton({ user: MGR, actionId: RESOLVE, channel: INBOX, messageTs: c.cardTs });
    await waitForCard(h, c, 'closed', (m) => renderedText(m).includes(`Closed by <@${MGR}>`));
    await waitFor('the owner told in the thread', () =>
      threadOf(h, c).find((m) => m.text.includes(`<@U0ANA>, <@${MGR}> resolved this conversation of yours.`)),
    );
    expect((await waitForAudit(h, c, 'resolved')).detail).toMatchObject({ owner: 'U0ANA' });
  });

  it('resolve: the owner resolves their own without a notice; nobody’s conversation anyone in the channel may resolve', async () => {
    const own = await openConversation(h, { waId: '15550008006', name: 'Olaf' });
    await claimAs(h, own, 'U0BRUNO');
    await h.slack.clickButton({ user: 'U0BRUNO', actionId: RESOLVE, channel: INBOX, messageTs: own.cardTs });
    await waitForCard(h, own, 'closed', (m) => renderedText(m).includes('Closed by <@U0BRUNO>'));
    const pool = await openConversation(h, { waId: '15550008007', name: 'Pia' });
    await h.slack.clickButton({ user: 'U0CARLA', actionId: RESOLVE, channel: INBOX, messageTs: pool.cardTs });
    await waitForCard(h, pool, 'closed', (m) => renderedText(m).includes('Closed by <@U0CARLA>'));
    await settle(h);
    expect([...threadOf(h, own), ...threadOf(h, pool)].filter((m) => m.text.includes('resolved this conversation of yours'))).toEqual([]);
  });

  it('replying in a resolved thread reopens it for the replier, and says so: an ephemeral, and the card', async () => {
    const c = await openConversation(h, { waId: '15550008008', name: 'Quinn' });
    await claimAs(h, c, 'U0ANA');
    await h.slack.clickButton({ user: 'U0ANA', actionId: RESOLVE, channel: INBOX, messageTs: c.cardTs });
    await waitForCard(h, c, 'closed', (m) => renderedText(m).includes('Closed by'));

    await agentReplies(h, c, 'U0BRUNO', 'One more thing about your order');
    await waitForEphemeral(h, 'U0BRUNO', c, 'Your reply reopened it and it is now yours');
    const card = await waitForCard(h, c, 'reopened by Bruno', (m) => renderedText(m).includes('reopened: they replied after it was resolved'));
    expect(renderedText(card)).toContain('<@U0BRUNO>');
    await waitFor('the reply sent', () => sendsTo(h, c)[0]);
  });

  it('the handoff form decides on submit: a conversation whose channel you left, or a channel you are not in, is refused', async () => {
    const c = await openConversation(h, { waId: '15550008009', name: 'Sven' });
    await claimAs(h, c, 'U0CARLA');

    // Into a channel Carla is not in (she is only in the inbox).
    await h.slack.clickButton({ user: 'U0CARLA', actionId: 'conversation_handoff', channel: INBOX, messageTs: c.cardTs });
    const modal = await waitForHandoffModal(h, 'U0CARLA');
    const intoSales = await submitHandoff(h, 'U0CARLA', modal, { kind: 'channel', channel: SALES });
    expect(intoSales?.errors?.[HandoffModalIds.targetChannelBlock]).toContain(`You are not a member of <#${SALES}>`);

    // She leaves the inbox with the form still open: submitting it then moves nothing.
    await h.slack.leaveChannel({ user: 'U0CARLA', channel: INBOX });
    const afterLeaving = await submitHandoff(h, 'U0CARLA', modal, { kind: 'pool' });
    expect(Object.values(afterLeaving?.errors ?? {}).join(' ')).toContain('you are not a member of it');
    expect((await findConversationById(h.app.deps.db, c.conversationId))?.ownerId).toBe('U0CARLA');
    await h.slack.joinChannel({ user: 'U0CARLA', channel: INBOX });
  });

  it('a conversation is never given to someone who is not in its channel (picker or handoff form)', async () => {
    const c = await openConversation(h, { waId: '15550008010', name: 'Tove' });
    await claimAs(h, c, 'U0ANA');
    await h.slack.selectUser({ user: 'U0ANA', actionId: REASSIGN, channel: INBOX, messageTs: c.cardTs, selectedUser: DAVI });
    await waitForEphemeral(h, 'U0ANA', c, `<@${DAVI}> is not in <#${INBOX}>, so they could not open this conversation.`);

    await h.slack.clickButton({ user: 'U0ANA', actionId: 'conversation_handoff', channel: INBOX, messageTs: c.cardTs });
    const modal = await waitForHandoffModal(h, 'U0ANA');
    const answer = await submitHandoff(h, 'U0ANA', modal, { kind: 'user', user: DAVI });
    expect(answer?.errors?.[HandoffModalIds.targetUserBlock]).toContain(`<@${DAVI}> is not in <#${INBOX}>`);
    expect((await findConversationById(h.app.deps.db, c.conversationId))?.ownerId).toBe('U0ANA');
  });

  it('/handoff lists only your conversations in the channels you are in; the card button refuses one elsewhere', async () => {
    const c: OpenConversation = await openConversation(h, { waId: '15550008011', name: 'Ulla' });
    await claimAs(h, c, 'U0BRUNO');
    await h.slack.leaveChannel({ user: 'U0BRUNO', channel: INBOX });
    const answer = await runCommand(h, 'U0BRUNO', '/handoff');
    expect(answer.rendered).toContain('no open conversations in the channels you are in');

    await h.slack.clickButton({ user: 'U0BRUNO', actionId: 'conversation_handoff', channel: INBOX, messageTs: c.cardTs });
    await waitFor('the refusal', () => responseUrlAnswersTo(h, 'U0BRUNO').find((t) => t.includes('you are not a member of it')));
    const before = responseUrlAnswersTo(h, 'U0BRUNO').length;
    await h.slack.runMessageShortcut({ user: 'U0BRUNO', channel: INBOX, messageTs: c.cardTs, callbackId: 'handoff_shortcut' });
    await waitFor('the shortcut refused too', () => responseUrlAnswersTo(h, 'U0BRUNO').slice(before).find((t) => t.includes('you are not a member of it')));
    expect(h.slack.openModal('U0BRUNO')).toBeUndefined();
    await h.slack.joinChannel({ user: 'U0BRUNO', channel: INBOX });
    expect(actionIdsOf(cardOf(h, c))).toContain(RESOLVE);
  });

  it('a held reply cannot be sent from its marker once its author has left the channel', async () => {
    const c = await openConversation(h, { waId: '15550008012', name: 'Vito' });
    await claimAs(h, c, 'U0ANA');
    await agentReplies(h, c, 'U0CARLA', 'I know this customer');
    const marker = await waitFor('the not-sent marker', () => threadOf(h, c).find((m) => m.bot_id && m.text.includes('Not sent')));
    await h.slack.leaveChannel({ user: 'U0CARLA', channel: INBOX });
    const before = responseUrlAnswersTo(h, 'U0CARLA').length;
    await h.slack.clickButton({ user: 'U0CARLA', actionId: 'reply_take_over_and_send', channel: INBOX, messageTs: marker.ts, threadTs: c.cardTs });
    await waitFor('the refusal', () => responseUrlAnswersTo(h, 'U0CARLA').slice(before).find((t) => t.includes('you are not a member of it')));
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
    expect((await findConversationById(h.app.deps.db, c.conversationId))?.ownerId).toBe('U0ANA');
    await h.slack.joinChannel({ user: 'U0CARLA', channel: INBOX });
  });
});
