import {
  buildHandedAwayDm,
  buildHandoffDm,
  buildHandoffSkippedDm,
  buildMovedCard,
  buildMoveSummary,
  describeHandoffNotice,
  describeMovedNotice,
  quoteNote,
} from '../../../blocks/handoff-summary';
import { listLimitViolations } from './slack-limits';

const NOW = new Date('2026-11-24T10:00:00Z');

describe('handoff lines and summaries', () => {
  it('says who handed what to whom, and by whom when a manager did it', () => {
    expect(describeHandoffNotice({ fromUserId: 'U0ANA', actorId: 'U0ANA', target: { kind: 'user', userId: 'U0BRUNO' } })).toBe(
      '🔀 Handed off from <@U0ANA> to <@U0BRUNO>',
    );
    expect(describeHandoffNotice({ fromUserId: 'U0ANA', actorId: 'U0CARLA', target: { kind: 'pool' } })).toBe(
      '🔀 Handed off from <@U0ANA> to the pool (anyone can claim it) by <@U0CARLA>',
    );
    expect(describeHandoffNotice({ fromUserId: null, actorId: 'U0ANA', target: { kind: 'user', userId: 'U0BRUNO' } })).toBe(
      '🔀 Handed to <@U0BRUNO> by <@U0ANA>',
    );
  });

  it('quotes every line of the note and escapes what Slack would parse', () => {
    expect(quoteNote('first <!channel>\nsecond & more')).toBe('> first &lt;!channel&gt;\n> second &amp; more');
    expect(describeHandoffNotice({ fromUserId: 'U0ANA', actorId: 'U0ANA', target: { kind: 'pool' }, note: 'a\nb' })).toContain('\n> a\n> b');
  });

  it("the receiver's DM links each thread and shows its state, window and note", () => {
    const dm = buildHandoffDm({
      fromUserId: 'U0ANA',
      actorId: 'U0CARLA',
      now: NOW,
      items: [
        { customer: { name: 'Alice' }, state: 'waiting_on_agent', window: { open: true, closesAt: new Date(NOW.getTime() + 3 * 3600_000) }, note: 'quote sent', permalink: 'https://x.slack.com/archives/C1/p1' },
        { customer: { phone: '15550001111' }, state: 'waiting_on_customer', window: { open: false } },
      ],
    });
    const text = JSON.stringify(dm);
    expect(dm.text).toBe("<@U0CARLA> handed you <@U0ANA>'s 2 conversations.");
    expect(text).toContain('<https://x.slack.com/archives/C1/p1|*Alice*> — Waiting on agent · window closes in 3 h');
    expect(text).toContain('> quote sent');
    expect(text).toContain('+1 555-000-1111');
    expect(listLimitViolations(dm)).toEqual([]);
  });

  it('a DM for dozens of conversations stays within 50 blocks', () => {
    const items = Array.from({ length: 80 }, (_, i) => ({ customer: { name: `C${i}` }, state: 'unassigned' as const, window: { open: false } }));
    const dm = buildHandoffDm({ fromUserId: 'U0ANA', actorId: 'U0ANA', now: NOW, items });
    expect(listLimitViolations(dm)).toEqual([]);
    expect(JSON.stringify(dm)).toContain('+35 more');
  });

  it('tells the previous owner and the submitter what happened', () => {
    expect(buildHandedAwayDm({ actorId: 'U0CARLA', target: { kind: 'channel', channelId: 'C0SUPPORT01' }, count: 3 }).text).toBe(
      '<@U0CARLA> handed 3 of your conversations to <#C0SUPPORT01>.',
    );
    const skipped = buildHandoffSkippedDm({ done: 1, skipped: [{ customer: { name: 'Bob' }, reason: 'it was resolved meanwhile' }] });
    expect(JSON.stringify(skipped)).toContain('*Bob*: it was resolved meanwhile');
    expect(skipped.text).toContain('1 conversation was not handed off (1 went through)');
  });

  it('the summary of a moved conversation carries the customer, recent messages, every note and the window', () => {
    const summary = buildMoveSummary({
      customer: { name: 'Pia', phone: '15550005004' },
      fromChannelId: 'C0SALES001',
      actorId: 'U0ANA',
      previousOwnerId: 'U0ANA',
      previousState: 'waiting_on_agent',
      window: { open: true, closesAt: new Date(NOW.getTime() + 20 * 3600_000) },
      openedAt: NOW,
      recent: [
        { fromCustomer: true, text: 'Do you ship <here>?', at: NOW },
        { fromCustomer: false, authorId: 'U0ANA', text: 'Yes', at: NOW },
      ],
      notes: Array.from({ length: 40 }, (_, i) => ({ authorId: 'U0ANA', body: `note ${i} `.repeat(60), at: NOW })),
      now: NOW,
    });
    const text = JSON.stringify(summary);
    expect(text).toContain('Moved here from <#C0SALES001> by <@U0ANA>');
    expect(text).toContain('Do you ship &lt;here&gt;?');
    expect(text).toContain('*Notes (40)*');
    expect(text).toContain('window closes in 20 h');
    expect(listLimitViolations(summary)).toEqual([]);
  });

  it('the old thread is told where the conversation went, and its card keeps no buttons', () => {
    expect(describeMovedNotice({ toChannelId: 'C0SUPPORT01', actorId: 'U0ANA' })).toContain('Moved to <#C0SUPPORT01> by <@U0ANA>');
    const card = buildMovedCard({ customer: { name: 'Pia' }, toChannelId: 'C0SUPPORT01', actorId: 'U0ANA', at: NOW });
    expect(card.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(listLimitViolations(card)).toEqual([]);
  });
});
