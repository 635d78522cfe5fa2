import { randomBytes } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { webhookInbox } from '../../db/schema';
import { MAX_INBOX_ATTEMPTS } from '../../src/queue/inbox-processor';
import {
  DEFAULT_BUSINESS_NUMBER,
  buildBatchWebhook,
  buildMessageWebhook,
  newWamid,
  postWebhook,
  textMessage,
} from '../../src/emulators/whatsapp-webhooks';
import { NUL_MARKER, SURROGATE_MARKER } from '../../src/pg-safe';
import { runCommand } from '../helpers/commands';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { findCard, listKeptEvents, threadText, waitForCardOf, waitForIngested, waitForReply } from '../helpers/inbound';
import { waitFor } from '../helpers/wait';

const SECRET = 'test-app-secret';
const ADMIN = 'U0CARLA';

/** The inbox processor must never stop for one row (issue 7): bad input is data, and a row that keeps failing is parked. */
describe('the inbox never stalls', () => {
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
    url = `${h.app.url}/webhooks/whatsapp`;
  });
  afterAll(async () => {
    await h.close();
  });

  const textFrom = (waId: string, name: string, body: string, id = newWamid()) =>
    buildMessageWebhook({ ...DEFAULT_BUSINESS_NUMBER, contact: { waId, name }, messages: [textMessage({ from: waId, id, body })] });

  it('shows a NUL in a profile name and a lone surrogate in a text with visible markers, and keeps flowing', async () => {
    expect((await postWebhook(url, textFrom('15550300001', 'Ann\u0000ie', 'hello \ud800 there'), SECRET)).status).toBe(200);
    expect((await postWebhook(url, textFrom('15550300002', 'Bob Later', 'after the poison'), SECRET)).status).toBe(200);
    const bob = await waitForCardOf(h, 'Bob Later');
    await waitForReply(h, bob.ts, 'after the poison');
    const annie = await waitForCardOf(h, `Ann${NUL_MARKER}ie`);
    await waitForReply(h, annie.ts, `hello ${SURROGATE_MARKER} there`);
  });

  it('keeps the raw bytes of the POST exactly as they arrived', async () => {
    const raw = JSON.stringify(textFrom('15550300003', 'Raw\u0000Bytes', 'kept \udc00 as sent'));
    expect((await postWebhook(url, raw, SECRET)).status).toBe(200);
    await waitForIngested(h);
    const [row] = await h.app.deps.db.select({ raw: webhookInbox.raw }).from(webhookInbox).orderBy(desc(webhookInbox.id)).limit(1);
    expect(row?.raw.equals(Buffer.from(raw, 'utf8'))).toBe(true);
  });

  it('ingests and shows the good items of a batch when one item cannot be stored, and shows the bad one as unreadable', async () => {
    // A wamid far beyond what a btree index entry can hold (2,704 bytes): the message row itself cannot be written.
    const hugeId = `wamid.${randomBytes(9000).toString('base64')}`;
    const batch = buildBatchWebhook([
      textFrom('15550300010', 'Batch Before', 'first of the batch'),
      textFrom('15550300011', 'Batch Broken', 'never storable', hugeId),
      { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { ...valueOf(DEFAULT_BUSINESS_NUMBER), messages: [null] } }] }] },
      textFrom('15550300012', 'Batch After', 'last of the batch'),
    ]);
    const keptBefore = (await listKeptEvents(h)).length;
    expect((await postWebhook(url, batch, SECRET)).status).toBe(200);
    await waitForReply(h, (await waitForCardOf(h, 'Batch Before')).ts, 'first of the batch');
    await waitForReply(h, (await waitForCardOf(h, 'Batch After')).ts, 'last of the batch');
    const broken = await waitForCardOf(h, 'Batch Broken');
    await waitForReply(h, broken.ts, 'could not read');
    const kept = (await listKeptEvents(h)).slice(keptBefore);
    expect(kept.map((k) => k.reason).join(' | ')).toMatch(/message is not an object/);
  });

  it('parks a row the database keeps refusing, says so in the channel, counts it, and lets an admin retry it', async () => {
    const db = h.app.deps.db;
    // Stands in for any row that fails every time (a bug, a constraint): the database refuses to mark it ingested.
    await db.execute(sql.raw(`
      create or replace function refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.state = 'done' and convert_from(new.raw, 'UTF8') like '%POISON-ROW%' then
          raise exception 'refused row % with text %', new.id, convert_from(new.raw, 'UTF8');
        end if;
        return new;
      end $$`));
    await db.execute(sql.raw('create trigger refuse_poison before update on webhook_inbox for each row execute function refuse_poison()'));
    try {
      expect((await postWebhook(url, textFrom('15550300020', 'Poison Pat', 'POISON-ROW \u0000 here'), SECRET)).status).toBe(200);
      expect((await postWebhook(url, textFrom('15550300021', 'Healthy Hal', 'behind the poison'), SECRET)).status).toBe(200);
      await waitForReply(h, (await waitForCardOf(h, 'Healthy Hal')).ts, 'behind the poison');
      const notice = await waitFor('the parked notice', () => h.slack.messages(INBOX).find((m) => /could not be ingested/.test(m.text)), 20_000);
      expect(notice.thread_ts === undefined || notice.thread_ts === notice.ts).toBe(true);
      expect(findCard(h, 'Poison Pat')).toBeUndefined();
      const metrics = await (await fetch(`${h.app.url}/metrics`)).text();
      expect(metrics).toMatch(/^threadline_inbox_parked_rows 1$/m);
      const parked = await db.select().from(webhookInbox).where(eq(webhookInbox.state, 'parked'));
      expect(parked).toHaveLength(1);
      expect(parked[0]!.attempts).toBe(MAX_INBOX_ATTEMPTS);
      expect(parked[0]!.lastError).toContain('refused row');
    } finally {
      await db.execute(sql.raw('drop trigger refuse_poison on webhook_inbox'));
      await db.execute(sql.raw('drop function refuse_poison()'));
    }
    const reply = await runCommand(h, ADMIN, '/threadline', 'inbox retry all');
    expect(reply.rendered).toMatch(/1 parked/);
    const pat = await waitForCardOf(h, 'Poison Pat');
    await waitForReply(h, pat.ts, `POISON-ROW ${NUL_MARKER} here`);
    expect(threadText(h, pat.ts)).not.toContain('\u0000');
    const after = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(after).toMatch(/^threadline_inbox_parked_rows 0$/m);
  });
});

function valueOf(number: { phoneNumberId: string; displayPhoneNumber: string }) {
  return { messaging_product: 'whatsapp', metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId } };
}
