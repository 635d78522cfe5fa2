import { findAgent } from '../../db/queries/agents';
import { findChannelSettings } from '../../db/queries/channel-settings';
import { findConversationById } from '../../db/queries/conversations';
import { elementsOf, runCommand } from '../helpers/commands';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { auditOf, cardOf, openConversation, renderedText, settle, waitForAudit, waitForCard, waitForEphemeral } from '../helpers/threads';

const ADMIN = 'U0ANA';
const CLAIM = 'conversation_claim';
const REASSIGN = 'conversation_reassign';

describe('/threadline: roles, routing, timeouts and help', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('an agent trying to set a role is refused with an ephemeral saying who can, and nothing changes', async () => {
    const answer = await runCommand(h, 'U0BRUNO', '/threadline', 'role <@U0CARLA|carla> admin');
    expect(answer.status).toBe(200);
    expect(answer.responseType).toBe('ephemeral');
    expect(answer.rendered).toContain('Only admins can set roles. You are an agent.');
    expect((await findAgent(h.app.deps.db, 'U0CARLA'))?.role ?? 'agent').toBe('agent');
  });

  it('an admin from ADMIN_USER_IDS sets a role, and the new manager may then reassign others’ conversations', async () => {
    const answer = await runCommand(h, ADMIN, '/threadline', 'role <@U0CARLA|carla> manager');
    expect(answer.rendered).toContain('<@U0CARLA> is now a manager.');
    expect((await findAgent(h.app.deps.db, 'U0CARLA'))?.role).toBe('manager');
    const again = await runCommand(h, 'U0CARLA', '/threadline', 'role <@U0BRUNO|bruno> admin');
    expect(again.rendered).toContain('Only admins can set roles. You are a manager.');
  });

  it('nobody can demote an admin listed in ADMIN_USER_IDS from Slack', async () => {
    const answer = await runCommand(h, ADMIN, '/threadline', `role <@${ADMIN}|ana> agent`);
    expect(answer.rendered).toContain('is an admin through ADMIN_USER_IDS');
  });

  it('routing is set per channel by admins only, and warns when nobody is on shift', async () => {
    const refused = await runCommand(h, 'U0BRUNO', '/threadline', 'routing round_robin');
    expect(refused.rendered).toContain('Only admins can change how a channel routes conversations');
    expect((await findChannelSettings(h.app.deps.db, INBOX))?.routingMode ?? 'manual').toBe('manual');

    const set = await runCommand(h, ADMIN, '/threadline', 'routing least_open');
    expect(set.rendered).toContain(`New conversations in <#${INBOX}>: agent on shift with the fewest open.`);
    expect(set.rendered).toContain('Nobody is on shift right now');
    expect((await findChannelSettings(h.app.deps.db, INBOX))?.routingMode).toBe('least_open');
    await runCommand(h, ADMIN, '/threadline', 'routing manual');
  });

  it('timeouts are set per channel by admins only', async () => {
    expect((await runCommand(h, 'U0BRUNO', '/threadline', 'timeouts 10 20')).rendered).toContain('Only admins can change ownership timeouts');
    const set = await runCommand(h, ADMIN, '/threadline', 'timeouts 10 20');
    expect(set.rendered).toContain('reminded after 10 min; 20 min after the reminder');
    expect(await findChannelSettings(h.app.deps.db, INBOX)).toMatchObject({ ownerReminderMinutes: 10, ownerReleaseMinutes: 20 });
    await runCommand(h, ADMIN, '/threadline', 'timeouts default');
    expect(await findChannelSettings(h.app.deps.db, INBOX)).toMatchObject({ ownerReminderMinutes: null, ownerReleaseMinutes: null });
  });

  it('help lists every command, for anyone; a typo points to help', async () => {
    const help = await runCommand(h, 'U0BRUNO', '/threadline', 'help');
    for (const command of ['/queue', '/shift on | off | status', '/handoff', '/threadline role', '/threadline routing']) {
      expect(help.rendered).toContain(command);
    }
    expect((await runCommand(h, 'U0BRUNO', '/threadline', 'rol <@U0ANA|ana> admin')).rendered).toContain('/threadline help');
  });
});

