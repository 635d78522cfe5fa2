import {
  DEFAULT_BUSINESS_NUMBER,
  buildBatchWebhook,
  buildMessageWebhook,
  editMessage,
  mediaMessage,
  newWamid,
  postWebhook,
  revokeMessage,
  textMessage,
} from '../../src/emulators/whatsapp-webhooks';
import { eq } from 'drizzle-orm';
import { slackOutbox } from '../../db/schema';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { countOf, findStoredMessage, repliesUnder, threadText, waitForCardOf, waitForIngested, waitForReply } from '../helpers/inbound';
import { waitUntilQuiet } from '../helpers/quiescence';
import { waitFor } from '../helpers/wait';

const CUSTOMER = { from: '15550300077', name: 'Edit Eddie' };
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a tiny jpeg body')]);

/** The customer edits and deletes their own messages on a coexistence number (Meta's edit and revoke webhooks). */
describe('customer edits and deletions show on the mirrored messages', () => {
  let h: Harness;
  let cardTs: string;
  beforeAll(async () => {
    h = await startHarness();
    await h.graph.customerSends({ ...CUSTOMER, text: 'opening the edits thread' });
    cardTs = (await waitForCardOf(h, CUSTOMER.name)).ts;
    await waitForReply(h, cardTs, 'opening the edits thread');
  });
  afterAll(async () => {
    await h.close();
  });

  const send = (message: Record<string, unknown>) => h.graph.customerSends({ ...CUSTOMER, message });
  const updatesOf = (ts: string) => h.slack.callsTo('chat.update').filter((c) => c.params.ts === ts && c.status === 200);

  it('updates the post of an edited message in place, marked, with the first version kept', async () => {
    const original = newWamid();
    await send(textMessage({ id: original, body: 'I need 2 boxes' }));
    const post = await waitForReply(h, cardTs, 'I need 2 boxes');
    const repliesBefore = repliesUnder(h, cardTs).length;

    const edit = newWamid();
    await send(editMessage({ id: edit, originalId: original, body: 'I need 3 boxes' }));
    await waitFor('the edited post', () => h.slack.message(INBOX, post.ts)?.text.includes('I need 3 boxes'));
    const text = h.slack.message(INBOX, post.ts)!.text;
    expect(text).toContain('Edited by the customer');
    expect(text).toContain('was: I need 2 boxes');
    expect(updatesOf(post.ts)).toHaveLength(1);
    expect(repliesUnder(h, cardTs)).toHaveLength(repliesBefore);
    // Stored faithfully: the original keeps what was first sent, the edit row the new version.
    expect((await findStoredMessage(h, original))?.body).toBe('I need 2 boxes');
    expect(await findStoredMessage(h, edit)).toMatchObject({ kind: 'edit', body: 'I need 3 boxes', contextWaMessageId: original });
  });

  it('a redelivered edit changes nothing a second time', async () => {
    const original = newWamid();
    await send(textMessage({ id: original, body: 'meet at 5pm' }));
    const post = await waitForReply(h, cardTs, 'meet at 5pm');
    const edit = editMessage({ id: newWamid(), originalId: original, body: 'meet at 6pm' });
    await send(edit);
    await waitFor('the edit', () => updatesOf(post.ts).length === 1);
    await send(edit);
    await waitForIngested(h);
    await waitUntilQuiet(h);
    expect(updatesOf(post.ts)).toHaveLength(1);
    expect(h.slack.message(INBOX, post.ts)?.text).toContain('meet at 6pm');
  });

  it('marks a deleted message and keeps it for the team', async () => {
    const original = newWamid();
    await send(textMessage({ id: original, body: 'my address is 1 Main St' }));
    const post = await waitForReply(h, cardTs, 'my address is 1 Main St');
    const revoke = newWamid();
    await send(revokeMessage({ id: revoke, originalId: original }));
    await waitFor('the deleted mark', () => h.slack.message(INBOX, post.ts)?.text.includes('Deleted by the customer'));
    expect(h.slack.message(INBOX, post.ts)?.text).toContain('my address is 1 Main St');
    expect(await findStoredMessage(h, original)).toMatchObject({ body: 'my address is 1 Main St' });
    expect(await findStoredMessage(h, revoke)).toMatchObject({ kind: 'revoke', contextWaMessageId: original });
  });

  it('posts an edit of a message threadline does not have as a thread line with the new version', async () => {
    await send(editMessage({ originalId: 'wamid.NEVER_SEEN_BY_THREADLINE', body: 'sorry, I meant Tuesday' }));
    const notice = await waitForReply(h, cardTs, 'sorry, I meant Tuesday');
    expect(notice.text).toContain('edited a message threadline does not have');
    await send(revokeMessage({ originalId: 'wamid.ALSO_NEVER_SEEN' }));
    await waitForReply(h, cardTs, 'deleted a message threadline does not have');
  });

  it('an edit that arrives before its original in the same POST is shown on the original', async () => {
    const original = newWamid();
    const unknownBefore = countOf(threadText(h, cardTs), 'does not have');
    const contact = { waId: CUSTOMER.from, name: CUSTOMER.name };
    const batch = buildBatchWebhook([
      buildMessageWebhook({ ...DEFAULT_BUSINESS_NUMBER, contact, messages: [editMessage({ from: CUSTOMER.from, originalId: original, body: 'late fix: blue' })] }),
      buildMessageWebhook({ ...DEFAULT_BUSINESS_NUMBER, contact, messages: [textMessage({ from: CUSTOMER.from, id: original, body: 'early text: red' })] }),
    ]);
    expect((await postWebhook(`${h.app.url}/webhooks/whatsapp`, batch, h.graph.appSecret)).status).toBe(200);
    const post = await waitForReply(h, cardTs, 'late fix: blue');
    expect(post.text).toContain('Edited by the customer');
    expect(post.text).toContain('was: early text: red');
    await waitUntilQuiet(h);
    expect(countOf(threadText(h, cardTs), 'does not have')).toBe(unknownBefore);
  });

  it('tells the thread about an edit of a message whose own post Slack refused for good', async () => {
    const original = newWamid();
    h.slack.injectFault({ method: 'chat.postMessage', kind: 'ok_false', error: 'restricted_action', channel: INBOX });
    await send(textMessage({ id: original, body: 'refused first version' }));
    await waitFor('the post given up', async () => {
      const row = await findStoredMessage(h, original);
      if (!row) return false;
      const ops = await h.app.deps.db.select().from(slackOutbox).where(eq(slackOutbox.messageId, row.id));
      return ops.length > 0 && ops.every((op) => op.state === 'failed');
    });
    await send(editMessage({ originalId: original, body: 'accepted second version' }));
    const notice = await waitForReply(h, cardTs, 'accepted second version');
    expect(notice.text).toContain('“refused first version”');
  });

  it('tells the thread about a new caption on a photo, whose file post cannot be updated', async () => {
    const original = newWamid();
    const mediaId = h.graph.addMedia({ data: JPEG, mimeType: 'image/jpeg' });
    await send(mediaMessage('image', { id: original, mediaId, mimeType: 'image/jpeg', caption: 'the old caption' }));
    await waitFor('the photo', () => repliesUnder(h, cardTs).find((m) => m.upload && m.text.includes('the old caption')));
    await send(editMessage({ originalId: original, mediaType: 'image', mediaId, mimeType: 'image/jpeg', caption: 'the <!here> new caption' }));
    const notice = await waitForReply(h, cardTs, 'new caption');
    expect(notice.text).toContain('edited');
    expect(notice.text).toContain('“the old caption”');
    expect(notice.text + JSON.stringify(notice.blocks)).not.toContain('<!here>');
  });
});
