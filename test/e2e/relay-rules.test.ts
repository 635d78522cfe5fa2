import { randomBytes } from 'node:crypto';
import { findLastNote, listNotes } from '../../db/queries/notes';
import { buildEventCallbackBody, signSlackRequest } from '../../src/emulators/slack-signing';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import {
  type OpenConversation,
  agentReplies,
  auditOf,
  ephemeralsTo,
  openConversation,
  renderedText,
  sendsTo,
  settle,
  threadOf,
  waitForAudit,
  waitForEphemeral,
} from '../helpers/threads';
import { waitFor } from '../helpers/wait';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function claimedBy(h: Harness, c: OpenConversation, user: string): Promise<void> {
  await h.slack.clickButton({ user, actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
  await waitForAudit(h, c, 'claimed');
}

/** An event as Slack signs and sends it, for shapes the emulator's people do not produce. */
async function slackSendsEvent(h: Harness, event: Record<string, unknown>): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  const identity = {
    teamId: h.slack.teamId,
    teamDomain: 'threadline-emulator',
    apiAppId: h.slack.apiAppId,
    botUserId: h.slack.botUserId,
    verificationToken: 'emulator-verification-token',
  };
  const eventId = `Ev0RAW${randomBytes(4).toString('hex').toUpperCase()}`;
  const { body, contentType } = buildEventCallbackBody(identity, { channel: INBOX, channel_type: 'channel', ...event }, { eventId, eventTimeSec: now });
  const { headers } = signSlackRequest(h.slack.signingSecret, body, Date.now() / 1000);
  const res = await fetch(`${h.app.url}/slack/events`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  return res.status;
}

/**
 * Another app (not ours) posts in the thread. With a bot token its message has no subtype but carries `bot_id` and
 * its bot user; a legacy integration's is a `bot_message` (slack.md §2.3, §2.4).
 */
function otherBotPosts(h: Harness, c: OpenConversation, text: string, legacy: boolean): Promise<number> {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return slackSendsEvent(h, {
    type: 'message',
    ...(legacy
      ? { subtype: 'bot_message', username: 'Helpdesk bot' }
      : { user: 'U0OTHERBOT', bot_profile: { id: 'B0OTHERBOT', app_id: 'A0OTHERAPP', name: 'helpdesk', team_id: h.slack.teamId } }),
    bot_id: 'B0OTHERBOT',
    text,
    ts,
    thread_ts: c.cardTs,
    event_ts: ts,
  });
}

describe('files in a reply', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('a PNG goes to the customer as an image: fetched from Slack with the bot token, uploaded to Graph, then sent', async () => {
    const c = await openConversation(h, { waId: '15550006001', name: 'Ivo' });
    await claimedBy(h, c, 'U0ANA');

    await agentReplies(h, c, 'U0ANA', '', [{ name: 'receipt.png', data: PNG, mimetype: 'image/png' }]);

    const send = await waitFor('the image send', () => sendsTo(h, c)[0]);
    expect(send.type).toBe('image');
    const mediaId = String(send.content.id);
    expect(h.graph.findMedia(mediaId)?.data.equals(PNG)).toBe(true);
    expect(h.graph.calls.filter((call) => call.route === 'media_upload' && call.status === 200).length).toBeGreaterThan(0);
    const downloads = h.slack.callsTo('files.download');
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.every((d) => d.token === h.slack.token)).toBe(true);
  });

  it('a PDF with a message goes as the text and then a document with its file name', async () => {
    const c = await openConversation(h, { waId: '15550006002', name: 'Dario' });
    await claimedBy(h, c, 'U0ANA');

    await agentReplies(h, c, 'U0ANA', 'Your invoice', [{ name: 'invoice-42.pdf', data: PDF, mimetype: 'application/pdf' }]);

    const sends = await waitFor('both sends', () => (sendsTo(h, c).length >= 2 ? sendsTo(h, c) : undefined));
    expect(sends.map((s) => s.type)).toEqual(['text', 'document']);
    expect(sends[0]?.text).toBe('Your invoice');
    expect(sends[1]?.content.filename).toBe('invoice-42.pdf');
    expect(h.graph.findMedia(String(sends[1]?.content.id))?.data.equals(PDF)).toBe(true);
  });

  it('a file WhatsApp does not take (.zip) is refused with a clear ephemeral and nothing is sent', async () => {
    const c = await openConversation(h, { waId: '15550006003', name: 'Zora' });
    await claimedBy(h, c, 'U0ANA');

    await agentReplies(h, c, 'U0ANA', '', [{ name: 'logs.zip', data: Buffer.from('PK\u0003\u0004zipdata'), mimetype: 'application/zip' }]);

    const ephemeral = await waitForEphemeral(h, 'U0ANA', c, 'logs.zip');
    expect(ephemeral.text).toContain('Not sent');
    expect(ephemeral.text).toContain('WhatsApp does not accept .zip files');
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
  });
});