describe('the card picker respects roles', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('an agent reassigning someone else’s conversation is refused with an ephemeral, and the owner stays', async () => {
    const c = await openConversation(h, { waId: '15556000001', name: 'Hugo' });
    await h.slack.clickButton({ user: 'U0CARLA', actionId: CLAIM, channel: INBOX, messageTs: c.cardTs });
    await waitForAudit(h, c, 'claimed');
    await h.slack.selectUser({ user: 'U0BRUNO', actionId: REASSIGN, channel: INBOX, messageTs: c.cardTs, selectedUser: 'U0BRUNO' });
    await waitForEphemeral(h, 'U0BRUNO', c, 'Only managers and admins can reassign a conversation someone else owns');
    await settle(h);
    expect((await findConversationById(h.app.deps.db, c.conversationId))?.ownerId).toBe('U0CARLA');
    expect((await auditOf(h, c)).map((e) => e.type)).not.toContain('reassigned');
  });

  it('the owner hands their own conversation to a teammate with the picker', async () => {
    const c = await openConversation(h, { waId: '15556000002', name: 'Ines' });
    await h.slack.clickButton({ user: 'U0BRUNO', actionId: CLAIM, channel: INBOX, messageTs: c.cardTs });
    await waitForCard(h, c, 'owned by Bruno', (m) => renderedText(m).includes('<@U0BRUNO>'));
    await h.slack.selectUser({ user: 'U0BRUNO', actionId: REASSIGN, channel: INBOX, messageTs: c.cardTs, selectedUser: 'U0CARLA' });
    await waitForCard(h, c, 'owned by Carla', (m) => renderedText(m).includes('<@U0CARLA>'));
    expect(await waitForAudit(h, c, 'reassigned')).toMatchObject({ actorId: 'U0BRUNO', targetId: 'U0CARLA' });
  });

  it('an admin reassigns anyone’s conversation', async () => {
    const c = await openConversation(h, { waId: '15556000003', name: 'Joana' });
    await h.slack.clickButton({ user: 'U0BRUNO', actionId: CLAIM, channel: INBOX, messageTs: c.cardTs });
    await waitForAudit(h, c, 'claimed');
    await waitForCard(h, c, 'owned by Bruno', (m) => renderedText(m).includes('<@U0BRUNO>'));
    await h.slack.selectUser({ user: ADMIN, actionId: REASSIGN, channel: INBOX, messageTs: c.cardTs, selectedUser: 'U0CARLA' });
    await waitForCard(h, c, 'owned by Carla', (m) => renderedText(m).includes('<@U0CARLA>'));
    expect(await waitForAudit(h, c, 'reassigned')).toMatchObject({ actorId: ADMIN, targetId: 'U0CARLA' });
  });
});

describe('/shift', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('on starts the shift once; status lists who is on shift since when, with their open conversations', async () => {
    expect((await runCommand(h, 'U0ANA', '/shift', 'on')).rendered).toContain('Your shift has started');
    const onShiftSince = (await findAgent(h.app.deps.db, 'U0ANA'))?.onShiftSince;
    expect(onShiftSince).toBeInstanceOf(Date);
    expect((await runCommand(h, 'U0ANA', '/shift', 'on')).rendered).toContain('You have been on shift since');
    expect((await findAgent(h.app.deps.db, 'U0ANA'))?.onShiftSince).toEqual(onShiftSince);

    const status = await runCommand(h, 'U0BRUNO', '/shift', 'status');
    expect(status.rendered).toContain('*On shift (1)*');
    expect(status.rendered).toContain(`<@U0ANA> since <!date^${Math.floor((onShiftSince as Date).getTime() / 1000)}^`);
    expect(status.rendered).toContain('0 open');
    expect(status.rendered).toContain('You are off shift.');
  });

  it('off with nothing owned just ends the shift', async () => {
    await runCommand(h, 'U0CARLA', '/shift', 'on');
    const off = await runCommand(h, 'U0CARLA', '/shift', 'off');
    expect(off.rendered).toContain('Your shift has ended');
    expect(off.rendered).not.toContain('You still own');
    expect((await findAgent(h.app.deps.db, 'U0CARLA'))?.onShiftSince).toBeNull();
  });

  it('off while owning open conversations ends the shift and starts the handoff', async () => {
    await runCommand(h, 'U0BRUNO', '/shift', 'on');
    for (const [waId, name] of [['15557000001', 'Kai'], ['15557000002', 'Lia']] as const) {
      const c = await openConversation(h, { waId, name });
      await h.slack.clickButton({ user: 'U0BRUNO', actionId: CLAIM, channel: INBOX, messageTs: c.cardTs });
      await waitForAudit(h, c, 'claimed');
    }
    const off = await runCommand(h, 'U0BRUNO', '/shift', 'off');
    expect(off.rendered).toContain('Your shift has ended');
    expect(off.rendered).toContain('You still own 2 open conversations');
    expect((await findAgent(h.app.deps.db, 'U0BRUNO'))?.onShiftSince).toBeNull();
    // The handoff modal is part B's: when it opens, the answer points to it; otherwise to /handoff.
    const modal = h.slack.openModal('U0BRUNO');
    expect(off.rendered).toContain(modal ? 'in the handoff window' : '`/handoff @teammate`');
  });

  it('anything else is explained', async () => {
    expect((await runCommand(h, 'U0ANA', '/shift', 'later')).rendered).toContain('Use `/shift on`, `/shift off` or `/shift status`.');
  });
});

