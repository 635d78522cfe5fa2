import { sql } from 'drizzle-orm';
import { updateAgentRole, upsertAgent } from '../../db/queries/agents';
import { findConversationById, findConversationByThread } from '../../db/queries/conversations';
import type { AgentRole } from '../../db/schema';
import { assign } from '../../src/services/conversations';
import { routingModeOf, setRoutingMode } from '../../src/services/routing';
import { runCommand } from '../helpers/commands';
import { type HandoffChoice, dmsTo, submitHandoff, waitForHandoffModal } from '../helpers/handoff';
import { type Harness, startHarness } from '../helpers/harness';
import { waitFor } from '../helpers/wait';

/**
 * The authorization matrix: role (agent / manager / admin) × membership of the conversation's channel (member / not)
 * × action, each through signed requests to the running server (the emulator's people), the outcome read from what
 * actually happened (database, WhatsApp sends, Slack answers). One harness; each action starts from no open
 * conversations and runs its six people at once, each on a conversation of their own in a channel of their own
 * (the same membership everywhere else), so Slack's one-post-a-second per channel does not queue them up.
 */

const SALES = 'C0SALES001';
const OWNER = 'U0OWNER';
const TARGET = 'U0TARGET';

interface Actor {
  id: string;
  role: AgentRole;
  member: boolean;
  /** Where this person's conversations live (a number of its own routes there). */
  channel: string;
  phoneNumberId: string;
}

const ACTORS: Actor[] = (
  [
    ['U0AGIN', 'agent', true],
    ['U0AGOUT', 'agent', false],
    ['U0MGIN', 'manager', true],
    ['U0MGOUT', 'manager', false],
    ['U0ADIN', 'admin', true],
    ['U0ADOUT', 'admin', false],
  ] as const
).map(([id, role, member], i) => ({ id, role, member, channel: `C0MATRIX${i + 1}`, phoneNumberId: `10000000000010${i + 1}` }));

type Outcome = 'allowed' | 'refused';
const label = (a: Actor) => `${a.role} ${a.member ? 'in the channel' : 'not in the channel'}`;
const atLeast = (role: AgentRole, min: AgentRole) => ['agent', 'manager', 'admin'].indexOf(role) >= ['agent', 'manager', 'admin'].indexOf(min);

/** Who may do what (README, "Who can do what"). */
const RULES = {
  sees: (a: Actor) => a.member || a.role === 'admin',
  actsOnOthers: (a: Actor) => (a.member || a.role === 'admin') && atLeast(a.role, 'manager'),
  admin: (a: Actor) => a.role === 'admin',
  manager: (a: Actor) => atLeast(a.role, 'manager'),
};

function expected(rule: (a: Actor) => boolean): Record<string, Outcome> {
  return Object.fromEntries(ACTORS.map((a) => [label(a), rule(a) ? 'allowed' : 'refused']));
}

let h: Harness;
let seq = 0;

/** Each actor at once; their outcomes keyed by role and membership. */
async function forEachActor(run: (actor: Actor) => Promise<Outcome>): Promise<Record<string, Outcome>> {
  const outcomes = await Promise.all(ACTORS.map(async (a) => [label(a), await run(a)] as const));
  return Object.fromEntries(outcomes);
}

/** A new customer writes to the actor's number; resolves once the card and their message are in its channel. */
async function openFor(a: Actor, what: string): Promise<Opened> {
  seq += 1;
  const name = `${what}${seq}x${a.id.slice(3)}`;
  const waId = `1555009${String(seq).padStart(4, '0')}`;
  await h.graph.customerSends({ phoneNumberId: a.phoneNumberId, from: waId, name, text: 'Hello' });
  const card = await waitFor(`${name}'s card`, () => h.slack.messages(a.channel).find((m) => m.text.includes(name) && (!m.thread_ts || m.thread_ts === m.ts)));
  await waitFor(`${name}'s message in the thread`, () => h.slack.thread(a.channel, card.ts).length >= 2);
  const row = await waitFor('the conversation row', () => findConversationByThread(h.app.deps.db, a.channel, card.ts));
  return { name, channel: a.channel, cardTs: card.ts, conversationId: row.id, waId };
}

