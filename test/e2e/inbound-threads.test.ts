import { ManualClock } from '../../src/clock';
import { ActionIds } from '../../src/ids';
import {
  DEFAULT_BUSINESS_NUMBER,
  buildMessageWebhook,
  newWamid,
  postWebhook,
  systemMessage,
  unixSeconds,
} from '../../src/emulators/whatsapp-webhooks';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { findCard, repliesUnder, threadText, waitForCardOf, waitForReply } from '../helpers/inbound';
import { waitFor } from '../helpers/wait';

/** A window-only card change waits this long by design (src/services/ingest.ts); state changes do not. */
const DEFERRED_CARD_MS = 60_000;
const DAY_SECONDS = 24 * 60 * 60;

describe('conversations become threads', () => {
  let h: Harness;
  // The app's clock starts at the real time (webhook timestamps are real) and is moved by hand to pass the deferral.
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    h = await startHarness({ clock });
  });
  afterAll(async () => {
    await h.close();
  });

  const updatesOf = (ts: string) => h.slack.callsTo('chat.update').filter((c) => c.params.ts === ts && c.status === 200);
  const cardBlocks = (ts: string) => JSON.stringify(h.slack.message(INBOX, ts)?.blocks ?? []);
  const cardsNaming = (name: string) => h.cards().filter((c) => c.text.includes(name));
  const minutesAgo = (minutes: number) => new Date(clock.now().getTime() - minutes * 60_000);
  const windowUntil = (sentAt: Date) => `open until <!date^${Number(unixSeconds(sentAt)) + DAY_SECONDS}^`;

  /** A text sent at a chosen time and/or with a known wamid (a quote or reaction target). */
  const write = (from: string, name: string, body: string, opts: { at?: Date; id?: string } = {}) =>
    h.graph.customerSends({
      from,
      name,
      message: {
        type: 'text',
        text: { body },
        ...(opts.at ? { timestamp: unixSeconds(opts.at) } : {}),
        ...(opts.id ? { id: opts.id } : {}),
      },
    });
  const react = (from: string, name: string, messageId: string, emoji: string) =>
    h.graph.customerSends({ from, name, message: { type: 'reaction', reaction: { message_id: messageId, emoji } } });
  /** WhatsApp writes system messages; they carry no contacts[] (reference/whatsapp.md §2.4). */
  const postSystemMessage = async (message: Record<string, unknown>) => {
    const payload = buildMessageWebhook({ ...DEFAULT_BUSINESS_NUMBER, contact: {}, messages: [message] });
    delete payload.entry[0]!.changes[0]!.value.contacts;
    return postWebhook(h.graph.webhookUrl!, payload, h.graph.appSecret);
  };
  const claimAndReply = async (cardTs: string, text: string) => {
    await h.slack.clickButton({ user: 'U0ANA', actionId: ActionIds.claim, channel: INBOX, messageTs: cardTs });
    await waitFor('the claimed card', () => cardBlocks(cardTs).includes('<@U0ANA>'));
    await h.slack.userPosts({ user: 'U0ANA', channel: INBOX, threadTs: cardTs, text });
    await waitFor('the card waiting on the customer', () => cardBlocks(cardTs).includes('Waiting on customer'));
  };
  const resolve = async (cardTs: string) => {
    await h.slack.clickButton({ user: 'U0ANA', actionId: ActionIds.resolve, channel: INBOX, messageTs: cardTs });
    await waitFor('the resolved card', () => cardBlocks(cardTs).includes('Closed'));
  };

  it('keeps one thread for a customer who writes twice', async () => {
    await h.graph.customerSends({ from: '15550200001', name: 'Twice Tom', text: 'first from tom' });
    await h.graph.customerSends({ from: '15550200001', name: 'Twice Tom', text: 'second from tom' });
    const card = await waitForCardOf(h, 'Twice Tom');
    await waitForReply(h, card.ts, 'second from tom');
    expect(cardsNaming('Twice Tom')).toHaveLength(1);
    expect(threadText(h, card.ts)).toContain('first from tom');
  });

  it('opens a thread per customer', async () => {
    await h.graph.customerSends({ from: '15550200002', name: 'Uma One', text: 'uma writes' });
    await h.graph.customerSends({ from: '15550200003', name: 'Vic Two', text: 'vic writes' });
    const uma = await waitForCardOf(h, 'Uma One');
    const vic = await waitForCardOf(h, 'Vic Two');
    expect(uma.ts).not.toBe(vic.ts);
    await waitForReply(h, uma.ts, 'uma writes');
    await waitForReply(h, vic.ts, 'vic writes');
    expect(threadText(h, uma.ts)).not.toContain('vic writes');
    expect(threadText(h, vic.ts)).not.toContain('uma writes');
  });

  it('gives a username-only customer a thread and keeps it when they later arrive with a phone number', async () => {
    const bsuid = 'US.7300000000000000777';
    await h.graph.customerSends({ userId: bsuid, username: 'wren.makes', name: 'Wren', text: 'no phone here' });
    const card = await waitForCardOf(h, 'Wren');
    expect(card.text).toContain('@wren.makes');
    expect(cardBlocks(card.ts)).toContain('@wren.makes');
    const first = await waitForReply(h, card.ts, 'no phone here');
    expect(first.username).toBe('Wren');

    await h.graph.customerSends({ from: '15550200004', userId: bsuid, username: 'wren.makes', name: 'Wren', text: 'with a phone' });
    await waitForReply(h, card.ts, 'with a phone');
    expect(cardsNaming('Wren')).toHaveLength(1);

    clock.advance(DEFERRED_CARD_MS + 1_000);
    await waitFor('the card to show the phone', () => cardBlocks(card.ts).includes('+1 555-020-0004'));
  });

  it('posts a burst of ten messages in order', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `burst message ${String(i).padStart(2, '0')}`);
    for (const text of texts) await h.graph.customerSends({ from: '15550200005', name: 'Burst Bea', text });
    const card = await waitForCardOf(h, 'Burst Bea');
    await waitForReply(h, card.ts, texts[9]!);
    const thread = threadText(h, card.ts);
    const positions = texts.map((t) => thread.indexOf(t));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const text of texts) expect(thread.split(text)).toHaveLength(2);
  });

  it('shows who the customer is, Unassigned, the 24-hour window and a Claim button on the card', async () => {
    const sentAt = minutesAgo(2);
    await write('15550200006', 'Card Cleo', 'hello card', { at: sentAt });
    const card = await waitForCardOf(h, 'Card Cleo');
    const blocks = cardBlocks(card.ts);
    expect(blocks).toContain('Card Cleo');
    expect(blocks).toContain('+1 555-020-0006');
    expect(blocks).toContain('Unassigned');
    expect(blocks).toContain(windowUntil(sentAt));
    expect(blocks).toContain(`"action_id":"${ActionIds.claim}"`);
    expect(blocks).toMatch(/"text":\{"type":"plain_text","text":"Claim"/);
  });

  it('updates the card after more messages, deferring a change that only moves the window', async () => {
    await write('15550200007', 'Later Lou', 'lou first', { at: minutesAgo(5) });
    const card = await waitForCardOf(h, 'Later Lou');
    await waitForReply(h, card.ts, 'lou first');
    const secondAt = clock.now();
    await write('15550200007', 'Later Lou', 'lou second', { at: secondAt });
    await waitForReply(h, card.ts, 'lou second');
    expect(updatesOf(card.ts)).toHaveLength(0);

    clock.advance(DEFERRED_CARD_MS + 1_000);
    const [update] = await waitFor('chat.update of the card', () => (updatesOf(card.ts).length > 0 ? updatesOf(card.ts) : undefined));
    expect(JSON.stringify(update?.params.blocks)).toContain(windowUntil(secondAt));
  });

  it('redraws the card at once when a customer message changes the state', async () => {
    await h.graph.customerSends({ from: '15550200008', name: 'State Sam', text: 'sam asks' });
    const card = await waitForCardOf(h, 'State Sam');
    await waitForReply(h, card.ts, 'sam asks');
    await claimAndReply(card.ts, 'Happy to help!');

    await h.graph.customerSends({ from: '15550200008', name: 'State Sam', text: 'sam answers' });
    await waitForReply(h, card.ts, 'sam answers');
    await waitFor('the card waiting on the agent', () => cardBlocks(card.ts).includes('Waiting on agent'));
    expect(repliesUnder(h, card.ts).length).toBeGreaterThanOrEqual(3);
    expect(findCard(h, 'State Sam')?.ts).toBe(card.ts);
  });

  it('keeps the thread through a number change, which is WhatsApp’s notice and leaves the turn and the window alone', async () => {
    const oldNumber = '15550200009';
    const newNumber = '15550200010';
    const firstAt = minutesAgo(10);
    await write(oldNumber, 'Nico Moves', 'nico asks', { at: firstAt });
    const card = await waitForCardOf(h, 'Nico Moves');
    await waitForReply(h, card.ts, 'nico asks');
    await claimAndReply(card.ts, 'Sent it today.');

    const body = `User Nico changed from ${oldNumber} to ${newNumber}`;
    const system = systemMessage({ from: oldNumber, systemType: 'user_changed_number', body, newWaId: newNumber });
    expect((await postSystemMessage(system)).status).toBe(200);
    await waitForReply(h, card.ts, 'changed their phone number');
    await waitFor('the card showing the new number', () => cardBlocks(card.ts).includes('+1 555-020-0010'));
    expect(cardBlocks(card.ts)).toContain('Waiting on customer');
    expect(cardBlocks(card.ts)).toContain(windowUntil(firstAt));

    await write(newNumber, 'Nico Moves', 'nico from the new phone');
    await waitForReply(h, card.ts, 'nico from the new phone');
    expect(cardsNaming('Nico Moves')).toHaveLength(1);
  });

  it('links the two threads when the first message from a new number beats WhatsApp’s number-change notice', async () => {
    const oldNumber = '15550200013';
    const newNumber = '15550200014';
    await write(oldNumber, 'Rita Races', 'rita asks');
    const oldCard = await waitForCardOf(h, 'Rita Races');
    await waitForReply(h, oldCard.ts, 'rita asks');
    await claimAndReply(oldCard.ts, 'Checking your order.');
    // Meta does not order webhooks: the new phone's first message arrives first and opens a thread of its own.
    await write(newNumber, 'Rita Races', 'rita from the new phone');
    const newCard = await waitFor('a second thread', () => cardsNaming('Rita Races').find((c) => c.ts !== oldCard.ts));
    await waitForReply(h, newCard.ts, 'rita from the new phone');

    const body = `User Rita changed from ${oldNumber} to ${newNumber}`;
    const system = systemMessage({ from: oldNumber, systemType: 'user_changed_number', body, newWaId: newNumber });
    expect((await postSystemMessage(system)).status).toBe(200);

    const pointer = await waitForReply(h, oldCard.ts, 'continues in another thread');
    expect(pointer.text).toContain('+1 555-020-0014');
    expect(pointer.text).toContain(`p${newCard.ts.replace('.', '')}`);
    const back = await waitForReply(h, newCard.ts, 'wrote before from their previous one');
    expect(back.text).toContain(`p${oldCard.ts.replace('.', '')}`);
    // The old conversation keeps its owner and history; nothing was merged away.
    expect(cardBlocks(oldCard.ts)).toContain('<@U0ANA>');
    expect(cardsNaming('Rita Races')).toHaveLength(2);
  });

  it('keeps the thread of a username-only customer whose business-scoped id is regenerated', async () => {
    const oldId = 'US.7300000000000000888';
    const newId = 'US.7300000000000000999';
    await h.graph.customerSends({ userId: oldId, username: 'ida.knits', name: 'Ida', text: 'ida before' });
    const card = await waitForCardOf(h, 'Ida');
    await waitForReply(h, card.ts, 'ida before');

    // A number change regenerates the BSUID and says so in a user_changed_user_id system message (whatsapp.md §6).
    const body = "User Ida's business-scoped user ID changed";
    const system = systemMessage({ fromUserId: oldId, systemType: 'user_changed_user_id', body, newUserId: newId });
    expect((await postSystemMessage(system)).status).toBe(200);
    await waitForReply(h, card.ts, 'changed their WhatsApp account');

    await h.graph.customerSends({ userId: newId, username: 'ida.knits', name: 'Ida', text: 'ida after' });
    await waitForReply(h, card.ts, 'ida after');
    expect(cardsNaming('Ida')).toHaveLength(1);
  });

  it('shows a reaction that comes after the conversation was resolved on the old thread, opening no new one', async () => {
    const thanks = newWamid();
    await write('15550200011', 'Thankful Theo', 'theo says thanks', { id: thanks });
    const card = await waitForCardOf(h, 'Thankful Theo');
    const post = await waitForReply(h, card.ts, 'theo says thanks');
    await resolve(card.ts);

    await react('15550200011', 'Thankful Theo', thanks, '🙏');
    await waitFor('the reaction on the old post', () => h.slack.message(INBOX, post.ts)?.text.includes('reacted 🙏'));
    expect(cardsNaming('Thankful Theo')).toHaveLength(1);
    expect(cardBlocks(card.ts)).toContain('Closed');
  });

  it('shows a reaction to a message of an earlier conversation on its post and keeps the new thread flowing', async () => {
    const old = newWamid();
    await write('15550200012', 'Again Ava', 'ava first visit', { id: old });
    const firstCard = await waitForCardOf(h, 'Again Ava');
    const oldPost = await waitForReply(h, firstCard.ts, 'ava first visit');
    await resolve(firstCard.ts);

    await write('15550200012', 'Again Ava', 'ava second visit');
    const secondCard = await waitFor('the second card', () => cardsNaming('Again Ava')[1]);
    await waitForReply(h, secondCard.ts, 'ava second visit');
    await react('15550200012', 'Again Ava', old, '❤️');
    await write('15550200012', 'Again Ava', 'ava after the reaction');

    await waitFor('the reaction on the old post', () => h.slack.message(INBOX, oldPost.ts)?.text.includes('reacted ❤️'));
    await waitForReply(h, secondCard.ts, 'ava after the reaction');
  });
});
