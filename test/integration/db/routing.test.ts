import { eq } from 'drizzle-orm';
import { startShift } from '../../../db/queries/agents';
import { listAuditEvents } from '../../../db/queries/audit';
import { upsertRoutingMode } from '../../../db/queries/channel-settings';
import { upsertContact } from '../../../db/queries/contacts';
import { closeConversation, findConversationById, insertConversation } from '../../../db/queries/conversations';
import { agents, conversations, type Conversation } from '../../../db/schema';
import { ManualClock } from '../../../src/clock';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { routeNewConversation } from '../../../src/services/routing';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';

describe.each(TEST_BACKENDS)('routing new conversations on %s', (backend) => {
  let database: TestDatabase;
  const clock = new ManualClock('2026-11-24T10:00:00Z');
  let deps: Parameters<typeof routeNewConversation>[0];
  let seq = 0;
  let channel = '';

  beforeAll(async () => {
    database = await openTestDatabase(backend, { maxConnections: 10 });
    deps = { db: database.db, clock, config: loadConfig({}, []), logger: createLogger({ level: 'silent' }) };
  });
  afterAll(async () => {
    await database.close();
  });

  /** Each test gets its own channel and its own team on shift (everyone else goes off shift). */
  async function setUp(mode: 'manual' | 'round_robin' | 'least_open', onShift: string[]) {
    channel = `C0ROUTE${++seq}`;
    await database.db.update(agents).set({ onShiftSince: null });
    await upsertRoutingMode(database.db, channel, mode, 'U0ADMIN');
    for (const [i, user] of onShift.entries()) await startShift(database.db, user, new Date(clock.now().getTime() - (i + 1) * 60_000));
  }

  async function open(waId: string, previous?: Conversation): Promise<Conversation> {
    const contact = await upsertContact(database.db, { waId });
    const row = await insertConversation(database.db, {
      phoneNumberId: '100000000000001',
      contactId: contact.id,
      channelId: channel,
      previousConversationId: previous?.id,
      openedAt: clock.now(),
    });
    if (!row) throw new Error('not opened');
    return row;
  }

  async function route(conversation: Conversation, previous?: Conversation): Promise<Conversation> {
    await database.db.transaction((tx) => routeNewConversation(deps, tx, conversation, previous));
    const after = await findConversationById(database.db, conversation.id);
    if (!after) throw new Error('gone');
    return after;
  }

  it('leaves a manual channel’s conversations unassigned, with nothing audited', async () => {
    await setUp('manual', ['U0ANA']);
    const routed = await route(await open('15552000001'));
    expect(routed).toMatchObject({ ownerId: null, state: 'unassigned' });
    expect(await listAuditEvents(database.db, routed.id)).toEqual([]);
  });

  it('round robin takes turns among the agents on shift, says why, and audits it as the system', async () => {
    await setUp('round_robin', ['U0ANA', 'U0BRUNO']);
    const owners = [];
    for (let i = 0; i < 4; i++) owners.push((await route(await open(`155520001${i}0`))).ownerId);
    expect(owners).toEqual(['U0BRUNO', 'U0ANA', 'U0BRUNO', 'U0ANA']);
    const last = await route(await open('15552000199'));
    expect(last).toMatchObject({ state: 'waiting_on_agent', assignedReason: 'round robin' });
    const [assigned] = await listAuditEvents(database.db, last.id);
    expect(assigned).toMatchObject({ type: 'assigned', actorId: 'system', targetId: last.ownerId, detail: { reason: 'round robin', mode: 'round_robin' } });
  });

  it('least open gives the conversation to the agent on shift with the fewest open ones', async () => {
    await setUp('least_open', ['U0ANA', 'U0BRUNO', 'U0CARLA']);
    await database.db.update(conversations).set({ ownerId: null, state: 'closed' });
    for (const [user, n] of [['U0ANA', 2], ['U0BRUNO', 1], ['U0CARLA', 3]] as const) {
      for (let i = 0; i < n; i++) {
        const c = await open(`15552100${user.length}${n}${i}${seq}`);
        await database.db.update(conversations).set({ ownerId: user, state: 'waiting_on_agent' }).where(eq(conversations.id, c.id));
      }
    }
    const routed = await route(await open('15552100999'));
    expect(routed).toMatchObject({ ownerId: 'U0BRUNO', assignedReason: 'on shift, fewest open' });
  });

  it('gives a returning customer back to their earlier owner when that owner is on shift', async () => {
    await setUp('round_robin', ['U0ANA', 'U0BRUNO']);
    const first = await route(await open('15552200001'));
    await closeConversation(database.db, first.id, first.ownerId as string, clock.now());
    for (let i = 0; i < 3; i++) await route(await open(`155522001${i}0`));
    const again = await open('15552200001', first);
    const routed = await route(again, await findConversationById(database.db, first.id));
    expect(routed).toMatchObject({ ownerId: first.ownerId, assignedReason: 'returning customer' });
  });

  it('sends a returning customer to the next agent when their earlier owner is off shift', async () => {
    await setUp('round_robin', ['U0ANA']);
    const first = await open('15552300001');
    await database.db.update(conversations).set({ ownerId: 'U0BRUNO' }).where(eq(conversations.id, first.id));
    await closeConversation(database.db, first.id, 'U0BRUNO', clock.now());
    const routed = await route(await open('15552300001', first), await findConversationById(database.db, first.id));
    expect(routed).toMatchObject({ ownerId: 'U0ANA', assignedReason: 'round robin' });
  });

  it('leaves the conversation unassigned when nobody is on shift', async () => {
    await setUp('least_open', []);
    expect(await route(await open('15552400001'))).toMatchObject({ ownerId: null, state: 'unassigned' });
  });

  it('deals concurrent new conversations out evenly: no two read the same "next" agent', async () => {
    await setUp('round_robin', ['U0ANA', 'U0BRUNO', 'U0CARLA']);
    const opened = [];
    for (let i = 0; i < 12; i++) opened.push(await open(`155225${String(i).padStart(5, '0')}`));
    const routed = await Promise.all(opened.map((c) => route(c)));
    const perAgent = new Map<string, number>();
    for (const c of routed) perAgent.set(c.ownerId ?? 'nobody', (perAgent.get(c.ownerId ?? 'nobody') ?? 0) + 1);
    expect(Object.fromEntries(perAgent)).toEqual({ U0ANA: 4, U0BRUNO: 4, U0CARLA: 4 });
  });
});
