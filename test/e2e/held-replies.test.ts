import { listNotes } from '../../db/queries/notes';
import { ManualClock } from '../../src/clock';
import type { EphemeralMessage, StoredMessage } from '../../src/emulators/slack-types';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import {
  type OpenConversation,
  actionIdsOf,
  agentReplies,
  auditOf,
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

const TAKE_OVER = 'reply_take_over_and_send';
const KEEP_AS_NOTE = 'reply_keep_as_note';
const HOUR = 60 * 60 * 1000;

/** The value a button of an ephemeral carries (ephemerals are not stored messages, so the click names it). */
function buttonValue(ephemeral: EphemeralMessage, actionId: string): string {
  for (const block of (ephemeral.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[]) {
    const button = block.elements?.find((e) => e.action_id === actionId);
    if (button?.value) return button.value;
  }
  throw new Error(`no ${actionId} button on the ephemeral`);
}

function clickOnEphemeral(h: Harness, c: OpenConversation, user: string, ephemeral: EphemeralMessage, actionId: string) {
  return h.slack.clickButton({
    user,
    actionId,
    channel: INBOX,
    messageTs: ephemeral.message_ts,
    threadTs: c.cardTs,
    isEphemeral: true,
    value: buttonValue(ephemeral, actionId),
  });
}

async function claimedBy(h: Harness, c: OpenConversation, user: string): Promise<void> {
  await h.slack.clickButton({ user, actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
  await waitForAudit(h, c, 'claimed');
}

describe("a reply in someone else's conversation is held", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('is not sent; the replier is told who owns it and offered Take over and send or Keep as note', async () => {
    const c = await openConversation(h, { waId: '15550004001', name: 'Hugo' });
    await claimedBy(h, c, 'U0ANA');

    await agentReplies(h, c, 'U0BRUNO', 'I can do it faster');

    const ephemeral = await waitForEphemeral(h, 'U0BRUNO', c, '<@U0ANA> owns this conversation');
    expect(actionIdsOf(ephemeral)).toEqual([TAKE_OVER, KEEP_AS_NOTE]);
    expect(renderedText(ephemeral)).toContain('Take over and send');
    expect(renderedText(ephemeral)).toContain('Keep as note');
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
  });

  it('Take over and send makes the replier the owner and sends the held reply, once however often it is clicked', async () => {
    const c = await openConversation(h, { waId: '15550004002', name: 'Tina' });
    await claimedBy(h, c, 'U0ANA');
    await agentReplies(h, c, 'U0BRUNO', 'Taking this one, *Tina*');
    const ephemeral = await waitForEphemeral(h, 'U0BRUNO', c, 'owns this conversation');

    await clickOnEphemeral(h, c, 'U0BRUNO', ephemeral, TAKE_OVER);

    await waitFor('the held reply sent', () => sendsTo(h, c)[0]);
    expect(sendsTo(h, c)[0]?.text).toBe('Taking this one, *Tina*');
    const takenOver = await waitForAudit(h, c, 'taken_over');
    expect(takenOver).toMatchObject({ actorId: 'U0BRUNO', targetId: 'U0BRUNO', detail: { from: 'U0ANA' } });
    await waitForCard(h, c, 'owned by Bruno', (m) => renderedText(m).includes('<@U0BRUNO>') && !renderedText(m).includes('<@U0ANA>'));

    await clickOnEphemeral(h, c, 'U0BRUNO', ephemeral, TAKE_OVER);
    await settle(h);
    expect(sendsTo(h, c)).toHaveLength(1);
    expect((await auditOf(h, c)).filter((e) => e.type === 'taken_over')).toHaveLength(1);
  });

  it('Keep as note stores the held reply as a private note and never sends it, even when clicked twice', async () => {
    const c = await openConversation(h, { waId: '15550004003', name: 'Kurt' });
    await claimedBy(h, c, 'U0ANA');
    const posted = await agentReplies(h, c, 'U0CARLA', 'He called twice already');
    const ephemeral = await waitForEphemeral(h, 'U0CARLA', c, 'owns this conversation');

    await clickOnEphemeral(h, c, 'U0CARLA', ephemeral, KEEP_AS_NOTE);
    await waitFor('the note', async () => (await listNotes(h.app.deps.db, c.conversationId)).length > 0);
    await clickOnEphemeral(h, c, 'U0CARLA', ephemeral, KEEP_AS_NOTE);
    await settle(h);

    expect(await listNotes(h.app.deps.db, c.conversationId)).toEqual([
      expect.objectContaining({ authorId: 'U0CARLA', body: 'He called twice already', slackTs: posted.ts, source: 'held' }),
    ]);
    // The 📝 follows the thread's "not sent" marker through the outbox, at Slack's pace.
    await waitFor('the 📝 on the kept reply', () => h.slack.message(INBOX, posted.ts)?.reactions);
    expect(h.slack.message(INBOX, posted.ts)?.reactions?.map((r) => r.name)).toEqual(['memo']);
    expect(sendsTo(h, c)).toEqual([]);
    expect((await auditOf(h, c)).filter((e) => e.type === 'noted')).toHaveLength(1);
    expect((await auditOf(h, c)).map((e) => e.type)).not.toContain('taken_over');

    await clickOnEphemeral(h, c, 'U0CARLA', ephemeral, TAKE_OVER);
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
  });

  it('clicking Take over and Keep as note at once does one of them: sent or kept, never both', async () => {
    const c = await openConversation(h, { waId: '15550004005', name: 'Dora' });
    await claimedBy(h, c, 'U0ANA');
    await agentReplies(h, c, 'U0BRUNO', 'Either way');
    const ephemeral = await waitForEphemeral(h, 'U0BRUNO', c, 'owns this conversation');

    await Promise.all([
      clickOnEphemeral(h, c, 'U0BRUNO', ephemeral, KEEP_AS_NOTE),
      clickOnEphemeral(h, c, 'U0BRUNO', ephemeral, TAKE_OVER),
    ]);
    await settle(h);

    const notes = await listNotes(h.app.deps.db, c.conversationId);
    const audit = (await auditOf(h, c)).map((e) => e.type);
    expect(sendsTo(h, c).length + notes.length).toBe(1);
    expect(audit.includes('taken_over')).toBe(sendsTo(h, c).length === 1);
    expect(audit.includes('noted')).toBe(notes.length === 1);
  });

  it('only the person who wrote the held reply can act on it', async () => {
    const c = await openConversation(h, { waId: '15550004004', name: 'Ines' });
    await claimedBy(h, c, 'U0ANA');
    await agentReplies(h, c, 'U0BRUNO', 'Let me answer');
    const ephemeral = await waitForEphemeral(h, 'U0BRUNO', c, 'owns this conversation');

    await clickOnEphemeral(h, c, 'U0CARLA', ephemeral, TAKE_OVER);

    await waitForEphemeral(h, 'U0CARLA', c, 'Only <@U0BRUNO>, who wrote that reply, can send it or keep it as a note.');
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
  });
});

/** threadline's "not sent" line under a held reply, which everyone in the thread sees. */
function markerOf(h: Harness, c: OpenConversation, contains: string): Promise<StoredMessage> {
  return waitFor(`the thread marker saying "${contains}"`, () =>
    h.slack.thread(INBOX, c.cardTs).find((m) => m.bot_id && renderedText(m).includes(contains)),
  );
}

function clickOnMarker(h: Harness, c: OpenConversation, user: string, marker: StoredMessage, actionId: string) {
  return h.slack.clickButton({ user, actionId, channel: INBOX, messageTs: marker.ts, threadTs: c.cardTs });
}

describe('a held reply is marked "not sent" in the thread and can be decided from there', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('everyone sees the marker; the owner pressing it is told only the author decides; the author sends it from there', async () => {
    const c = await openConversation(h, { waId: '15550004101', name: 'Mara' });
    await claimedBy(h, c, 'U0ANA');
    await agentReplies(h, c, 'U0BRUNO', 'On my way to fix it');

    const marker = await markerOf(h, c, 'Not sent');
    expect(renderedText(marker)).toContain("<@U0BRUNO>'s reply “On my way to fix it” is held, because <@U0ANA> owns this conversation");
    expect(actionIdsOf(marker)).toEqual([TAKE_OVER, KEEP_AS_NOTE]);

    // The ephemeral is gone (a reload): the owner presses the marker, then the author does.
    await clickOnMarker(h, c, 'U0ANA', marker, TAKE_OVER);
    await waitForEphemeral(h, 'U0ANA', c, 'Only <@U0BRUNO>, who wrote that reply, can send it or keep it as a note.');
    await clickOnMarker(h, c, 'U0BRUNO', marker, TAKE_OVER);

    await waitFor('the held reply sent', () => sendsTo(h, c)[0]);
    expect(sendsTo(h, c).map((s) => s.text)).toEqual(['On my way to fix it']);
    const decided = await markerOf(h, c, 'was sent after they took the conversation over');
    expect(decided.ts).toBe(marker.ts);
    expect(actionIdsOf(decided)).toEqual([]);
  });

  it('kept as a note from the ephemeral, the marker says so and offers nothing more', async () => {
    const c = await openConversation(h, { waId: '15550004102', name: 'Olga' });
    await claimedBy(h, c, 'U0ANA');
    await agentReplies(h, c, 'U0CARLA', 'Maybe offer a voucher');
    const ephemeral = await waitForEphemeral(h, 'U0CARLA', c, 'owns this conversation');
    await markerOf(h, c, 'Not sent');

    await clickOnEphemeral(h, c, 'U0CARLA', ephemeral, KEEP_AS_NOTE);

    const decided = await markerOf(h, c, 'was kept as a private note');
    expect(actionIdsOf(decided)).toEqual([]);
    expect(h.slack.thread(INBOX, c.cardTs).filter((m) => renderedText(m).includes('Not sent:'))).toEqual([]);
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
  });
});

describe('the 24-hour window', () => {
  const clock = new ManualClock(new Date());
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clock });
  });
  afterAll(async () => {
    await h.close();
  });

  it('a reply more than 24 hours after the customer last wrote is not sent and the agent learns a template is needed', async () => {
    const c = await openConversation(h, { waId: '15550005001', name: 'Wanda' });
    await claimedBy(h, c, 'U0ANA');
    clock.advance(24 * HOUR + 60_000);

    await agentReplies(h, c, 'U0ANA', 'Sorry for the wait');

    const ephemeral = await waitForEphemeral(h, 'U0ANA', c, '24-hour window closed');
    expect(renderedText(ephemeral)).toContain('template');
    expect(actionIdsOf(ephemeral)).toEqual(['conversation_send_template', KEEP_AS_NOTE]);
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
    const held = (await auditOf(h, c)).find((e) => e.type === 'held');
    expect(held?.detail).toMatchObject({ reason: 'window_closed' });
    await waitForCard(h, c, 'window shown closed', (m) => renderedText(m).includes('closed since'));

    const marker = await markerOf(h, c, 'the 24-hour window is closed, so WhatsApp would not deliver it');
    expect(actionIdsOf(marker)).toEqual([KEEP_AS_NOTE]);

    await clickOnEphemeral(h, c, 'U0ANA', ephemeral, KEEP_AS_NOTE);
    await waitFor('the note', async () => (await listNotes(h.app.deps.db, c.conversationId))[0]?.body === 'Sorry for the wait');
    await markerOf(h, c, 'was kept as a private note');
  });

  it('a new customer message reopens the window and the next reply is sent', async () => {
    const c = await openConversation(h, { waId: '15550005002', name: 'Yara' });
    await claimedBy(h, c, 'U0ANA');
    clock.advance(30 * HOUR);
    await agentReplies(h, c, 'U0ANA', 'Too late?');
    await waitForEphemeral(h, 'U0ANA', c, '24-hour window closed');

    await h.graph.customerSends({ from: c.waId, name: c.name, text: 'Still there?' });
    // Its own text, not any new post: the held reply's marker lands in the thread too, and replying before the
    // customer's message is ingested is (rightly) held again.
    await waitFor('the new customer message in the thread', () => h.slack.thread(INBOX, c.cardTs).some((m) => m.text.includes('Still there?')));
    await agentReplies(h, c, 'U0ANA', 'Yes, here now');

    await waitFor('the send', () => sendsTo(h, c)[0]);
    await settle(h);
    expect(sendsTo(h, c).map((s) => s.text)).toEqual(['Yes, here now']);
  });

  it('Take over and send is refused once the window closed meanwhile', async () => {
    const c = await openConversation(h, { waId: '15550005003', name: 'Zeno' });
    await claimedBy(h, c, 'U0ANA');
    await agentReplies(h, c, 'U0BRUNO', 'I will take it');
    const ephemeral = await waitForEphemeral(h, 'U0BRUNO', c, 'owns this conversation');
    clock.advance(25 * HOUR);

    await clickOnEphemeral(h, c, 'U0BRUNO', ephemeral, TAKE_OVER);

    await waitFor('the refusal', () => ephemeralsTo(h, 'U0BRUNO', c).find((e) => e.text.includes('window has closed')));
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
    expect((await auditOf(h, c)).map((e) => e.type)).not.toContain('taken_over');
  });
});