interface Opened {
  name: string;
  channel: string;
  cardTs: string;
  conversationId: number;
  waId: string;
}

function ephemeralCount(user: string): number {
  return h.slack.ephemerals.filter((e) => e.user === user).length;
}

/** Waits for the effect (allowed) or a new answer only this person sees (refused), whichever comes. */
function outcomeOf(user: string, before: number, done: () => Promise<boolean> | boolean, what: string): Promise<Outcome> {
  return waitFor(`${what} by ${user}: done or refused`, async () => {
    if (await done()) return 'allowed' as const;
    return ephemeralCount(user) > before ? ('refused' as const) : undefined;
  });
}

async function ownedBy(c: Opened, ownerId: string): Promise<void> {
  const result = await assign(h.app.deps, { conversationId: c.conversationId, actorId: 'U0SETUP', newOwnerId: ownerId, reason: 'test setup', audit: 'assigned' });
  if (!result.ok) throw new Error(`could not give ${c.name} to ${ownerId}: ${result.reason}`);
}

/** The card's Hand off on the actor's own conversation, then the form submitted with `choice`. */
async function handOffOwn(a: Actor, what: string, choice: HandoffChoice, done: (c: Opened) => Promise<boolean>): Promise<Outcome> {
  const c = await openFor(a, what);
  await ownedBy(c, a.id);
  const before = ephemeralCount(a.id);
  await h.slack.clickButton({ user: a.id, actionId: 'conversation_handoff', channel: c.channel, messageTs: c.cardTs });
  const opened = await waitFor(`${a.id}'s form or refusal`, () =>
    h.slack.openModal(a.id)?.submit ? ('form' as const) : ephemeralCount(a.id) > before ? ('refused' as const) : undefined,
  );
  if (opened === 'refused') return 'refused';
  const answer = await submitHandoff(h, a.id, await waitForHandoffModal(h, a.id), choice);
  if (answer?.response_action === 'errors') return 'refused';
  return outcomeOf(a.id, before, () => done(c), what);
}

const conversation = (c: Opened) => findConversationById(h.app.deps.db, c.conversationId);

beforeAll(async () => {
  const everyone = [...ACTORS.map((a) => a.id), OWNER, TARGET];
  h = await startHarness({
    extraChannels: [SALES, ...ACTORS.map((a) => a.channel)],
    extraUsers: everyone.map((id) => ({ id, name: id.toLowerCase() })),
    businessNumbers: ACTORS.map((a) => ({ phoneNumberId: a.phoneNumberId, displayPhoneNumber: `1555000${a.phoneNumberId.slice(-4)}` })),
    channelMembers: {
      ...Object.fromEntries(ACTORS.map((a) => [a.channel, [...(a.member ? [a.id] : []), OWNER, TARGET]])),
      [SALES]: everyone,
    },
    env: {
      ADMIN_USER_IDS: ACTORS.filter((a) => a.role === 'admin').map((a) => a.id).join(','),
      DIGEST_CHANNEL: SALES,
      WHATSAPP_NUMBER_CHANNELS: ACTORS.map((a) => `${a.phoneNumberId}=${a.channel}`).join(','),
    },
  });
  for (const a of ACTORS.filter((x) => x.role === 'manager')) {
    await upsertAgent(h.app.deps.db, a.id);
    await updateAgentRole(h.app.deps.db, a.id, 'manager');
  }
}, 60_000);
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  // Every action starts from an empty queue: earlier conversations must not crowd the lists.
  await h.app.deps.db.execute(sql`update conversations set state = 'closed', closed_at = now() where state <> 'closed'`);
});

