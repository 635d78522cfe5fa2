import { HandoffModalIds } from '../../blocks/handoff-modal';
import { findConversationById } from '../../db/queries/conversations';
import { findMoveFromThread } from '../../db/queries/handoff';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { claimAs, inputBlockIds, submitHandoff, waitForHandoffModal } from '../helpers/handoff';
import {
  actionIdsOf,
  agentReplies,
  cardOf,
  openConversation,
  renderedText,
  sendsTo,
  threadOf,
  waitForAudit,
  waitForEphemeral,
} from '../helpers/threads';
import { waitFor } from '../helpers/wait';

const HANDOFF = 'conversation_handoff';
const SUPPORT = 'C0SUPPORT01';
const ROUTED = 'C0SUPPORT02';
const UNINVITED = 'C0NOBOT001';

describe('handing off one conversation from its thread', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: 'U0CARLA' } });
    h.slack.addChannel({ id: SUPPORT, name: 'support' });
    h.slack.addChannel({ id: ROUTED, name: 'support-routed' });
    h.slack.addChannel({ id: UNINVITED, name: 'no-bot-here', botIsMember: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('the card offers Hand off; it opens the modal for that conversation alone', async () => {
    const c = await openConversation(h, { waId: '15550005001', name: 'Mia' });
    await claimAs(h, c, 'U0ANA');
    expect(actionIdsOf(cardOf(h, c))).toContain(HANDOFF);

    await h.slack.clickButton({ user: 'U0ANA', actionId: HANDOFF, channel: INBOX, messageTs: c.cardTs });
    const modal = await waitForHandoffModal(h, 'U0ANA');
    expect(inputBlockIds(modal)).toEqual([
      HandoffModalIds.targetKindBlock,
      HandoffModalIds.targetUserBlock,
      HandoffModalIds.targetChannelBlock,
      HandoffModalIds.noteBlock(c.conversationId),
    ]);

    await submitHandoff(h, 'U0ANA', modal, { user: 'U0BRUNO', conversations: [{ id: c.conversationId, note: 'Wants the blue one' }] });
    expect(await waitForAudit(h, c, 'handed_off')).toMatchObject({ actorId: 'U0ANA', targetId: 'U0BRUNO' });
    await waitFor('the line', () => threadOf(h, c).find((m) => renderedText(m).includes('Wants the blue one')));
  });

  it("an agent pressing Hand off on someone else's conversation is refused with an ephemeral", async () => {
    const c = await openConversation(h, { waId: '15550005002', name: 'Noah' });
    await claimAs(h, c, 'U0ANA');
    const opened = h.slack.callsTo('views.open').length;

    await h.slack.clickButton({ user: 'U0BRUNO', actionId: HANDOFF, channel: INBOX, messageTs: c.cardTs });

    await waitForEphemeral(h, 'U0BRUNO', c, 'Only managers and admins');
    expect(h.slack.callsTo('views.open')).toHaveLength(opened);
  });

  it('the message shortcut on a reply in the thread opens the modal for that conversation', async () => {
    const c = await openConversation(h, { waId: '15550005003', name: 'Olga' });
    const reply = await agentReplies(h, c, 'U0CARLA', 'On it');
    await waitFor('the claim by reply', async () => (await findConversationById(h.app.deps.db, c.conversationId))?.ownerId === 'U0CARLA');

    await h.slack.runMessageShortcut({ user: 'U0CARLA', channel: INBOX, messageTs: reply.ts, callbackId: 'handoff_shortcut' });

    const modal = await waitForHandoffModal(h, 'U0CARLA');
    expect(inputBlockIds(modal)).toContain(HandoffModalIds.noteBlock(c.conversationId));
  });

  it('the shortcut on a message that is no conversation explains itself, only to the person', async () => {
    const post = await h.slack.userPosts({ user: 'U0ANA', channel: INBOX, text: 'lunch anyone?' });
    await h.slack.runMessageShortcut({ user: 'U0ANA', channel: INBOX, messageTs: post.ts, callbackId: 'handoff_shortcut' });
    await waitFor('the refusal', () =>
      h.slack.ephemerals.find((e) => e.user === 'U0ANA' && e.via === 'response_url' && e.text.includes('header card or a reply in its thread')),
    );
  });

  it('refuses a move to a channel threadline was not invited to, next to the channel field', async () => {
    const c = await openConversation(h, { waId: '15550005009', name: 'Quinn' });
    await claimAs(h, c, 'U0ANA');
    await h.slack.clickButton({ user: 'U0ANA', actionId: HANDOFF, channel: INBOX, messageTs: c.cardTs });
    const modal = await waitForHandoffModal(h, 'U0ANA');
    const answer = await submitHandoff(h, 'U0ANA', modal, { channel: UNINVITED, conversations: [{ id: c.conversationId, note: 'x' }] });
    expect(answer).toMatchObject({ response_action: 'errors', errors: { [HandoffModalIds.targetChannelBlock]: expect.stringContaining('/invite @threadline') } });
    expect((await findConversationById(h.app.deps.db, c.conversationId))?.channelId).toBe(INBOX);
  });

  it('to another channel: a new thread there with a summary, the old one says where it went, and the customer lands there', async () => {
    const c = await openConversation(h, { waId: '15550005004', name: 'Pia', text: 'Do you ship to Porto?' });
    await claimAs(h, c, 'U0ANA');
    await agentReplies(h, c, 'U0ANA', 'note: sales done, needs a support contact');
    await agentReplies(h, c, 'U0ANA', 'Yes we do!');
    await waitFor('the reply sent', () => sendsTo(h, c)[0]);

    await h.slack.clickButton({ user: 'U0ANA', actionId: HANDOFF, channel: INBOX, messageTs: c.cardTs });
    const modal = await waitForHandoffModal(h, 'U0ANA');
    await submitHandoff(h, 'U0ANA', modal, { channel: SUPPORT, conversations: [{ id: c.conversationId, note: 'Please set up their account' }] });

    const newCard = await waitFor('the card in #support', () => h.slack.messages(SUPPORT).find((m) => !m.thread_ts || m.thread_ts === m.ts));
    expect(renderedText(newCard)).toContain('Pia');
    expect(actionIdsOf(newCard)).toContain('conversation_claim');
    const summary = await waitFor('the summary in the new thread', () => h.slack.thread(SUPPORT, newCard.ts)[1]);
    const summaryText = renderedText(summary);
    for (const expected of [`Moved here from <#${INBOX}> by <@U0ANA>`, `|The earlier thread>`, c.cardTs.replace('.', ''), 'Do you ship to Porto?', 'Yes we do!', 'sales done, needs a support contact', 'Please set up their account']) {
      expect(summaryText).toContain(expected);
    }
    const moved = await waitFor('the moved line in the old thread', () => threadOf(h, c).find((m) => m.text.includes(`Moved to <#${SUPPORT}>`)));
    expect(moved.text).toContain(newCard.ts.replace('.', ''));
    expect(actionIdsOf(cardOf(h, c))).toEqual([]);
    expect(renderedText(cardOf(h, c))).toContain(`Moved to <#${SUPPORT}>`);

    const after = await findConversationById(h.app.deps.db, c.conversationId);
    expect(after).toMatchObject({ channelId: SUPPORT, threadTs: newCard.ts, ownerId: null, state: 'unassigned' });
    expect(await waitForAudit(h, c, 'moved')).toMatchObject({ actorId: 'U0ANA', targetId: SUPPORT });
    expect(await findMoveFromThread(h.app.deps.db, INBOX, c.cardTs)).toMatchObject({ conversationId: c.conversationId, toChannelId: SUPPORT });

    await h.graph.customerSends({ from: c.waId, name: c.name, text: 'Great, what are the fees?' });
    await waitFor('the new message in the new thread', () => h.slack.thread(SUPPORT, newCard.ts).find((m) => renderedText(m).includes('what are the fees?')));
    expect(threadOf(h, c).some((m) => renderedText(m).includes('what are the fees?'))).toBe(false);

    await h.slack.userPosts({ user: 'U0BRUNO', channel: SUPPORT, threadTs: newCard.ts, text: 'Hi Pia, support here' });
    await waitFor('the support reply sent to the customer', () => sendsTo(h, c).find((s) => JSON.stringify(s).includes('support here')));
  });

  it("a channel with automatic routing gives the moved conversation to someone on shift, never back to the mover", async () => {
    await h.slack.runSlashCommand({ user: 'U0CARLA', channel: ROUTED, command: '/threadline', text: 'routing round_robin' });
    for (const user of ['U0ANA', 'U0BRUNO']) await h.slack.runSlashCommand({ user, channel: INBOX, command: '/shift', text: 'on' });
    const c = await openConversation(h, { waId: '15550005005', name: 'Rui' });
    await claimAs(h, c, 'U0ANA');

    await h.slack.clickButton({ user: 'U0ANA', actionId: HANDOFF, channel: INBOX, messageTs: c.cardTs });
    await submitHandoff(h, 'U0ANA', await waitForHandoffModal(h, 'U0ANA'), { kind: 'channel', channel: ROUTED, conversations: [{ id: c.conversationId }] });

    expect(await findConversationById(h.app.deps.db, c.conversationId)).toMatchObject({ channelId: ROUTED, ownerId: 'U0BRUNO', state: 'waiting_on_agent' });
    const card = await waitFor('the routed card', () => h.slack.messages(ROUTED).find((m) => !m.thread_ts || m.thread_ts === m.ts));
    expect(renderedText(card)).toContain('*Owner*\\n<@U0BRUNO>');
  });
});
