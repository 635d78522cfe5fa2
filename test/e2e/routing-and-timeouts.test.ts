import { ManualClock } from '../../src/clock';
import { runOwnershipTimeouts } from '../../src/services/ownership-timeouts';
import { runCommand } from '../helpers/commands';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import {
  actionIdsOf,
  auditOf,
  cardOf,
  type OpenConversation,
  openConversation,
  renderedText,
  threadOf,
  waitForAudit,
  waitForCard,
} from '../helpers/threads';
import { waitFor } from '../helpers/wait';

const ADMIN = 'U0ANA';
const CLAIM = 'conversation_claim';
const RESOLVE = 'conversation_resolve';
const MIN = 60_000;

describe('automatic routing of new conversations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
    await runCommand(h, ADMIN, '/threadline', 'routing round_robin');
  });
  afterAll(async () => {
    await h.close();
  });

  it('nobody on shift: the conversation stays unassigned and the card offers Claim', async () => {
    const c = await openConversation(h, { waId: '15559000001', name: 'Pia' });
    expect(actionIdsOf(cardOf(h, c))).toContain(CLAIM);
    expect((await auditOf(h, c)).map((e) => e.type)).not.toContain('assigned');
  });

  it('round robin deals conversations to the agents on shift in turn; the card says why and the system is audited', async () => {
    await runCommand(h, 'U0BRUNO', '/shift', 'on');
    await runCommand(h, 'U0CARLA', '/shift', 'on');
    const owners: string[] = [];
    for (const [waId, name] of [['15559000011', 'Quim'], ['15559000012', 'Rosa'], ['15559000013', 'Saul']] as const) {
      const c = await openConversation(h, { waId, name });
      const assigned = await waitForAudit(h, c, 'assigned');
      expect(assigned).toMatchObject({ actorId: 'system', detail: { reason: 'round robin', mode: 'round_robin' } });
      owners.push(assigned.targetId as string);
      const card = await waitForCard(h, c, 'owner shown', (m) => renderedText(m).includes(`assigned to <@${assigned.targetId}> — round robin`));
      expect(actionIdsOf(card)).not.toContain(CLAIM);
    }
    expect(new Set(owners.slice(0, 2))).toEqual(new Set(['U0BRUNO', 'U0CARLA']));
    expect(owners[2]).toBe(owners[0]);
  });

  it('a returning customer goes back to their earlier owner, who is still on shift', async () => {
    const first = await openConversation(h, { waId: '15559000021', name: 'Tito' });
    const owner = (await waitForAudit(h, first, 'assigned')).targetId as string;
    await h.slack.clickButton({ user: owner, actionId: RESOLVE, channel: INBOX, messageTs: first.cardTs });
    await waitForAudit(h, first, 'resolved');
    // Someone else is next in turn now, so only the returning-customer rule can give it back to the same owner.
    const other = await openConversation(h, { waId: '15559000022', name: 'Uma' });
    expect((await waitForAudit(h, other, 'assigned')).targetId).not.toBe(owner);

    const again = await openConversation(h, { waId: '15559000021', name: 'Tito', text: 'Me again' });
    expect(await waitForAudit(h, again, 'assigned')).toMatchObject({ targetId: owner, detail: { reason: 'returning customer' } });
    await waitForCard(h, again, 'returning customer', (m) => renderedText(m).includes(`assigned to <@${owner}> — returning customer`));
  });
});

describe('ownership timeouts', () => {
  let h: Harness;
  // Starts at the real time: a claim stamps assigned_at with the database's clock (db/queries/conversations.ts).
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    h = await startHarness({ clock, env: { ADMIN_USER_IDS: ADMIN } });
  });
  afterAll(async () => {
    await h.close();
  });

  const notices = (c: OpenConversation) => threadOf(h, c).filter((m) => m.text.startsWith('⏰') || m.text.startsWith('↪'));

  it('reminds a silent owner in the thread, then gives the conversation back to the pool', async () => {
    const c = await openConversation(h, { waId: '15559100001', name: 'Vera' });
    await h.slack.clickButton({ user: 'U0BRUNO', actionId: CLAIM, channel: INBOX, messageTs: c.cardTs });
    await waitForCard(h, c, 'owned by Bruno', (m) => !actionIdsOf(m).includes(CLAIM));

    clock.advance(20 * MIN);
    expect((await runOwnershipTimeouts(h.app.deps)).reminded).toEqual([]);
    clock.advance(12 * MIN);
    expect((await runOwnershipTimeouts(h.app.deps)).reminded).toEqual([c.conversationId]);
    const [reminder] = await waitFor('the reminder in the thread', () => (notices(c).length > 0 ? notices(c) : undefined));
    expect(reminder?.text).toContain('<@U0BRUNO>, the customer has been waiting');
    expect(reminder?.text).toContain('it goes back to the pool');

    clock.advance(31 * MIN);
    expect((await runOwnershipTimeouts(h.app.deps)).released).toEqual([c.conversationId]);
    const card = await waitForCard(h, c, 'Claim again', (m) => actionIdsOf(m).includes(CLAIM));
    expect(renderedText(card)).toContain('Unassigned');
    await waitFor('the release notice', () => notices(c)[1]);
    expect(notices(c)[1]?.text).toContain('<@U0BRUNO> did not reply within 60 min, so this conversation is back in the pool');
    expect((await auditOf(h, c)).map((e) => e.type)).toEqual(expect.arrayContaining(['reminded', 'released']));
  });

  it('in a round-robin channel the conversation goes to the next agent on shift, and the card says why', async () => {
    await runCommand(h, ADMIN, '/threadline', 'routing round_robin');
    await runCommand(h, 'U0CARLA', '/shift', 'on');
    const c = await openConversation(h, { waId: '15559100002', name: 'Wim' });
    expect((await waitForAudit(h, c, 'assigned')).targetId).toBe('U0CARLA');
    await runCommand(h, 'U0BRUNO', '/shift', 'on');

    clock.advance(31 * MIN);
    await runOwnershipTimeouts(h.app.deps);
    clock.advance(31 * MIN);
    expect((await runOwnershipTimeouts(h.app.deps)).reassigned).toEqual([c.conversationId]);
    const card = await waitForCard(h, c, 'owned by Bruno', (m) => renderedText(m).includes('assigned to <@U0BRUNO>'));
    expect(renderedText(card)).toContain('no reply from the previous owner in 60 min, round robin');
    const moved = (await auditOf(h, c)).filter((e) => e.type === 'assigned').at(-1);
    expect(moved).toMatchObject({ actorId: 'system', targetId: 'U0BRUNO', detail: { from: 'U0CARLA', cause: 'owner_timeout' } });
  });
});