describe('authorization matrix: role × channel membership × action', () => {
  it('view the queue: members see the channel’s conversations; admins see every channel', async () => {
    const opened = new Map(await Promise.all(ACTORS.map(async (a) => [a.id, await openFor(a, 'Queue')] as const)));
    const outcomes = await forEachActor(async (a) =>
      (await runCommand(h, a.id, '/queue', 'all')).rendered.includes(`*${opened.get(a.id)?.name}*`) ? 'allowed' : 'refused',
    );
    expect(outcomes).toEqual(expected(RULES.sees));
  });

  it('claim', async () => {
    const outcomes = await forEachActor(async (a) => {
      const c = await openFor(a, 'Claim');
      const before = ephemeralCount(a.id);
      await h.slack.clickButton({ user: a.id, actionId: 'conversation_claim', channel: c.channel, messageTs: c.cardTs });
      return outcomeOf(a.id, before, async () => (await conversation(c))?.ownerId === a.id, 'claim');
    });
    expect(outcomes).toEqual(expected(RULES.sees));
  });

  it('reply in the thread (an unowned conversation: the reply claims it and is sent)', async () => {
    const outcomes = await forEachActor(async (a) => {
      const c = await openFor(a, 'Reply');
      await h.slack.userPosts({ user: a.id, channel: c.channel, threadTs: c.cardTs, text: `Hello from ${a.id}` });
      return waitFor(`${a.id}'s reply sent or refused`, () => {
        if (h.graph.sent.some((s) => s.waId === c.waId && s.text === `Hello from ${a.id}`)) return 'allowed' as const;
        return dmsTo(h, a.id).some((m) => m.text.includes('Your reply was not sent')) ? ('refused' as const) : undefined;
      });
    });
    expect(outcomes).toEqual(expected(RULES.sees));
  });

  it('resolve someone else’s conversation', async () => {
    const outcomes = await forEachActor(async (a) => {
      const c = await openFor(a, 'Resolve');
      await ownedBy(c, OWNER);
      const before = ephemeralCount(a.id);
      await h.slack.clickButton({ user: a.id, actionId: 'conversation_resolve', channel: c.channel, messageTs: c.cardTs });
      return outcomeOf(a.id, before, async () => (await conversation(c))?.state === 'closed', 'resolve');
    });
    expect(outcomes).toEqual(expected(RULES.actsOnOthers));
  });

  it('reassign someone else’s conversation (to a teammate in the channel)', async () => {
    const outcomes = await forEachActor(async (a) => {
      const c = await openFor(a, 'Reassign');
      await ownedBy(c, OWNER);
      const before = ephemeralCount(a.id);
      await h.slack.selectUser({ user: a.id, actionId: 'conversation_reassign', channel: c.channel, messageTs: c.cardTs, selectedUser: TARGET });
      return outcomeOf(a.id, before, async () => (await conversation(c))?.ownerId === TARGET, 'reassign');
    });
    expect(outcomes).toEqual(expected(RULES.actsOnOthers));
  });

  it('hand off your own conversation to the pool (card button, then the form)', async () => {
    const outcomes = await forEachActor((a) =>
      handOffOwn(a, 'Handoff', { kind: 'pool' }, async (c) => (await conversation(c))?.ownerId === null),
    );
    expect(outcomes).toEqual(expected(RULES.sees));
  });

  it('move your own conversation to another channel you are in (the handoff form)', async () => {
    const outcomes = await forEachActor((a) =>
      handOffOwn(a, 'Move', { kind: 'channel', channel: SALES }, async (c) => (await conversation(c))?.channelId === SALES),
    );
    expect(outcomes).toEqual(expected(RULES.sees));
  });

  it('settings (/threadline routing, run in the channel): admins only', async () => {
    const outcomes = await forEachActor(async (a) => {
      const answer = await runCommand(h, a.id, '/threadline', 'routing round_robin', a.channel);
      const changed = (await routingModeOf(h.app.deps.db, a.channel)) === 'round_robin';
      await setRoutingMode(h.app.deps, { actorId: 'U0ADIN', channelId: a.channel, mode: 'manual' });
      return changed && !answer.rendered.includes('Only admins') ? 'allowed' : 'refused';
    });
    expect(outcomes).toEqual(expected(RULES.admin));
  });

  it('post the digest now (/queue digest): managers and admins', async () => {
    const outcomes = await forEachActor(async (a) => {
      const answer = await runCommand(h, a.id, '/queue', 'digest', a.channel);
      return answer.rendered.includes('Only managers and admins can post the digest') ? 'refused' : 'allowed';
    });
    expect(outcomes).toEqual(expected(RULES.manager));
  });
});
