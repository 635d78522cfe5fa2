import { findAgent } from '../../db/queries/agents';
import { elementsOf, waitForHome } from '../helpers/commands';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { openConversation, waitForAudit } from '../helpers/threads';

const ADMIN = 'U0ANA';
const CLAIM = 'conversation_claim';

describe('App Home', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows an agent their conversations with links, the queue counts and a shift toggle, and no team settings', async () => {
    const c = await openConversation(h, { waId: '15559500001', name: 'Yara' });
    await h.slack.clickButton({ user: 'U0BRUNO', actionId: CLAIM, channel: INBOX, messageTs: c.cardTs });
    await waitForAudit(h, c, 'claimed');
    await openConversation(h, { waId: '15559500002', name: 'Zeno' });

    const delivery = await h.slack.openAppHome('U0BRUNO');
    expect(delivery.response.status).toBe(200);
    const view = await waitForHome(h, 'U0BRUNO', 'published', () => true);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('*Your open conversations* (1)');
    expect(text).toContain(`/archives/${INBOX}/p${c.cardTs.replace('.', '')}|*Yara*>`);
    expect(text).toContain('1 unassigned  ·  1 waiting on agent  ·  0 waiting on customer');
    expect(text).toContain('You are an agent.');
    expect(elementsOf(view.blocks)).toContainEqual(expect.objectContaining({ action_id: 'home_shift_toggle', value: 'on' }));
    expect(text).not.toContain('Team');
  });

  it('the toggle starts the shift and Home shows it; ending it with conversations owned starts the handoff', async () => {
    await h.slack.openAppHome('U0BRUNO');
    const before = await waitForHome(h, 'U0BRUNO', 'published', () => true);
    await h.slack.clickButton({ user: 'U0BRUNO', actionId: 'home_shift_toggle', viewId: before.id, value: 'on' });
    const on = await waitForHome(h, 'U0BRUNO', 'on shift', (t) => t.includes('*On shift* since'));
    expect(elementsOf(on.blocks)).toContainEqual(expect.objectContaining({ action_id: 'home_shift_toggle', value: 'off' }));
    expect((await findAgent(h.app.deps.db, 'U0BRUNO'))?.onShiftSince).toBeInstanceOf(Date);

    await h.slack.clickButton({ user: 'U0BRUNO', actionId: 'home_shift_toggle', viewId: on.id, value: 'off' });
    const off = await waitForHome(h, 'U0BRUNO', 'off shift', (t) => t.includes('*Off shift*'));
    expect((await findAgent(h.app.deps.db, 'U0BRUNO'))?.onShiftSince).toBeNull();
    // Part B's handoff modal opens when it can; otherwise Home says how to hand the conversation over.
    if (!h.slack.openModal('U0BRUNO')) expect(JSON.stringify(off.blocks)).toContain('You still own 1 open conversation');
  });

  it('shows an admin the team with role buttons and each channel’s routing; a button sets the role', async () => {
    await h.slack.openAppHome(ADMIN);
    const view = await waitForHome(h, ADMIN, 'team', (t) => t.includes('Team'));
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('admin (ADMIN_USER_IDS)');
    expect(text).toContain('<@U0BRUNO>  ·  agent');
    expect(text).toContain(`<#${INBOX}>: manual (claim only)`);
    const makeManager = elementsOf(view.blocks).find((e) => e.action_id === 'home_make_manager' && e.value === 'U0BRUNO');
    expect(makeManager).toBeDefined();

    await h.slack.clickButton({ user: ADMIN, actionId: 'home_make_manager', viewId: view.id, blockId: makeManager?.block_id, value: 'U0BRUNO' });
    await waitForHome(h, ADMIN, 'Bruno is a manager', (t) => t.includes('<@U0BRUNO>  ·  manager'));
    expect((await findAgent(h.app.deps.db, 'U0BRUNO'))?.role).toBe('manager');
  });

  it('the admin’s picker adds a teammate to the list', async () => {
    const view = await waitForHome(h, ADMIN, 'published', () => true);
    expect(JSON.stringify(view.blocks)).not.toContain('<@U0CARLA>');
    await h.slack.selectUser({ user: ADMIN, actionId: 'home_add_teammate', viewId: view.id, selectedUser: 'U0CARLA' });
    await waitForHome(h, ADMIN, 'Carla listed', (t) => t.includes('<@U0CARLA>  ·  agent'));
  });

  it('a role click from someone who is not an admin is refused on their Home, and no role changes', async () => {
    await h.slack.openAppHome('U0CARLA');
    const view = await waitForHome(h, 'U0CARLA', 'published', () => true);
    expect(elementsOf(view.blocks).some((e) => e.action_id === 'home_make_admin')).toBe(false);
    // A stale or forged click on a button this agent's Home never showed.
    await h.slack.clickButton({ user: 'U0CARLA', actionId: 'home_make_admin', viewId: view.id, blockId: 'home:role:U0CARLA', value: 'U0CARLA' });
    await waitForHome(h, 'U0CARLA', 'refusal', (t) => t.includes('⚠️ Only admins can set roles. You are an agent.'));
    expect((await findAgent(h.app.deps.db, 'U0CARLA'))?.role).toBe('agent');
    await h.slack.selectUser({ user: 'U0CARLA', actionId: 'home_add_teammate', viewId: view.id, selectedUser: 'U0ANA' });
    await waitForHome(h, 'U0CARLA', 'refusal', (t) => t.includes('⚠️ Only admins can manage the team.'));
  });
});
