import { findDueDigestDay, localDayOf, zonedInstant, zoneOffsetMs } from '../../../src/services/digest-schedule';

/** Steps a clock minute by minute and records when a process that checks every minute would post, once per day. */
function simulatePosts(fromIso: string, toIso: string, time: string, timeZone: string): { day: string; at: string }[] {
  const posted = new Map<string, string>();
  for (let t = new Date(fromIso).getTime(); t < new Date(toIso).getTime(); t += 60_000) {
    const day = findDueDigestDay(new Date(t), time, timeZone);
    if (day && !posted.has(day)) posted.set(day, new Date(t).toISOString());
  }
  return [...posted].map(([day, at]) => ({ day, at }));
}

describe('digest schedule across daylight-saving changes', () => {
  it('reads zone offsets from the platform, summer and winter', () => {
    expect(zoneOffsetMs(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(2 * 3600_000);
    expect(zoneOffsetMs(new Date('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(3600_000);
    expect(zoneOffsetMs(new Date('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-5 * 3600_000);
    expect(zoneOffsetMs(new Date('2026-01-15T12:00:00Z'), 'UTC')).toBe(0);
  });

  it('names the local calendar day, which can differ from the UTC one', () => {
    expect(localDayOf(new Date('2026-03-28T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDayOf(new Date('2026-03-29T03:30:00Z'), 'America/New_York')).toBe('2026-03-28');
  });

  it.each([
    ['an ordinary winter day', '2026-03-28', '09:00', 'Europe/Berlin', '2026-03-28T08:00:00.000Z'],
    ['the spring-forward day, after the jump', '2026-03-29', '09:00', 'Europe/Berlin', '2026-03-29T07:00:00.000Z'],
    ['the fall-back day, after the repeat', '2026-10-25', '09:00', 'Europe/Berlin', '2026-10-25T08:00:00.000Z'],
    ['a time in the skipped hour: as far past the jump', '2026-03-29', '02:30', 'Europe/Berlin', '2026-03-29T01:30:00.000Z'],
    ['a time in the repeated hour: the first of the two', '2026-10-25', '02:30', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
    ['New York spring forward, skipped 02:30', '2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['New York fall back, repeated 01:30', '2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['New York fall back, 09:00', '2026-11-01', '09:00', 'America/New_York', '2026-11-01T14:00:00.000Z'],
  ])('puts DIGEST_TIME on %s', (_what, day, time, zone, expected) => {
    expect(zonedInstant(day, time, zone).toISOString()).toBe(expected);
  });

  it.each([
    ['Europe/Berlin', '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z', '02:30', '2026-03-29'],
    ['Europe/Berlin', '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z', '02:30', '2026-10-25'],
    ['Europe/Berlin', '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z', '09:00', '2026-10-25'],
    ['America/New_York', '2026-03-07T00:00:00Z', '2026-03-10T12:00:00Z', '02:30', '2026-03-08'],
    ['America/New_York', '2026-10-31T00:00:00Z', '2026-11-03T12:00:00Z', '01:30', '2026-11-01'],
  ])('%s from %s to %s posts exactly once per local day at %s, %s included', (zone, from, to, time, transitionDay) => {
    const posts = simulatePosts(from, to, time, zone);
    const days = posts.map((p) => p.day);
    expect(new Set(days).size).toBe(days.length);
    // The day the simulation starts in may already be past its time: it posts at once, like a late start.
    const onTime = posts.filter((p) => zonedInstant(p.day, time, zone).getTime() >= new Date(from).getTime());
    for (const post of onTime) expect(post.at).toBe(zonedInstant(post.day, time, zone).toISOString());
    // Every local day the window covers gets its digest, the transition day included.
    expect(onTime.length).toBeGreaterThanOrEqual(2);
    expect(onTime.map((p) => p.day)).toContain(transitionDay);
  });

  it('a process that starts late in the day still posts that day, and not the missed day before', () => {
    expect(findDueDigestDay(new Date('2026-03-29T20:00:00Z'), '09:00', 'Europe/Berlin')).toBe('2026-03-29');
    expect(findDueDigestDay(new Date('2026-03-29T06:59:00Z'), '09:00', 'Europe/Berlin')).toBeUndefined();
  });
});