describe('what is not relayed to the customer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ deliverBotMessageEvents: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it("the app's own posts in the thread come back as events and are not sent to the customer", async () => {
    const c = await openConversation(h, { waId: '15550007001', name: 'Selma' });
    await h.graph.customerSends({ from: c.waId, name: c.name, text: 'A second message' });
    await waitFor('the second message in the thread', () => threadOf(h, c).some((m) => renderedText(m).includes('A second message')));
    await waitFor('its event delivered to the app', () =>
      h.slack.deliveries.some((d) => d.kind === 'event' && d.body.includes('A second message') && d.status === 200),
    );

    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
    expect((await auditOf(h, c)).map((e) => e.type)).toEqual(['opened']);
  });

  it.each([
    ['an app posting with its bot token', '15550007002', false],
    ['a legacy integration (bot_message)', '15550007005', true],
  ])("another bot's message in the thread (%s) is not sent to the customer", async (_kind, waId, legacy) => {
    const c = await openConversation(h, { waId, name: `Boris ${waId.slice(-1)}` });

    expect(await otherBotPosts(h, c, 'Ticket #123 created', legacy)).toBe(200);

    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
    expect((await auditOf(h, c)).map((e) => e.type)).toEqual(['opened']);
  });

  it('editing or deleting a reply the customer already has is not relayed; the agent is told', async () => {
    const c = await openConversation(h, { waId: '15550007003', name: 'Emil' });
    await claimedBy(h, c, 'U0ANA');
    const reply = await agentReplies(h, c, 'U0ANA', 'The price is 10 EUR');
    await waitFor('the send', () => sendsTo(h, c)[0]);

    await h.slack.userEdits({ user: 'U0ANA', channel: INBOX, ts: reply.ts, text: 'The price is 12 EUR' });
    await waitForEphemeral(h, 'U0ANA', c, 'Your edit was not sent. The customer already has the original');
    await h.slack.userDeletes({ user: 'U0ANA', channel: INBOX, ts: reply.ts });
    await waitForEphemeral(h, 'U0ANA', c, 'Deleting it here does not unsend it. The customer already has the original');

    await settle(h);
    expect(sendsTo(h, c).map((s) => s.text)).toEqual(['The price is 10 EUR']);
  });

  it('a link preview Slack adds to a sent reply (message_changed, same text) is not taken for an edit', async () => {
    const c = await openConversation(h, { waId: '15550007006', name: 'Lino' });
    const reply = await agentReplies(h, c, 'U0ANA', 'Track it at <https://track.example/42>');
    await waitFor('the send', () => sendsTo(h, c)[0]);
    const original = h.slack.message(INBOX, reply.ts);
    if (!original) throw new Error('the reply is not stored');
    const { reactions: _reactions, ...message } = original;
    const unfurled = { ...message, attachments: [{ from_url: 'https://track.example/42', title: 'Parcel 42', id: 1 }] };

    const status = await slackSendsEvent(h, {
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      ts: `${reply.ts.split('.')[0]}.999999`,
      event_ts: `${reply.ts.split('.')[0]}.999999`,
      message: unfurled,
      previous_message: message,
    });

    expect(status).toBe(200);
    await settle(h);
    expect(ephemeralsTo(h, 'U0ANA', c)).toEqual([]);
    expect(sendsTo(h, c)).toHaveLength(1);
  });

  it('editing a note updates the stored note and sends nothing', async () => {
    const c = await openConversation(h, { waId: '15550007004', name: 'Nadia' });
    const note = await agentReplies(h, c, 'U0CARLA', 'note: prefers email');
    await waitForAudit(h, c, 'noted');

    await h.slack.userEdits({ user: 'U0CARLA', channel: INBOX, ts: note.ts, text: 'note: prefers phone calls' });

    await waitFor('the note updated', async () =>
      (await listNotes(h.app.deps.db, c.conversationId)).find((n) => n.body === 'prefers phone calls'),
    );
    await settle(h);
    expect(await listNotes(h.app.deps.db, c.conversationId)).toHaveLength(1);
    expect(sendsTo(h, c)).toEqual([]);
    expect(ephemeralsTo(h, 'U0CARLA', c)).toEqual([]);
  });

  it('a note edited without its prefix stays a private note and is still not sent', async () => {
    const c = await openConversation(h, { waId: '15550007007', name: 'Olga' });
    await claimedBy(h, c, 'U0CARLA');
    const note = await agentReplies(h, c, 'U0CARLA', 'private: asked for a refund twice');
    await waitForAudit(h, c, 'noted');

    await h.slack.userEdits({ user: 'U0CARLA', channel: INBOX, ts: note.ts, text: 'asked for a refund three times' });

    await waitFor('the note updated', async () =>
      (await listNotes(h.app.deps.db, c.conversationId)).find((n) => n.body === 'asked for a refund three times'),
    );
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
  });

  it('a deleted note is no longer carried forward, and the deletion is audited once', async () => {
    const c = await openConversation(h, { waId: '15550007008', name: 'Pia' });
    await agentReplies(h, c, 'U0CARLA', 'note: prefers mornings');
    const wrong = await agentReplies(h, c, 'U0CARLA', 'note: wrong customer, ignore');
    await waitFor('two notes', async () => (await listNotes(h.app.deps.db, c.conversationId)).length === 2);

    const deletion = await h.slack.userDeletes({ user: 'U0CARLA', channel: INBOX, ts: wrong.ts });

    await waitForAudit(h, c, 'note_deleted');
    expect((await listNotes(h.app.deps.db, c.conversationId)).map((n) => n.body)).toEqual(['prefers mornings']);
    expect((await findLastNote(h.app.deps.db, c.conversationId))?.body).toBe('prefers mornings');
    expect((await h.slack.redeliverEvent(deletion.eventId, 1)).status).toBe(200);
    await settle(h);
    expect((await auditOf(h, c)).filter((e) => e.type === 'note_deleted')).toHaveLength(1);
    expect(sendsTo(h, c)).toEqual([]);
  });
});

describe("Slack's retries", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('a redelivered reply event (same event_id) is sent to the customer once', async () => {
    const c = await openConversation(h, { waId: '15550008001', name: 'Rolf' });
    await claimedBy(h, c, 'U0ANA');

    const reply = await agentReplies(h, c, 'U0ANA', 'Only once, please');
    const retries = [await h.slack.redeliverEvent(reply.eventId, 1), await h.slack.redeliverEvent(reply.eventId, 2, 'http_error')];
    expect(retries.map((r) => r.status)).toEqual([200, 200]);

    await waitFor('the send', () => sendsTo(h, c)[0]);
    await settle(h);
    expect(sendsTo(h, c)).toHaveLength(1);
    expect((await auditOf(h, c)).filter((e) => e.type === 'sent')).toHaveLength(1);
  });
});
