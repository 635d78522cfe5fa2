import { eq } from 'drizzle-orm';
import { listNotes } from '../../db/queries/notes';
import { messages } from '../../db/schema';
import { ConfigError } from '../../src/config';
import { runCommand } from '../helpers/commands';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import {
  actionIdsOf,
  agentReplies,
  auditOf,
  cardOf,
  openConversation,
  sendsTo,
  settle,
  threadOf,
  waitForAudit,
  waitForEphemeral,
} from '../helpers/threads';
import { waitFor } from '../helpers/wait';

const CLAIM = 'conversation_claim';

const storedReply = async (h: Harness, slackTs: string) =>
  (await h.app.deps.db.select().from(messages).where(eq(messages.slackTs, slackTs)))[0];

describe('Socket Mode: Slack over the WebSocket (SLACK_APP_TOKEN, no signing secret)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ socketMode: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('connects with the app-level token through SLACK_API_URL and serves no /slack/events', async () => {
    expect(h.config.slack.appToken).toBe(h.slack.appToken);
    expect(h.slack.callsTo('apps.connections.open')).toEqual([expect.objectContaining({ token: h.slack.appToken, status: 200 })]);
    expect(h.slack.socketConnections()).toBe(1);
    const posted = await fetch(`${h.app.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"url_verification","challenge":"x"}' });
    expect(posted.status).toBe(404);
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
  });

  it('a customer message becomes a card with the message in its thread', async () => {
    const c = await openConversation(h, { waId: '15550201001', name: 'Sofia', text: 'Is my order shipped?' });
    expect(actionIdsOf(cardOf(h, c))).toContain(CLAIM);
    expect(threadOf(h, c).map((m) => m.text).join('\n')).toContain('Is my order shipped?');
  });

  it('an agent reply arrives over the socket, claims the conversation and goes to WhatsApp', async () => {
    const c = await openConversation(h, { waId: '15550201002', name: 'Tomas' });
    const reply = await agentReplies(h, c, 'U0ANA', 'Yes, it left this morning');

    expect(reply.response.status).toBe(200);
    expect(h.slack.deliveries.find((d) => d.eventId === reply.eventId)).toMatchObject({ transport: 'socket', status: 200 });
    expect(await waitForAudit(h, c, 'claimed')).toMatchObject({ actorId: 'U0ANA' });
    const [send] = await waitFor('the send', () => (sendsTo(h, c).length > 0 ? sendsTo(h, c) : undefined));
    expect(send?.text).toBe('Yes, it left this morning');
  });

  it('the envelope is acknowledged only after the reply is stored, however slow the listener is', async () => {
    const c = await openConversation(h, { waId: '15550201008', name: 'Zoe' });
    // The mention makes the listener look the user up before it writes; a held users.info keeps it busy meanwhile.
    h.slack.addUser({ id: 'U0DORA', name: 'dora' });
    h.slack.injectFault({ method: 'users.info', kind: 'timeout', delayMs: 500, afterEffect: true });
    const reply = await agentReplies(h, c, 'U0ANA', 'Dora <@U0DORA> will call you');

    expect(await storedReply(h, reply.ts)).toMatchObject({ direction: 'outbound', slackUserId: 'U0ANA', body: 'Dora @dora will call you' });
  });

  it('a note stays in Slack: stored, 📝 on it, never sent', async () => {
    const c = await openConversation(h, { waId: '15550201003', name: 'Ursula' });
    const note = await agentReplies(h, c, 'U0CARLA', 'note: asked twice already');

    expect(await listNotes(h.app.deps.db, c.conversationId)).toEqual([expect.objectContaining({ body: 'asked twice already', slackTs: note.ts })]);
    await waitFor('the 📝 reaction', () => h.slack.message(INBOX, note.ts)?.reactions?.some((r) => r.name === 'memo'));
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
  });

  it('of two people clicking Claim, the other one is told who owns the conversation', async () => {
    const c = await openConversation(h, { waId: '15550201004', name: 'Vera' });
    const clicks = await Promise.all(
      ['U0ANA', 'U0BRUNO'].map((user) => h.slack.clickButton({ user, actionId: CLAIM, channel: INBOX, messageTs: c.cardTs })),
    );
    expect(clicks.map((r) => r.status)).toEqual([200, 200]);

    const owner = (await waitForAudit(h, c, 'claimed')).actorId;
    const loser = owner === 'U0ANA' ? 'U0BRUNO' : 'U0ANA';
    await waitForEphemeral(h, loser, c, `<@${owner}> already owns this conversation`);
  });

  it('/queue answers in the ack', async () => {
    await openConversation(h, { waId: '15550201005', name: 'Walter' });
    const answer = await runCommand(h, 'U0BRUNO', '/queue', 'unassigned');
    expect(answer).toMatchObject({ status: 200, responseType: 'ephemeral' });
    expect(answer.rendered).toContain('Walter');
    expect(h.slack.deliveries.at(-1)).toMatchObject({ kind: 'command', transport: 'socket' });
  });

  it("Slack's redelivery of the same event (retry_attempt 1) is sent to the customer once", async () => {
    const c = await openConversation(h, { waId: '15550201006', name: 'Xenia' });
    const reply = await agentReplies(h, c, 'U0ANA', 'Only once over the socket');
    const retry = await h.slack.redeliverEvent(reply.eventId, 1, 'timeout');
    expect(retry.status).toBe(200);

    await waitFor('the send', () => sendsTo(h, c)[0]);
    await settle(h);
    expect(sendsTo(h, c)).toHaveLength(1);
    expect((await auditOf(h, c)).filter((e) => e.type === 'sent')).toHaveLength(1);
  });

  it("reconnects after Slack's disconnect message and keeps relaying", async () => {
    h.slack.disconnectSocket('refresh_requested');
    expect(h.slack.socketConnections()).toBe(0);
    await waitFor('a new connection', () => h.slack.callsTo('apps.connections.open').length === 2 && h.slack.socketConnections() === 1);

    const c = await openConversation(h, { waId: '15550201007', name: 'Yusuf' });
    await agentReplies(h, c, 'U0BRUNO', 'Still here after the refresh');
    await waitFor('the send', () => sendsTo(h, c)[0]);
  });
});

describe('Socket Mode start and stop', () => {
  it('refuses to start when Slack rejects SLACK_APP_TOKEN, saying what to check', async () => {
    const start = startHarness({ socketMode: true, env: { SLACK_APP_TOKEN: 'xapp-1-A0THREADLN-1-revoked' } });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/apps\.connections\.open answered invalid_auth.*SLACK_APP_TOKEN must be an app-level token/s);
  });

  it('stopping the app closes its socket', async () => {
    const h = await startHarness({ socketMode: true });
    try {
      expect(h.slack.socketConnections()).toBe(1);
      await h.app.stop(2_000);
      await waitFor('the socket to close', () => h.slack.socketConnections() === 0);
    } finally {
      await h.close();
    }
  });
});
