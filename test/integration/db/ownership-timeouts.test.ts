import { and, eq } from 'drizzle-orm';
import { startShift } from '../../../db/queries/agents';
import { listAuditEvents } from '../../../db/queries/audit';
import { upsertOwnerTimeouts, upsertRoutingMode } from '../../../db/queries/channel-settings';
import { upsertContact } from '../../../db/queries/contacts';
import { findConversationById, insertConversation, recordOutbound } from '../../../db/queries/conversations';
import { agents, conversations, slackOutbox } from '../../../db/schema';
import { ManualClock } from '../../../src/clock';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { runOwnershipTimeouts } from '../../../src/services/ownership-timeouts';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';

const MIN = 60_000;
const START = '2026-11-24T10:00:00Z';

describe.each(TEST_BACKENDS)('ownership timeouts on %s', (backend) => {
  let database: TestDatabase;
  const clock = new ManualClock(START);
  const signalled: number[] = [];
  let deps: Parameters<typeof runOwnershipTimeouts>[0];
  let seq = 0;

  beforeAll(async () => {
    database = await openTestDatabase(backend, { maxConnections: 10 });
    deps = {
      db: database.db,
      clock,
      // Defaults: remind after 30 min, take back 30 min after the reminder.
      config: loadConfig({}, []),
      logger: createLogger({ level: 'silent' }),
      queue: { signal: (id: number) => Promise.resolve(void signalled.push(id)) },
    };
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    clock.set(START);
    signalled.length = 0;
    await database.db.update(conversations).set({ state: 'closed' });
    await database.db.update(agents).set({ onShiftSince: null });
  });

  /** A conversation the customer is waiting on since now, owned by `ownerId` since now. */
  async function waitingOn(ownerId: string, channelId = 'C0INBOX001') {
    seq += 1;
    const contact = await upsertContact(database.db, { waId: `1555300${String(seq).padStart(4, '0')}` });
    const row = await insertConversation(database.db, { phoneNumberId: '100000000000001', contactId: contact.id, channelId, openedAt: clock.now() });
    if (!row) throw new Error('not opened');
    await database.db
      .update(conversations)
      .set({ state: 'waiting_on_agent', ownerId, assignedAt: clock.now(), awaitingReplySince: clock.now(), threadTs: `1700000000.${String(seq).padStart(6, '0')}` })
      .where(eq(conversations.id, row.id));
    return row.id;
  }

  const notices = (id: number) =>
    database.db
      .select({ payload: slackOutbox.payload })
      .from(slackOutbox)
      .where(and(eq(slackOutbox.conversationId, id), eq(slackOutbox.kind, 'post_notice')))
      .then((rows) => rows.map((r) => String(r.payload.text)));
  const auditTypes = async (id: number) => (await listAuditEvents(database.db, id)).map((e) => e.type);

  it('reminds the owner once in the thread after the reminder period, not before', async () => {
    const id = await waitingOn('U0ANA');
    clock.advance(29 * MIN);
    expect((await runOwnershipTimeouts(deps)).reminded).toEqual([]);
    clock.advance(2 * MIN);
    expect((await runOwnershipTimeouts(deps)).reminded).toEqual([id]);
    expect(await notices(id)).toEqual([expect.stringContaining('<@U0ANA>, the customer has been waiting 31 min for your reply')]);
    expect(await notices(id)).toEqual([expect.stringContaining('within 30 min, it goes back to the pool')]);
    const [reminded] = await listAuditEvents(database.db, id);
    expect(reminded).toMatchObject({ type: 'reminded', actorId: 'system', targetId: 'U0ANA' });
    expect(signalled).toEqual([id]);
    clock.advance(5 * MIN);
    expect((await runOwnershipTimeouts(deps)).reminded).toEqual([]);
    expect(await auditTypes(id)).toEqual(['reminded']);
  });

  it('puts the conversation back in the pool when the owner stays silent a release period after the reminder', async () => {
    const id = await waitingOn('U0ANA');
    clock.advance(31 * MIN);
    await runOwnershipTimeouts(deps);
    clock.advance(29 * MIN);
    expect((await runOwnershipTimeouts(deps)).released).toEqual([]);
    clock.advance(2 * MIN);
    expect((await runOwnershipTimeouts(deps)).released).toEqual([id]);
    const after = await findConversationById(database.db, id);
    expect(after).toMatchObject({ state: 'unassigned', ownerId: null, ownerRemindedAt: null, assignedReason: 'no reply from the owner in 60 min' });
    const released = (await listAuditEvents(database.db, id)).find((e) => e.type === 'released');
    expect(released).toMatchObject({ actorId: 'system', targetId: null, detail: { from: 'U0ANA', cause: 'owner_timeout' } });
    expect((await notices(id))[1]).toContain('<@U0ANA> did not reply within 60 min, so this conversation is back in the pool');
    const cardUpdates = await database.db.select().from(slackOutbox).where(and(eq(slackOutbox.conversationId, id), eq(slackOutbox.kind, 'update_card')));
    expect(cardUpdates).toHaveLength(1);
  });

  it('hands it to the next agent on shift when the channel routes automatically, whose clock starts then', async () => {
    await upsertRoutingMode(database.db, 'C0AUTO001', 'round_robin', 'U0ADMIN');
    await startShift(database.db, 'U0ANA', clock.now());
    await startShift(database.db, 'U0BRUNO', clock.now());
    const id = await waitingOn('U0ANA', 'C0AUTO001');
    clock.advance(31 * MIN);
    expect(await notices(id)).toEqual([]);
    await runOwnershipTimeouts(deps);
    expect((await notices(id))[0]).toContain('it goes to the next agent on shift');
    clock.advance(31 * MIN);
    expect((await runOwnershipTimeouts(deps)).reassigned).toEqual([id]);
    expect(await findConversationById(database.db, id)).toMatchObject({
      ownerId: 'U0BRUNO',
      state: 'waiting_on_agent',
      assignedReason: 'no reply from the previous owner in 60 min, round robin',
    });
    const assigned = (await listAuditEvents(database.db, id)).find((e) => e.type === 'assigned');
    expect(assigned).toMatchObject({ actorId: 'system', targetId: 'U0BRUNO', detail: { from: 'U0ANA' } });
    expect((await notices(id))[1]).toContain("now <@U0BRUNO>'s (next agent on shift)");
    // The customer has waited an hour, but Bruno has had it for a minute: no reminder yet.
    clock.advance(MIN);
    expect((await runOwnershipTimeouts(deps)).reminded).toEqual([]);
    clock.advance(30 * MIN);
    expect((await runOwnershipTimeouts(deps)).reminded).toEqual([id]);
  });

  it('moves nothing when the owner replied after the reminder', async () => {
    const id = await waitingOn('U0ANA');
    clock.advance(31 * MIN);
    await runOwnershipTimeouts(deps);
    await recordOutbound(database.db, id, clock.now());
    clock.advance(60 * MIN);
    const run = await runOwnershipTimeouts(deps);
    expect(run).toEqual({ reminded: [], released: [], reassigned: [] });
    expect(await findConversationById(database.db, id)).toMatchObject({ ownerId: 'U0ANA', state: 'waiting_on_customer' });
  });

  it('uses a channel’s own periods over the defaults', async () => {
    await upsertOwnerTimeouts(database.db, 'C0FAST001', { reminder: 5, release: 10 }, 'U0ADMIN');
    const fast = await waitingOn('U0ANA', 'C0FAST001');
    const normal = await waitingOn('U0ANA');
    clock.advance(6 * MIN);
    expect((await runOwnershipTimeouts(deps)).reminded).toEqual([fast]);
    clock.advance(11 * MIN);
    expect(await runOwnershipTimeouts(deps)).toEqual({ reminded: [], released: [fast], reassigned: [] });
    expect(await findConversationById(database.db, normal)).toMatchObject({ ownerId: 'U0ANA', ownerRemindedAt: null });
  });

  it('never reminds about an unowned conversation or one waiting on the customer', async () => {
    const unowned = await waitingOn('U0ANA');
    await database.db.update(conversations).set({ ownerId: null, state: 'unassigned' }).where(eq(conversations.id, unowned));
    const answered = await waitingOn('U0ANA');
    await recordOutbound(database.db, answered, clock.now());
    clock.advance(120 * MIN);
    expect(await runOwnershipTimeouts(deps)).toEqual({ reminded: [], released: [], reassigned: [] });
  });

  it('reminds and releases once when several workers run the check at the same moment', async () => {
    const id = await waitingOn('U0ANA');
    clock.advance(31 * MIN);
    const reminders = await Promise.all([1, 2, 3].map(() => runOwnershipTimeouts(deps)));
    expect(reminders.flatMap((r) => r.reminded)).toEqual([id]);
    clock.advance(31 * MIN);
    const releases = await Promise.all([1, 2, 3].map(() => runOwnershipTimeouts(deps)));
    expect(releases.flatMap((r) => r.released)).toEqual([id]);
    expect(await auditTypes(id)).toEqual(['reminded', 'released']);
    expect(await notices(id)).toHaveLength(2);
  });
});
