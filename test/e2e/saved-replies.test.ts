import { ManualClock } from '../../src/clock';
import { runCommand, waitForHome } from '../helpers/commands';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { openConversation, renderedText, sendsTo, settle, threadOf, waitForAudit } from '../helpers/threads';
import { waitFor } from '../helpers/wait';

const PICK = 'saved_reply_pick';
const HOUR = 60 * 60 * 1000;

describe('saved replies', () => {
  const clock = new ManualClock(new Date());
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clock, env: { ADMIN_USER_IDS: 'U0CARLA' } });
  });
  afterAll(async () => {
    await h.close();
  });

  function optionValue(view: { blocks: unknown[] }, title: string): string {
    const pick = (view.blocks as { block_id?: string; element?: { options?: { text: { text: string }; value: string }[] } }[]).find((b) => b.block_id === PICK);
    const option = pick?.element?.options?.find((o) => o.text.text === title);
    if (!option) throw new Error(`no saved reply ${title}`);
    return option.value;
  }

  it('managers and admins manage them with /threadline replies; agents may only list them', async () => {
    const refused = await runCommand(h, 'U0BRUNO', '/threadline', 'replies add Nope | Not allowed');
    expect(refused.rendered).toContain('Only managers and admins can manage saved replies');
    const added = await runCommand(h, 'U0CARLA', '/threadline', 'replies add Greeting | Hi {customer_name}, this is {agent_name}. How can I help?');
    expect(added.rendered).toMatch(/Saved reply #\d+ \*Greeting\* added/);
    const id = /#(\d+)/.exec(added.text)?.[1] ?? '';
    await runCommand(h, 'U0CARLA', '/threadline', 'replies add Typo | Oops');
    const listed = await runCommand(h, 'U0BRUNO', '/threadline', 'replies');
    expect(listed.rendered).toContain('Greeting');
    expect(listed.rendered).toContain('Typo');
    const typoId = /#(\d+) Typo/.exec(listed.rendered)?.[1] ?? '';
    expect((await runCommand(h, 'U0CARLA', '/threadline', `replies remove ${typoId}`)).rendered).toContain('removed');
    expect((await runCommand(h, 'U0CARLA', '/threadline', `replies edit ${id} Greeting | Hi {customer_name}! {agent_name} here. How can I help?`)).rendered).toContain('updated');
    expect((await runCommand(h, 'U0BRUNO', '/threadline', 'replies')).rendered).not.toContain('Typo');

    await h.slack.openAppHome('U0BRUNO');
    await waitForHome(h, 'U0BRUNO', 'the saved replies', (r) => r.includes('Saved replies') && r.includes('Greeting'));
  });

  it('the shortcut sends one with the placeholders filled, claims the conversation and shows it in the thread', async () => {
    const c = await openConversation(h, { waId: '15550094001', name: 'Vera' });
    await h.slack.runMessageShortcut({ user: 'U0ANA', channel: INBOX, messageTs: threadOf(h, c)[0]?.ts ?? c.cardTs, callbackId: 'saved_reply_shortcut' });
    const modal = await waitFor('the saved reply modal', () => h.slack.openModal('U0ANA'));
    const id = optionValue(modal, 'Greeting');
    await h.slack.choose({ user: 'U0ANA', viewId: modal.id, actionId: PICK, selected: id, values: { [PICK]: { [PICK]: id } } });
    await waitFor('the preview', () => renderedText(h.slack.openModal('U0ANA') as never).includes('Hi Vera! Ana here.'));
    await h.slack.submitView({ user: 'U0ANA', view: { id: modal.id }, values: { [PICK]: { [PICK]: id } } });

    const send = await waitFor('the send', () => sendsTo(h, c)[0]);
    expect(send.text).toBe('Hi Vera! Ana here. How can I help?');
    expect((await waitForAudit(h, c, 'claimed')).actorId).toBe('U0ANA');
    await waitFor('the reply in the thread', () => threadOf(h, c).find((m) => m.text.startsWith('Saved reply Greeting')));
    await settle(h);
    expect(sendsTo(h, c)).toHaveLength(1);
  });

  it('is refused when someone else owns the conversation or the window is closed', async () => {
    const c = await openConversation(h, { waId: '15550094002', name: 'Walt' });
    await h.slack.clickButton({ user: 'U0ANA', actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
    await waitForAudit(h, c, 'claimed');
    const other = await h.slack.runMessageShortcut({ user: 'U0BRUNO', channel: INBOX, messageTs: c.cardTs, callbackId: 'saved_reply_shortcut' });
    await waitFor('the refusal', () => h.slack.responses.some((p) => p.url === other.responseUrl && JSON.stringify(p.body).includes('owns this conversation')));
    clock.advance(25 * HOUR);
    const closed = await h.slack.runMessageShortcut({ user: 'U0ANA', channel: INBOX, messageTs: c.cardTs, callbackId: 'saved_reply_shortcut' });
    await waitFor('the window refusal', () => h.slack.responses.some((p) => p.url === closed.responseUrl && JSON.stringify(p.body).includes('Send a template')));
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
    expect(h.slack.openModal('U0BRUNO')).toBeUndefined();
  });
});
