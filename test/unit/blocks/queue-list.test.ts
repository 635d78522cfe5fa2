import { buildQueueList, type QueueGroupView, type QueueListInput, type QueueRowView } from '../../../blocks/queue-list';
import { ActionIds } from '../../../src/ids';
import { MARKUP_NAME, allText, findLiteralBold, listLimitViolations, listSlackTokens } from './slack-limits';

const now = new Date('2026-11-24T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

function row(id: number, overrides: Partial<QueueRowView> = {}): QueueRowView {
  return {
    conversationId: id,
    customer: { name: `Customer ${id}`, phone: '15550002222' },
    state: 'unassigned',
    waitingSince: hoursAgo(2),
    window: { open: true, closesAt: new Date(now.getTime() + 40 * 60_000) },
    permalink: `https://acme.slack.com/archives/C0INBOX/p17000000000000${id}`,
    ...overrides,
  };
}

function group(state: QueueGroupView['state'], count: number, rows = count): QueueGroupView {
  return { state, count, rows: Array.from({ length: rows }, (_, i) => row(i + 1 + (state === 'unassigned' ? 0 : state === 'waiting_on_agent' ? 100 : 200), { state, ownerId: state === 'unassigned' ? undefined : 'U0BRUNO' })) };
}

function input(groups: QueueGroupView[], overrides: Partial<QueueListInput> = {}): QueueListInput {
  return { titleMrkdwn: 'All open conversations', showOwner: true, groups, now, ...overrides };
}

describe('buildQueueList', () => {
  it('shows counts per state, each row with its age, window and a link to the thread', () => {
    const message = buildQueueList(input([group('unassigned', 1), group('waiting_on_agent', 2), group('waiting_on_customer', 0)]));
    const text = allText(message);
    expect(message.text).toBe('All open conversations: 3 open (1 unassigned  ·  2 waiting on agent  ·  0 waiting on customer)');
    expect(text).toContain('*Unassigned* (1)');
    expect(text).toContain('*Waiting on agent* (2)');
    expect(text).not.toContain('*Waiting on customer*');
    expect(text).toContain('waiting 2 h');
    expect(text).toContain('window closes in 40 min');
    expect(listSlackTokens(message)).toContain('<https://acme.slack.com/archives/C0INBOX/p170000000000001|*Customer 1*>');
    expect(listLimitViolations(message)).toEqual([]);
  });

  it('shows a name full of mrkdwn characters as written, bold once, instead of as formatting', () => {
    const message = buildQueueList(input([{ state: 'unassigned', count: 1, rows: [row(1, { customer: { name: MARKUP_NAME } })] }]));
    const labels = findLiteralBold(message, /Star.*Shop.*Co.*Sons/);
    expect(labels).toHaveLength(1);
    expect(labels[0]).not.toMatch(/[*_~`<>]/);
    expect(labels[0]).toContain('&lt;b&gt; &amp; Sons');
    expect(labels[0]?.replace(/[\u2217\u02CD\u223C\u02CB]/g, (c) => ({ '\u2217': '*', '\u02CD': '_', '\u223C': '~', '\u02CB': '`' })[c] ?? c)).toBe(
      '*Star* _Shop_ ~Co~ `x` &lt;b&gt; &amp; Sons',
    );
  });

  it('offers Claim only on rows nobody owns, carrying the conversation id', () => {
    const message = buildQueueList(input([group('unassigned', 1), group('waiting_on_agent', 1)]));
    const buttons = message.blocks.flatMap((b) => ('accessory' in b && b.accessory ? [b.accessory as { action_id: string; value: string }] : []));
    expect(buttons).toEqual([expect.objectContaining({ action_id: ActionIds.queueClaim, value: '1' })]);
  });

  it('names the owner in shared views and leaves it out of one person’s own list', () => {
    const shared = allText(buildQueueList(input([group('waiting_on_agent', 1)])));
    const own = allText(buildQueueList(input([group('waiting_on_agent', 1)], { showOwner: false, titleMrkdwn: 'Your open conversations' })));
    expect(shared).toContain('<@U0BRUNO>');
    expect(own).not.toContain('<@U0BRUNO>');
  });

  it('words the customer’s turn as the time since the last reply, and a closed window as closed', () => {
    const waiting = row(7, { state: 'waiting_on_customer', ownerId: 'U0ANA', waitingSince: hoursAgo(30), window: { open: false, closesAt: hoursAgo(6) } });
    const text = allText(buildQueueList(input([{ state: 'waiting_on_customer', count: 1, rows: [waiting] }])));
    expect(text).toContain('last reply 30 h ago');
    expect(text).toContain('window closed');
  });

  it('escapes customer names and shows rows without a thread as plain text', () => {
    const odd = row(9, { customer: { name: '<!channel> & co' }, permalink: undefined });
    const message = buildQueueList(input([{ state: 'unassigned', count: 1, rows: [odd] }]));
    expect(allText(message)).toContain('*&lt;!channel&gt; &amp; co*');
    expect(listSlackTokens(message).some((t) => t.includes('!channel'))).toBe(false);
  });

  it('stays within 50 blocks with three full groups and counts what it leaves out as "+N more"', () => {
    const message = buildQueueList(input([group('unassigned', 300, 14), group('waiting_on_agent', 90, 14), group('waiting_on_customer', 15, 14)]));
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(listLimitViolations(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('+286 more, oldest shown first');
    expect(text).toContain('+76 more, oldest shown first');
    expect(text).toContain('+1 more, oldest shown first');
  });

  it('gives rows out in group order when more are passed than fit, still under 50 blocks', () => {
    const message = buildQueueList(input([group('unassigned', 60, 60), group('waiting_on_agent', 5, 5)]));
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const text = allText(message);
    expect(text).toContain('*Waiting on agent* (5)');
    expect(text).toContain('+5 more, oldest shown first');
    expect(listLimitViolations(message)).toEqual([]);
  });

  it('says when nothing is open', () => {
    const message = buildQueueList(input([group('unassigned', 0)], { titleMrkdwn: 'Your open conversations' }));
    expect(allText(message)).toContain('Nothing open here.');
    expect(message.text).toBe('Your open conversations: nothing open');
  });
});