describe('/queue', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists open conversations grouped by state with counts, ages, the window, thread links and Claim', async () => {
    const mine = await openConversation(h, { waId: '15558000001', name: 'Mona' });
    await h.slack.clickButton({ user: 'U0ANA', actionId: CLAIM, channel: INBOX, messageTs: mine.cardTs });
    await waitForAudit(h, mine, 'claimed');
    const free = await openConversation(h, { waId: '15558000002', name: 'Nils' });

    const all = await runCommand(h, 'U0BRUNO', '/queue', 'all');
    expect(all.responseType).toBe('ephemeral');
    expect(all.rendered).toContain('*All open conversations in your channels* (2)');
    expect(all.rendered).toContain('1 unassigned  ·  1 waiting on agent  ·  0 waiting on customer');
    expect(all.rendered).toContain('waiting under a minute');
    expect(all.rendered).toMatch(/window closes in 2[34] h/);
    expect(all.rendered).toContain(`/archives/${INBOX}/p${free.cardTs.replace('.', '')}|*Nils*>`);
    expect(all.rendered).toContain('<@U0ANA>');
    const claims = elementsOf(all.blocks).filter((e) => e.action_id === 'queue_claim');
    expect(claims.map((e) => e.value)).toEqual([String(free.conversationId)]);
    // One chat.getPermalink taught the workspace address; the other link was built from it.
    expect(h.slack.callsTo('chat.getPermalink')).toHaveLength(1);

    // No argument answers an agent's real question: what is mine, and what is waiting for anyone to claim.
    const mineAndFree = await runCommand(h, 'U0ANA', '/queue', '');
    expect(mineAndFree.rendered).toContain('*Yours and unassigned in your channels* (2)');
    expect(mineAndFree.rendered).toContain('1 unassigned  ·  1 waiting on agent  ·  0 waiting on customer');
    expect(mineAndFree.rendered).toContain('*Mona*');
    expect(mineAndFree.rendered).toContain('*Nils*');
    expect(elementsOf(mineAndFree.blocks).filter((e) => e.action_id === 'queue_claim').map((e) => e.value)).toEqual([String(free.conversationId)]);

    const mineOnly = await runCommand(h, 'U0ANA', '/queue', 'mine');
    expect(mineOnly.rendered).toContain('*Your open conversations in your channels* (1)');
    expect(mineOnly.rendered).toContain('*Mona*');
    expect(mineOnly.rendered).not.toContain('Nils');

    // Someone who owns nothing is not told "nothing open" while a customer waits unclaimed.
    const carlas = await runCommand(h, 'U0CARLA', '/queue', '');
    expect(carlas.rendered).toContain('*Yours and unassigned in your channels* (1)');
    expect(carlas.rendered).toContain('*Nils*');
    expect(carlas.rendered).not.toContain('Mona');
    expect(carlas.rendered).not.toContain('Nothing open');

    const unassigned = await runCommand(h, 'U0ANA', '/queue', 'unassigned');
    expect(unassigned.rendered).toContain('*Unassigned conversations in your channels* (1)');
    expect(unassigned.rendered).toContain('*Nils*');

    const anas = await runCommand(h, 'U0BRUNO', '/queue', '<@U0ANA|ana>');
    expect(anas.rendered).toContain('Open conversations of <@U0ANA>');
    expect(anas.rendered).toContain('*Mona*');
  });

  it('Claim in the list claims the conversation, and the card follows', async () => {
    const c = await openConversation(h, { waId: '15558000003', name: 'Olga' });
    const list = await runCommand(h, 'U0CARLA', '/queue', 'unassigned');
    expect(list.rendered).toContain('*Olga*');
    await h.slack.clickButton({
      user: 'U0CARLA',
      actionId: 'queue_claim',
      channel: INBOX,
      messageTs: '0000000000.000001',
      isEphemeral: true,
      value: String(c.conversationId),
    });
    expect((await waitForAudit(h, c, 'claimed')).actorId).toBe('U0CARLA');
    await waitForCard(h, c, 'owned by Carla', (m) => renderedText(m).includes('<@U0CARLA>') && !renderedText(m).includes(CLAIM));
    expect(renderedText(cardOf(h, c))).toContain('Waiting on agent');
  });

  it('says so when nothing is open, and explains an argument it does not know', async () => {
    expect((await runCommand(h, 'U0BRUNO', '/queue', 'mine')).rendered).toContain('Nothing open here.');
    const unknown = await runCommand(h, 'U0BRUNO', '/queue', '@ana');
    expect(unknown.rendered).toContain('/queue @teammate');
  });
});
