import { buildHeaderCard } from '../../../blocks/header-card';
import type { HeaderCardInput } from '../../../blocks/types';
import { ActionIds, cardBlockId, parseCardBlockId } from '../../../src/ids';
import { allText, listActionElements, listLimitViolations, listSlackTokens } from './slack-limits';

const now = new Date('2026-11-24T10:00:00Z');
const unix = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

function cardInput(overrides: Partial<HeaderCardInput> = {}): HeaderCardInput {
  return {
    conversationId: 42,
    cardVersion: 1,
    customer: { name: 'Alice', phone: '15550002222' },
    businessNumber: '15550783881',
    state: 'unassigned',
    window: { open: true, closesAt: new Date('2026-11-25T09:30:00Z') },
    openedAt: new Date('2026-11-24T09:30:00Z'),
    now,
    ...overrides,
  };
}

const owned = { state: 'waiting_on_agent' as const, ownerId: 'U1ANA', assignedReasonMrkdwn: 'on shift, fewest open' };

describe('buildHeaderCard', () => {
  it('has a fallback naming the customer, their number and the state', () => {
    expect(buildHeaderCard(cardInput()).text).toBe('WhatsApp conversation with Alice (+1 555-000-2222) — unassigned');
    expect(buildHeaderCard(cardInput(owned)).text).toBe(
      'WhatsApp conversation with Alice (+1 555-000-2222) — waiting on agent',
    );
  });

  it('names a customer with no profile name by their formatted number', () => {
    const card = buildHeaderCard(cardInput({ customer: { phone: '15550002222' } }));
    expect(card.blocks[0]).toMatchObject({ type: 'header', text: { text: '+1 555-000-2222' } });
    expect(card.text).toBe('WhatsApp conversation with +1 555-000-2222 — unassigned');
  });

  it('names a customer without a phone number by their username', () => {
    const card = buildHeaderCard(cardInput({ customer: { username: 'alice_w' } }));
    expect(card.blocks[0]).toMatchObject({ type: 'header', text: { text: '@alice_w' } });
    expect(card.text).toContain('@alice_w');
  });

  it('shows the business line the customer wrote to', () => {
    expect(allText(buildHeaderCard(cardInput()))).toContain('to +1 555-078-3881');
  });

  it.each([
    ['unassigned', 'Unassigned'],
    ['waiting_on_agent', 'Waiting on agent'],
    ['waiting_on_customer', 'Waiting on customer'],
    ['closed', 'Closed'],
  ] as const)('shows state %s as "%s"', (state, words) => {
    expect(allText(buildHeaderCard(cardInput({ state })))).toContain(`*State*\\n${words}`);
  });

  it('offers Claim, Resolve, Hand off and Reassign while unowned, with the conversation id', () => {
    const elements = listActionElements(buildHeaderCard(cardInput()));
    expect(elements.map((element) => element.action_id)).toEqual([
      ActionIds.claim,
      ActionIds.resolve,
      ActionIds.handoff,
      ActionIds.reassign,
    ]);
    expect(elements[0]).toMatchObject({ type: 'button', value: '42', style: 'primary', text: { text: 'Claim' } });
    expect(elements[1]).toMatchObject({ type: 'button', value: '42', text: { text: 'Resolve' } });
    expect(elements[1]?.confirm).toBeDefined();
    expect(elements[2]).toMatchObject({ type: 'button', value: '42', text: { text: 'Hand off' } });
    expect(elements[3]).toMatchObject({ type: 'users_select', placeholder: { text: 'Reassign…' } });
    expect(elements[3]).not.toHaveProperty('initial_user');
  });

  it('drops Claim once someone owns the conversation, keeps Hand off and preselects the owner in Reassign', () => {
    const elements = listActionElements(buildHeaderCard(cardInput(owned)));
    expect(elements.map((element) => element.action_id)).toEqual([ActionIds.resolve, ActionIds.handoff, ActionIds.reassign]);
    expect(elements[2]).toMatchObject({ type: 'users_select', initial_user: 'U1ANA' });
  });

  it('shows the owner and why they were assigned', () => {
    const text = allText(buildHeaderCard(cardInput(owned)));
    expect(text).toContain('*Owner*\\n<@U1ANA>');
    expect(text).toContain('assigned to <@U1ANA> — on shift, fewest open');
  });

  it('carries the conversation id and version in the actions block id, new for every version', () => {
    const first = buildHeaderCard(cardInput({ cardVersion: 1 }));
    const second = buildHeaderCard(cardInput({ cardVersion: 2 }));
    const blockId = (card: typeof first) => card.blocks.find((block) => block.type === 'actions')?.block_id;
    expect(blockId(first)).toBe(cardBlockId(42, 1));
    expect(blockId(second)).toBe(cardBlockId(42, 2));
    expect(parseCardBlockId(blockId(second) ?? '')).toBe(42);
  });

  it('has no actions once closed and says who closed it and when', () => {
    const card = buildHeaderCard(
      cardInput({ ...owned, state: 'closed', closedBy: 'U2BEN', closedAt: new Date('2026-11-24T11:00:00Z') }),
    );
    expect(card.blocks.some((block) => block.type === 'actions')).toBe(false);
    const closedAt = unix('2026-11-24T11:00:00Z');
    expect(allText(card)).toContain(
      `Closed by <@U2BEN> <!date^${closedAt}^{date_short_pretty} {time}|Nov 24, 2026 11:00 UTC>`,
    );
    expect(card.text).toContain('— closed');
  });

  it('shows an open window with its closing time as a date token with a UTC fallback', () => {
    const closesAt = unix('2026-11-25T09:30:00Z');
    expect(allText(buildHeaderCard(cardInput()))).toContain(
      `open until <!date^${closesAt}^{date_short_pretty} {time}|Nov 25, 2026 09:30 UTC>`,
    );
  });

  it('shows a closed window with when it closed', () => {
    const card = buildHeaderCard(cardInput({ window: { open: false, closedAt: new Date('2026-11-23T08:00:00Z') } }));
    expect(allText(card)).toContain(`closed since <!date^${unix('2026-11-23T08:00:00Z')}^`);
  });

  it('shows a window whose closing time has passed as closed', () => {
    const card = buildHeaderCard(
      cardInput({ window: { open: true, closesAt: new Date('2026-11-24T09:00:00Z') } }),
    );
    expect(allText(card)).toContain('*24-hour window*\\nclosed since');
  });

  it('links the earlier conversation with its closing day and last note', () => {
    const card = buildHeaderCard(
      cardInput({
        previous: {
          permalink: 'https://acme.slack.com/archives/C1/p1700000000000100',
          closedAt: new Date('2026-11-02T16:00:00Z'),
          lastNote: 'Refund sent <b> & confirmed',
        },
      }),
    );
    const text = allText(card);
    expect(text).toContain('<https://acme.slack.com/archives/C1/p1700000000000100|Earlier conversation>');
    expect(text).toContain(`(closed <!date^${unix('2026-11-02T16:00:00Z')}^{date_short_pretty}|Nov 2, 2026>)`);
    expect(text).toContain('Last note: Refund sent &lt;b&gt; &amp; confirmed');
  });

  it('shows a customer name that looks like a Slack command as inert text', () => {
    const card = buildHeaderCard(cardInput({ customer: { name: '<!channel> & co', phone: '15550002222' } }));
    expect(listSlackTokens(card).some((token) => token.startsWith('<!channel') || token.startsWith('<!here'))).toBe(
      false,
    );
    expect(card.text).toContain('&lt;!channel&gt; &amp; co');
    // The header is plain_text, which Slack never parses, so the name appears there as typed.
    expect(card.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: '<!channel> & co' } });
  });

  it('cuts a 200-character name to the header limit and stays within every limit', () => {
    const card = buildHeaderCard(cardInput({ ...owned, customer: { name: 'N'.repeat(200) }, assignedReasonMrkdwn: 'r'.repeat(5000) }));
    expect((card.blocks[0] as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(150);
    expect(listLimitViolations(card)).toEqual([]);
  });

  it.each(['unassigned', 'waiting_on_agent', 'waiting_on_customer', 'closed'] as const)(
    'stays within Slack limits in state %s',
    (state) => {
      expect(listLimitViolations(buildHeaderCard(cardInput({ state })))).toEqual([]);
    },
  );
});
