import { buildDigestMessage, buildSparkline, type DigestInput, formatDuration } from '../../../blocks/digest';
import { MARKUP_NAME, findLiteralBold, listLimitViolations } from './slack-limits';

const NOW = new Date('2026-11-24T08:00:00Z');
const MIN = 60_000;
const WINDOW_CLOSED = 'The 24-hour window is closed: the customer last wrote more than 24 hours ago.';

function digestInput(overrides: Partial<DigestInput> = {}): DigestInput {
  const item = (i: number) => ({ customer: { name: `Customer ${i}` }, at: new Date(NOW.getTime() - (i + 1) * 30 * MIN), permalink: `https://x.slack.com/p${i}` });
  return {
    dayLabel: 'Tuesday, 24 November 2026',
    timeZone: 'Europe/Berlin',
    now: NOW,
    open: { unassigned: 3, waiting_on_agent: 4, waiting_on_customer: 5 },
    opened: 9,
    resolved: 7,
    firstReply: { count: 8, medianMs: 4 * MIN, p90Ms: 75 * MIN, overTarget: 2, targetMinutes: 15 },
    pastTarget: { total: 2, items: [item(0), item(1)] },
    oldestUnassigned: { total: 12, items: [0, 1, 2, 3, 4].map(item) },
    closingSoon: { total: 1, items: [{ ...item(2), at: new Date(NOW.getTime() + 40 * MIN), ownerId: 'U0ANA' }], withinHours: 2 },
    load: [{ ownerId: 'U0ANA', open: 4, waitingOnAgent: 2 }],
    failed: { total: 3, byCode: [{ origin: 'Meta error 131047', explanation: WINDOW_CLOSED, count: 3 }] },
    volume: {
      counts: Array.from({ length: 24 }, (_, i) => (i === 5 ? 10 : i % 2)),
      hourLabels: Array.from({ length: 24 }, (_, i) => `${String((i + 9) % 24).padStart(2, '0')}:00${i + 9 < 24 ? ' yesterday' : ''}`),
    },
    chartAttached: true,
    ...overrides,
  };
}

describe('the digest message', () => {
  it('shows every number a manager asked for', () => {
    const text = JSON.stringify(buildDigestMessage(digestInput()));
    for (const expected of [
      'Daily digest — Tuesday, 24 November 2026',
      '*Open now: 12*',
      '3 unassigned · 4 waiting on agent · 5 waiting on customer',
      '9 new · 7 resolved',
      'median 4 min · p90 1 h 15 min (8 conversations)',
      '2 waiting past it now · 2 of the last 24 h',
      '*Failed deliveries (24 h)*\\n3',
      `• 3 × ${WINDOW_CLOSED} _(Meta error 131047)_`,
      '*Oldest unassigned* (12)',
      '<https://x.slack.com/p0|*Customer 0*> — waiting 30 min',
      '+7 more in /queue',
      'closes in 40 min, <@U0ANA>',
      '<@U0ANA> 4 open (2 waiting on them)',
      'from 09:00 yesterday to now',
      'busiest 14:00 yesterday (10). Chart in the thread.',
      'Times are in Europe/Berlin',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('lists customers whose names contain mrkdwn characters as written', () => {
    const odd = { customer: { name: MARKUP_NAME }, at: new Date(NOW.getTime() - 30 * MIN), permalink: 'https://x.slack.com/p9' };
    const labels = findLiteralBold(buildDigestMessage(digestInput({ oldestUnassigned: { total: 1, items: [odd] } })), /Star.*Shop.*Co.*Sons/);
    expect(labels).toHaveLength(1);
    expect(labels[0]).not.toMatch(/[*_~`<>]/);
  });

  it('stays within Slack limits and has a plain fallback', () => {
    const message = buildDigestMessage(digestInput());
    expect(listLimitViolations(message)).toEqual([]);
    expect(message.text).toContain('12 open (3 unassigned), 9 new and 7 resolved in 24 h');
  });

  it('a quiet day says so instead of showing empty lists', () => {
    const quiet = buildDigestMessage(
      digestInput({
        firstReply: { count: 0, medianMs: undefined, p90Ms: undefined, overTarget: 0, targetMinutes: 15 },
        pastTarget: { total: 0, items: [] },
        oldestUnassigned: { total: 0, items: [] },
        closingSoon: { total: 0, items: [], withinHours: 2 },
        load: [],
        failed: { total: 0, byCode: [] },
        volume: { counts: new Array<number>(24).fill(0), hourLabels: new Array<string>(24).fill('00') },
        chartAttached: false,
      }),
    );
    const text = JSON.stringify(quiet);
    expect(text).toContain('no first replies');
    expect(text).toContain('None.');
    expect(text).not.toContain('Oldest unassigned');
    expect(text).toContain('*Failed deliveries (24 h)*\\n0');
    expect(text).not.toContain('Why deliveries failed');
    expect(listLimitViolations(quiet)).toEqual([]);
  });

  it('explains failed deliveries in plain words with the code, the three most frequent, then how many more', () => {
    const kind = (code: string, count: number, explanation = `Explanation of ${code}.`) => ({ origin: `Meta error ${code}`, explanation, count });
    const message = buildDigestMessage(
      digestInput({
        failed: { total: 10, byCode: [kind('131047', 4), kind('131026', 3), kind('99999', 1, 'WhatsApp returned error 99999 (<b>odd</b>).'), kind('131051', 1), kind('?', 1)] },
      }),
    );
    const text = JSON.stringify(message);
    expect(text).toContain('*Failed deliveries (24 h)*\\n10');
    expect(text).toContain('• 4 × Explanation of 131047. _(Meta error 131047)_');
    expect(text).toContain('• 3 × Explanation of 131026. _(Meta error 131026)_');
    expect(text).toContain('• 1 × WhatsApp returned error 99999 (&lt;b&gt;odd&lt;/b&gt;). _(Meta error 99999)_');
    expect(text).toContain('• 2 more, with 2 other errors');
    expect(text).not.toContain('131051');
    expect(listLimitViolations(message)).toEqual([]);
  });

  it('names the hours by their labels: the first one is where the counting starts', () => {
    const text = JSON.stringify(
      buildDigestMessage(digestInput({ volume: { counts: [0, 3, 1], hourLabels: ['02:00 UTC+2', '02:00 UTC+1', '03:00'] }, chartAttached: false })),
    );
    expect(text).toContain('from 02:00 UTC+2 to now');
    expect(text).toContain('4 in total, busiest 02:00 UTC+1 (3).');
  });

  it.each([
    [0, '<1 min'],
    [59_000, '<1 min'],
    [4 * MIN, '4 min'],
    [65 * MIN, '1 h 05 min'],
    [50 * 60 * MIN, '2 d 2 h'],
  ])('formats %d ms as "%s"', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  it('draws a sparkline scaled to the busiest hour, empty hours lowest and any traffic visible', () => {
    expect(buildSparkline([0, 1, 4, 8])).toBe('▁▂▅█');
    expect(buildSparkline([0, 0])).toBe('▁▁');
    expect(buildSparkline([1, 100])).toBe('▂█');
  });
});
