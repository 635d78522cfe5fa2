import {
  DEFAULT_BUSINESS_NUMBER,
  buildBatchWebhook,
  buildErrorsWebhook,
  buildMessageWebhook,
  buildStatusWebhook,
  newWamid,
  postWebhook,
  serializeLikeMeta,
  signMetaBody,
  statusObject,
  textMessage,
} from '../../src/emulators/whatsapp-webhooks';
import { type Harness, VERIFY_TOKEN, startHarness } from '../helpers/harness';
import {
  countOf,
  countStoredRows,
  findStoredMessage,
  listInboxBodies,
  waitForIngested,
  listKeptEvents,
  listStatusRows,
  threadText,
  waitForCardOf,
  waitForReply,
} from '../helpers/inbound';
import { waitFor } from '../helpers/wait';

/** Small enough that a padded body passes it, large enough for every other payload in this file. */
const MAX_BYTES = 16_384;
const SECRET = 'test-app-secret';

describe('the WhatsApp webhook endpoint', () => {
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    h = await startHarness({ env: { WEBHOOK_MAX_BYTES: String(MAX_BYTES) } });
    url = `${h.app.url}/webhooks/whatsapp`;
  });
  afterAll(async () => {
    await h.close();
  });

  const textFrom = (waId: string, name: string, body: string, id = newWamid()) =>
    buildMessageWebhook({ ...DEFAULT_BUSINESS_NUMBER, contact: { waId, name }, messages: [textMessage({ from: waId, id, body })] });
  const statusOf = (wamid: string, status: 'sent' | 'delivered' | 'read', recipientWaId: string) =>
    buildStatusWebhook({ ...DEFAULT_BUSINESS_NUMBER, statuses: [statusObject({ wamid, status, recipientWaId })] });

  describe('verification handshake', () => {
    const handshake = (params: Record<string, string>) => fetch(`${url}?${new URLSearchParams(params).toString()}`);

    it('echoes hub.challenge as plain text when the verify token matches', async () => {
      const res = await handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('1158201444');
    });

    it('refuses a wrong verify token with 403', async () => {
      const res = await handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '42' });
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('42');
    });

    it('refuses a mode other than subscribe with 403', async () => {
      const res = await handshake({ 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '42' });
      expect(res.status).toBe(403);
    });
  });

  describe('refused requests store nothing', () => {
    it('answers 401 to a POST without a signature header', async () => {
      const before = await countStoredRows(h);
      const res = await postWebhook(url, textFrom('15550100001', 'Nosig', 'unsigned'), SECRET, { signature: null });
      expect(res.status).toBe(401);
      expect(await countStoredRows(h)).toEqual(before);
    });

    it('answers 401 to a POST signed with another secret', async () => {
      const before = await countStoredRows(h);
      const payload = serializeLikeMeta(textFrom('15550100002', 'Wrongsig', 'forged'));
      const res = await postWebhook(url, payload, SECRET, { signature: signMetaBody(payload, 'not-the-app-secret') });
      expect(res.status).toBe(401);
      expect(await countStoredRows(h)).toEqual(before);
    });

    it('verifies Meta’s escaped-unicode body but refuses it re-serialised by JSON.stringify', async () => {
      const wamid = newWamid();
      // Meta signs `\u00e9`, surrogate pairs and `\/` as escapes (reference/whatsapp.md §1.2).
      const raw = serializeLikeMeta(textFrom('15550100003', 'Zoé', 'Café 👍 size 38/40?', wamid));
      expect(raw).toContain('Caf\\u00e9 \\ud83d\\udc4d size 38\\/40?');
      const signature = signMetaBody(raw, SECRET);

      const before = await countStoredRows(h);
      const reserialised = JSON.stringify(JSON.parse(raw));
      const refused = await postWebhook(url, reserialised, SECRET, { signature });
      expect(refused.status).toBe(401);
      expect(await countStoredRows(h)).toEqual(before);

      const accepted = await postWebhook(url, raw, SECRET, { signature });
      expect(accepted.status).toBe(200);
      await waitForIngested(h);
      expect((await findStoredMessage(h, wamid))?.body).toBe('Café 👍 size 38/40?');
    });

    it('answers 400 to correctly signed malformed JSON', async () => {
      const before = await countStoredRows(h);
      const res = await postWebhook(url, '{"object":"whatsapp_business_account","entry":[', SECRET);
      expect(res.status).toBe(400);
      expect(await countStoredRows(h)).toEqual(before);
    });

    it('answers 413 to a body above WEBHOOK_MAX_BYTES', async () => {
      const before = await countStoredRows(h);
      const res = await postWebhook(url, textFrom('15550100004', 'Big', 'x'.repeat(MAX_BYTES)), SECRET);
      expect(res.status).toBe(413);
      expect(await countStoredRows(h)).toEqual(before);
    });
  });

  describe('accepted requests', () => {
    it('has the message in Postgres by the time it answers 200', async () => {
      const wamid = newWamid();
      const res = await postWebhook(url, textFrom('15550100005', 'Durable Dora', 'stored first', wamid), SECRET);
      expect(res.status).toBe(200);
      // At the 200 the POST itself is committed (the inbox); it is then ingested into a message row.
      expect((await listInboxBodies(h)).some((b) => JSON.stringify(JSON.parse(b)).includes(wamid))).toBe(true);
      const row = await waitFor('the ingested message', () => findStoredMessage(h, wamid));
      expect(row).toMatchObject({ direction: 'inbound', kind: 'text', body: 'stored first' });
    });

    it('posts a redelivered message once', async () => {
      const body = serializeLikeMeta(textFrom('15550100006', 'Twice Tess', 'only once please'));
      expect((await postWebhook(url, body, SECRET)).status).toBe(200);
      expect((await postWebhook(url, body, SECRET)).status).toBe(200);
      expect((await postWebhook(url, textFrom('15550100006', 'Twice Tess', 'after the replay'), SECRET)).status).toBe(200);
      const card = await waitForCardOf(h, 'Twice Tess');
      // Posts keep arrival order, so once the later message shows, a second copy would already be there.
      await waitForReply(h, card.ts, 'after the replay');
      expect(countOf(threadText(h, card.ts), 'only once please')).toBe(1);
    });

    it('stores every item of a batch, each customer in their own thread in order, keeping what it cannot use', async () => {
      const ana = { waId: '15550100007', name: 'Batch Ana' };
      const ben = { waId: '15550100008', name: 'Batch Ben' };
      const unknownStatus = newWamid();
      // One change for two customers whose contacts are listed in the other order (paired by id, §2.2).
      const shared = buildMessageWebhook({ ...DEFAULT_BUSINESS_NUMBER, contact: ben, messages: [] });
      const value = shared.entry[0]!.changes[0]!.value;
      value.contacts = [
        { profile: { name: ben.name }, wa_id: ben.waId },
        { profile: { name: ana.name }, wa_id: ana.waId },
      ];
      const anaOne = textMessage({ from: ana.waId, body: 'ana one' });
      value.messages = [
        anaOne,
        textMessage({ from: ben.waId, body: 'ben one' }),
        // An image without its image object: malformed, shown as something that arrived, and it must not sink its
        // neighbours.
        { from: ana.waId, id: newWamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'image' },
        // A message with no id at all cannot be stored as a message: it is kept raw.
        { from: ana.waId, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'no id' } },
        // The same message twice in one POST is still one message.
        anaOne,
        textMessage({ from: ana.waId, body: 'ana two' }),
      ];
      // Three entries; the first and last carry two changes each (reference/whatsapp.md §1.3: read every one).
      const errors = buildErrorsWebhook({ ...DEFAULT_BUSINESS_NUMBER, errors: [{ code: 130429, title: 'Rate limit hit' }] });
      errors.entry[0]!.changes.push({ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } });
      const batch = buildBatchWebhook([
        buildBatchWebhook([shared, statusOf(unknownStatus, 'delivered', ana.waId)], 'changes'),
        textFrom(ben.waId, ben.name, 'ben two'),
        errors,
      ]);
      expect(batch.entry.map((e) => e.changes.length)).toEqual([2, 1, 2]);
      const keptBefore = (await listKeptEvents(h)).length;

      const res = await postWebhook(url, batch, SECRET);
      expect(res.status).toBe(200);
      await waitForIngested(h);

      const kept = (await listKeptEvents(h)).slice(keptBefore);
      expect(kept.map((e) => e.field).sort()).toEqual(['account_update', 'messages', 'messages']);
      expect(kept.map((e) => e.reason).join(' | ')).toMatch(/id/);
      expect(kept.map((e) => e.reason).join(' | ')).toMatch(/130429/);
      expect(await listStatusRows(h, unknownStatus)).toHaveLength(1);

      const anaCard = await waitForCardOf(h, ana.name);
      const benCard = await waitForCardOf(h, ben.name);
      await waitForReply(h, anaCard.ts, 'ana two');
      expect(threadText(h, anaCard.ts)).toMatch(/image/);
      await waitForReply(h, benCard.ts, 'ben two');
      const anaThread = threadText(h, anaCard.ts);
      const benThread = threadText(h, benCard.ts);
      expect(anaThread.indexOf('ana one')).toBeLessThan(anaThread.indexOf('ana two'));
      expect(benThread.indexOf('ben one')).toBeLessThan(benThread.indexOf('ben two'));
      expect(countOf(anaThread, 'ana one')).toBe(1);
      expect(anaThread).not.toContain('ben');
      expect(benThread).not.toContain('ana');
    });

    it('keeps an unknown field and a value-level error and answers 200', async () => {
      const keptBefore = (await listKeptEvents(h)).length;
      const unknownField = {
        object: 'whatsapp_business_account',
        entry: [{ id: DEFAULT_BUSINESS_NUMBER.wabaId, changes: [{ field: 'account_update', value: { event: 'ACCOUNT_VIOLATION' } }] }],
      };
      expect((await postWebhook(url, unknownField, SECRET)).status).toBe(200);
      const errors = buildErrorsWebhook({ ...DEFAULT_BUSINESS_NUMBER, errors: [{ code: 131000, title: 'Something went wrong' }] });
      expect((await postWebhook(url, errors, SECRET)).status).toBe(200);
      await waitForIngested(h);
      const kept = (await listKeptEvents(h)).slice(keptBefore);
      expect(kept).toEqual([
        expect.objectContaining({ field: 'account_update', payload: expect.objectContaining({ field: 'account_update' }) }),
        expect.objectContaining({ field: 'messages', reason: 'error 131000' }),
      ]);
    });
  });

  describe('statuses', () => {
    it('stores a status for a message we never sent and answers 200', async () => {
      const wamid = newWamid();
      expect((await postWebhook(url, statusOf(wamid, 'read', '15550100009'), SECRET)).status).toBe(200);
      await waitForIngested(h);
      expect(await listStatusRows(h, wamid)).toEqual([expect.objectContaining({ status: 'read', applied: 0 })]);
    });

    it('treats a redelivered status as a no-op', async () => {
      const wamid = newWamid();
      const body = serializeLikeMeta(statusOf(wamid, 'sent', '15550100010'));
      expect((await postWebhook(url, body, SECRET)).status).toBe(200);
      await waitForIngested(h);
      const before = await countStoredRows(h);
      expect((await postWebhook(url, body, SECRET)).status).toBe(200);
      await waitForIngested(h);
      // The POST itself is stored again (Meta's retry is acknowledged durably); ingesting it changes nothing.
      expect(await countStoredRows(h)).toEqual({ ...before, inbox: before.inbox + 1 });
      expect(await listStatusRows(h, wamid)).toHaveLength(1);
    });
  });
});
