import { HandoffModalIds } from '../../blocks/handoff-modal';
import { findConversationById } from '../../db/queries/conversations';
import { listNotes } from '../../db/queries/notes';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { claimAs, findInput, inputBlockIds, submitHandoff, waitForDm, waitForHandoffModal } from '../helpers/handoff';
import { actionIdsOf, agentReplies, auditOf, openConversation, renderedText, settle, threadOf, waitForAudit, waitForCard } from '../helpers/threads';
import { waitFor } from '../helpers/wait';

const MANAGER = 'U0CARLA';

/** The ephemeral text a slash command answered in its ack body (slack.md §3). */
function ackText(result: { json?: unknown }): string {
  return String((result.json as { text?: string } | undefined)?.text ?? '');
}

describe('/handoff', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: MANAGER } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('with no argument lists my open conversations with their last note; submitting hands them to the person picked', async () => {
    const alice = await openConversation(h, { waId: '15550004001', name: 'Alice' });
    const bob = await openConversation(h, { waId: '15550004002', name: 'Bob' });
    await claimAs(h, alice, 'U0ANA');
    await claimAs(h, bob, 'U0ANA');
    await agentReplies(h, alice, 'U0ANA', 'note: sent the quote, waiting for OK');
    await waitFor('the note', async () => (await listNotes(h.app.deps.db, alice.conversationId)).length === 1);

    const command = await h.slack.runSlashCommand({ user: 'U0ANA', channel: INBOX, command: '/handoff', text: '' });
    expect(command.status).toBe(200);
    expect(h.slack.callsTo('views.open')).toHaveLength(1);
    const modal = await waitForHandoffModal(h, 'U0ANA');
    expect(modal.title).toMatchObject({ text: 'Hand off' });
    expect(JSON.stringify(modal.blocks)).toContain('Alice');
    expect(JSON.stringify(modal.blocks)).toContain('Bob');
    expect(findInput(modal, HandoffModalIds.noteBlock(alice.conversationId))?.element.initial_value).toBe('sent the quote, waiting for OK');
    expect(findInput(modal, HandoffModalIds.noteBlock(bob.conversationId))?.element).not.toHaveProperty('initial_value');
    expect(modal.private_metadata.length).toBeLessThan(3000);

    const answer = await submitHandoff(h, 'U0ANA', modal, {
      user: 'U0BRUNO',
      conversations: [
        { id: alice.conversationId, include: true, note: 'sent the quote, waiting for OK' },
        { id: bob.conversationId, include: true, note: 'Call him back after 3pm' },
      ],
    });
    expect(answer?.response_action).toBeUndefined();
    expect(h.slack.openModal('U0ANA')).toBeUndefined();

    for (const c of [alice, bob]) {
      expect((await findConversationById(h.app.deps.db, c.conversationId))?.ownerId).toBe('U0BRUNO');
      expect(await waitForAudit(h, c, 'handed_off')).toMatchObject({ actorId: 'U0ANA', targetId: 'U0BRUNO', detail: { from: 'U0ANA' } });
      await waitFor(`the handoff line in ${c.name}'s thread`, () =>
        threadOf(h, c).find((m) => m.text.includes('Handed off from <@U0ANA> to <@U0BRUNO>')),
      );
      await waitForCard(h, c, 'owned by Bruno', (m) => renderedText(m).includes('*Owner*\\n<@U0BRUNO>'));
    }
    // The unchanged prefilled note is not copied; the new one is saved as a handoff note, without a Slack ts.
    expect((await listNotes(h.app.deps.db, alice.conversationId)).map((n) => n.source)).toEqual(['thread']);
    const bobNotes = await listNotes(h.app.deps.db, bob.conversationId);
    expect(bobNotes).toEqual([expect.objectContaining({ source: 'handoff', body: 'Call him back after 3pm', authorId: 'U0ANA', slackTs: null })]);
    expect(renderedText(threadOf(h, bob).find((m) => m.text.includes('Handed off')))).toContain('Call him back after 3pm');

    const dm = await waitForDm(h, 'U0BRUNO', 'handed you 2 conversations');
    expect(renderedText(dm)).toContain(alice.cardTs.replace('.', ''));
    expect(renderedText(dm)).toContain('Call him back after 3pm');
  });

  it('/handoff pool preselects the pool; submitting leaves the conversation unassigned with Claim back on the card', async () => {
    const c = await openConversation(h, { waId: '15550004003', name: 'Cleo' });
    await claimAs(h, c, 'U0BRUNO');

    await h.slack.runSlashCommand({ user: 'U0BRUNO', channel: INBOX, command: '/handoff', text: 'pool' });
    const modal = await waitForHandoffModal(h, 'U0BRUNO');
    expect(findInput(modal, HandoffModalIds.targetKindBlock)?.element.initial_option).toMatchObject({ value: 'pool' });

    await submitHandoff(h, 'U0BRUNO', modal, { kind: 'pool', conversations: [{ id: c.conversationId, include: true }] });

    const after = await findConversationById(h.app.deps.db, c.conversationId);
    expect(after).toMatchObject({ ownerId: null, state: 'unassigned' });
    expect(await waitForAudit(h, c, 'handed_off')).toMatchObject({ targetId: null });
    await waitForCard(h, c, 'Claim again', (m) => actionIdsOf(m).includes('conversation_claim'));
    await waitFor('the pool line', () => threadOf(h, c).find((m) => m.text.includes('to the pool')));
  });

  it('/handoff @user preselects that person, and a conversation left unticked stays', async () => {
    const kept = await openConversation(h, { waId: '15550004004', name: 'Dora' });
    const given = await openConversation(h, { waId: '15550004005', name: 'Emil' });
    await claimAs(h, kept, 'U0ANA');
    await claimAs(h, given, 'U0ANA');

    await h.slack.runSlashCommand({ user: 'U0ANA', channel: INBOX, command: '/handoff', text: '<@U0BRUNO|bruno>' });
    const modal = await waitForHandoffModal(h, 'U0ANA');
    expect(findInput(modal, HandoffModalIds.targetUserBlock)?.element.initial_user).toBe('U0BRUNO');

    await submitHandoff(h, 'U0ANA', modal, {
      kind: 'user',
      user: 'U0BRUNO',
      conversations: [
        { id: kept.conversationId, include: false },
        { id: given.conversationId, include: true },
      ],
    });
    expect((await findConversationById(h.app.deps.db, given.conversationId))?.ownerId).toBe('U0BRUNO');
    expect((await findConversationById(h.app.deps.db, kept.conversationId))?.ownerId).toBe('U0ANA');
  });

  it('a per-conversation pick overrides the target above', async () => {
    const c1 = await openConversation(h, { waId: '15550004006', name: 'Fritz' });
    const c2 = await openConversation(h, { waId: '15550004007', name: 'Greta' });
    await claimAs(h, c1, 'U0BRUNO');
    await claimAs(h, c2, 'U0BRUNO');
    await h.slack.runSlashCommand({ user: 'U0BRUNO', channel: INBOX, command: '/handoff', text: '' });
    const modal = await waitForHandoffModal(h, 'U0BRUNO');

    await submitHandoff(h, 'U0BRUNO', modal, {
      kind: 'pool',
      conversations: [
        { id: c1.conversationId, include: true },
        { id: c2.conversationId, include: true, to: 'U0ANA' },
      ],
    });
    expect((await findConversationById(h.app.deps.db, c1.conversationId))?.ownerId).toBeNull();
    expect((await findConversationById(h.app.deps.db, c2.conversationId))?.ownerId).toBe('U0ANA');
  });

  it('problems come back next to their fields and the modal stays open', async () => {
    const c = await openConversation(h, { waId: '15550004008', name: 'Hugo' });
    await claimAs(h, c, 'U0ANA');
    await h.slack.runSlashCommand({ user: 'U0ANA', channel: INBOX, command: '/handoff', text: '' });
    const modal = await waitForHandoffModal(h, 'U0ANA');
    const include = { id: c.conversationId, include: true };

    expect(await submitHandoff(h, 'U0ANA', modal, { conversations: [include] })).toEqual({
      response_action: 'errors',
      errors: { [HandoffModalIds.targetKindBlock]: expect.stringContaining('Choose where they go') },
    });
    expect((await submitHandoff(h, 'U0ANA', modal, { user: 'U0ANA', conversations: [include] }))?.errors).toEqual({
      [HandoffModalIds.targetUserBlock]: expect.stringContaining('already have it'),
    });
    expect((await submitHandoff(h, 'U0ANA', modal, { user: h.slack.botUserId, conversations: [include] }))?.errors).toEqual({
      [HandoffModalIds.targetUserBlock]: expect.stringContaining('an app, not a person'),
    });
    const firstListed = inputBlockIds(modal).find((id) => id.startsWith('handoff_include:'));
    expect((await submitHandoff(h, 'U0ANA', modal, { kind: 'pool', conversations: [{ id: c.conversationId, include: false }] }))?.errors).toEqual({
      [firstListed ?? '']: expect.stringContaining('Tick at least one'),
    });
    expect(h.slack.openModal('U0ANA')?.id).toBe(modal.id);
    expect((await auditOf(h, c)).map((e) => e.type)).not.toContain('handed_off');
  });

  it("an agent cannot hand off someone else's conversations: the refusal is ephemeral and no modal opens", async () => {
    const c = await openConversation(h, { waId: '15550004009', name: 'Ines' });
    await claimAs(h, c, 'U0ANA');
    const opened = h.slack.callsTo('views.open').length;

    const result = await h.slack.runSlashCommand({ user: 'U0BRUNO', channel: INBOX, command: '/handoff', text: 'from <@U0ANA|ana> to <@U0BRUNO|bruno>' });

    expect(ackText(result)).toContain('Only managers and admins');
    expect(h.slack.callsTo('views.open')).toHaveLength(opened);
  });

  it("a manager hands off someone else's conversations; the previous owner hears about it", async () => {
    const c = await openConversation(h, { waId: '15550004010', name: 'Jana' });
    await claimAs(h, c, 'U0ANA');

    await h.slack.runSlashCommand({ user: MANAGER, channel: INBOX, command: '/handoff', text: 'from <@U0ANA|ana> to <@U0BRUNO|bruno>' });
    const modal = await waitForHandoffModal(h, MANAGER);
    expect(JSON.stringify(modal.blocks)).toContain("<@U0ANA>'s");
    expect(inputBlockIds(modal)).toContain(HandoffModalIds.includeBlock(c.conversationId));
    await submitHandoff(h, MANAGER, modal, { kind: 'user', user: 'U0BRUNO', conversations: [{ id: c.conversationId, include: true }] });

    expect(await waitForAudit(h, c, 'handed_off')).toMatchObject({ actorId: MANAGER, targetId: 'U0BRUNO', detail: { from: 'U0ANA' } });
    await waitFor('the line', () => threadOf(h, c).find((m) => m.text.includes(`Handed off from <@U0ANA> to <@U0BRUNO> by <@${MANAGER}>`)));
    await waitForDm(h, 'U0ANA', `<@${MANAGER}> handed 1 of your conversations to <@U0BRUNO>`);
    await waitForDm(h, 'U0BRUNO', `<@${MANAGER}> handed you <@U0ANA>'s 1 conversation`);
  });

  it('someone with nothing open is told so instead of getting an empty modal', async () => {
    const result = await h.slack.runSlashCommand({ user: MANAGER, channel: INBOX, command: '/handoff', text: '' });
    expect(ackText(result)).toContain('You have no open conversations');
  });

  it('text it cannot read gets the usage, and an unknown @name is named', async () => {
    expect(ackText(await h.slack.runSlashCommand({ user: 'U0ANA', channel: INBOX, command: '/handoff', text: 'to everyone please' }))).toContain('Usage');
    expect(ackText(await h.slack.runSlashCommand({ user: 'U0ANA', channel: INBOX, command: '/handoff', text: '@nobody' }))).toContain('I do not know @nobody');
  });

  it('a conversation someone else took after the modal opened is skipped, and the submitter is told', async () => {
    const c = await openConversation(h, { waId: '15550004011', name: 'Karl' });
    await claimAs(h, c, 'U0ANA');
    await h.slack.runSlashCommand({ user: 'U0ANA', channel: INBOX, command: '/handoff', text: '' });
    const modal = await waitForHandoffModal(h, 'U0ANA');
    await h.slack.selectUser({ user: MANAGER, actionId: 'conversation_reassign', channel: INBOX, messageTs: c.cardTs, selectedUser: MANAGER });
    await waitFor('reassigned', async () => (await findConversationById(h.app.deps.db, c.conversationId))?.ownerId === MANAGER);

    await submitHandoff(h, 'U0ANA', modal, { kind: 'pool', conversations: [{ id: c.conversationId, include: true }] });

    await waitForDm(h, 'U0ANA', 'someone else took it');
    await settle(h);
    expect((await findConversationById(h.app.deps.db, c.conversationId))?.ownerId).toBe(MANAGER);
  });

  it('/shift off with open conversations opens the same modal', async () => {
    const c = await openConversation(h, { waId: '15550004012', name: 'Lena' });
    await h.slack.runSlashCommand({ user: 'U0BRUNO', channel: INBOX, command: '/shift', text: 'on' });
    await claimAs(h, c, 'U0BRUNO');

    await h.slack.runSlashCommand({ user: 'U0BRUNO', channel: INBOX, command: '/shift', text: 'off' });

    const modal = await waitForHandoffModal(h, 'U0BRUNO');
    expect(inputBlockIds(modal)).toContain(HandoffModalIds.noteBlock(c.conversationId));
  });
});
