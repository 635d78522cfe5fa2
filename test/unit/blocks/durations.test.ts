import { describeWindowLeft, formatDuration, formatElapsed } from '../../../blocks/durations';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('formatDuration', () => {
  it.each([
    [0, 'under a minute'],
    [59_999, 'under a minute'],
    [MIN, '1 min'],
    [59 * MIN + 59_999, '59 min'],
    [HOUR, '1 h'],
    [2 * HOUR + 5 * MIN, '2 h 5 min'],
    [9 * HOUR + 59 * MIN, '9 h 59 min'],
    [10 * HOUR + 30 * MIN, '10 h'],
    [47 * HOUR, '47 h'],
    [48 * HOUR, '2 d'],
    [10 * 24 * HOUR + 5 * HOUR, '10 d'],
  ])('words %d ms as "%s"', (ms, words) => {
    expect(formatDuration(ms)).toBe(words);
  });

  it('treats a negative or unknown duration as none (a clock that went backwards)', () => {
    expect(formatDuration(-5 * MIN)).toBe('under a minute');
    expect(formatDuration(Number.NaN)).toBe('under a minute');
  });
});

describe('formatElapsed', () => {
  it('counts real hours across a DST change: Berlin clocks jump 02:00 → 03:00 on 2026-03-29, three hours still pass', () => {
    // 00:30 UTC = 01:30 CET, 03:30 UTC = 05:30 CEST: the wall clock moved four hours, three hours elapsed.
    expect(formatElapsed(new Date('2026-03-29T00:30:00Z'), new Date('2026-03-29T03:30:00Z'))).toBe('3 h');
    // Autumn back: 2026-10-25 00:30 UTC (02:30 CEST) to 02:30 UTC (03:30 CET) is two hours, not one.
    expect(formatElapsed(new Date('2026-10-25T00:30:00Z'), new Date('2026-10-25T02:30:00Z'))).toBe('2 h');
  });
});

describe('describeWindowLeft', () => {
  const now = new Date('2026-11-24T10:00:00Z');

  it('says how long the 24-hour window stays open', () => {
    expect(describeWindowLeft({ open: true, closesAt: new Date('2026-11-24T10:40:00Z') }, now)).toBe('window closes in 40 min');
  });

  it('says closed when it closed, when the close time has passed, or when it never opened', () => {
    expect(describeWindowLeft({ open: false, closesAt: new Date('2026-11-24T09:00:00Z') }, now)).toBe('window closed');
    expect(describeWindowLeft({ open: true, closesAt: new Date('2026-11-24T09:59:00Z') }, now)).toBe('window closed');
    expect(describeWindowLeft({ open: false }, now)).toBe('window closed');
  });
});
