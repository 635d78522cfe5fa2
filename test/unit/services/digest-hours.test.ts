import { clockHourStart, formatOffset, labelClockHours, listClockHours } from '../../../src/services/digest-hours';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (d: Date) => d.toISOString();

/** The clock hours of the last 24 hours at `nowIso`, as "start (UTC) → local time offset". */
function hoursAt(nowIso: string, timeZone: string) {
  return listClockHours(new Date(nowIso), timeZone, DAY);
}

function lengthsMs(nowIso: string, timeZone: string): number[] {
  const hours = hoursAt(nowIso, timeZone);
  const ends = [...hours.slice(1).map((h) => h.start.getTime()), new Date(nowIso).getTime()];
  return hours.map((h, i) => (ends[i] ?? 0) - h.start.getTime());
}

describe('the digest’s clock hours', () => {
  it('on an ordinary day: 24 whole hours from the one that contains now − 24 h, then the current hour so far', () => {
    const hours = hoursAt('2026-11-24T09:50:00Z', 'Europe/Berlin'); // 10:50 in Berlin
    expect(hours).toHaveLength(25);
    expect(hours[0]).toEqual({ start: new Date('2026-11-23T09:00:00Z'), time: '10:00', day: '2026-11-23', offset: 'UTC+1' });
    expect(hours.at(-1)).toEqual({ start: new Date('2026-11-24T09:00:00Z'), time: '10:00', day: '2026-11-24', offset: 'UTC+1' });
    expect(lengthsMs('2026-11-24T09:50:00Z', 'Europe/Berlin')).toEqual([...new Array<number>(24).fill(HOUR), 50 * 60_000]);
    expect(labelClockHours(hours, '2026-11-24').slice(0, 2)).toEqual(['10:00 yesterday', '11:00 yesterday']);
    expect(labelClockHours(hours, '2026-11-24').at(-1)).toBe('10:00');
  });

  it('at a whole hour (the scheduled digest) it is exactly the 24 hours before, with no empty current hour', () => {
    const hours = hoursAt('2026-11-24T08:00:00Z', 'Europe/Berlin');
    expect(hours).toHaveLength(24);
    expect(iso(hours[0]!.start)).toBe('2026-11-23T08:00:00.000Z');
    expect(hours.at(-1)?.time).toBe('08:00');
  });

  it('spring forward (Berlin, 29 March): the skipped 02:00 has no bucket, and the rest are whole hours', () => {
    const now = '2026-03-29T07:30:00Z'; // 09:30 CEST
    const hours = hoursAt(now, 'Europe/Berlin');
    const times = hours.map((h) => h.time);
    expect(times.slice(times.indexOf('00:00'), times.indexOf('00:00') + 4)).toEqual(['00:00', '01:00', '03:00', '04:00']);
    expect(times).not.toContain('02:00');
    const jump = hours.find((h) => h.time === '03:00' && h.day === '2026-03-29');
    expect(jump).toMatchObject({ start: new Date('2026-03-29T01:00:00Z'), offset: 'UTC+2' });
    expect(lengthsMs(now, 'Europe/Berlin').slice(0, -1).every((ms) => ms === HOUR)).toBe(true);
    // 24 real hours over a 23-hour day: the first hour is yesterday's 08:00, not 09:00.
    expect(hours[0]).toMatchObject({ time: '08:00', day: '2026-03-28', offset: 'UTC+1' });
  });

  it('fall back (Berlin, 25 October): the repeated 02:00 is two buckets with distinct labels, one per offset', () => {
    const now = '2026-10-25T08:30:00Z'; // 09:30 CET
    const hours = hoursAt(now, 'Europe/Berlin');
    const twice = hours.filter((h) => h.day === '2026-10-25' && h.time === '02:00');
    expect(twice.map((h) => [iso(h.start), h.offset])).toEqual([
      ['2026-10-25T00:00:00.000Z', 'UTC+2'],
      ['2026-10-25T01:00:00.000Z', 'UTC+1'],
    ]);
    const labels = labelClockHours(hours, '2026-10-25');
    expect(labels).toContain('02:00 UTC+2');
    expect(labels).toContain('02:00 UTC+1');
    expect(new Set(labels).size).toBe(labels.length);
    expect(lengthsMs(now, 'Europe/Berlin').slice(0, -1).every((ms) => ms === HOUR)).toBe(true);
  });

  it('New York’s fall back repeats 01:00 (at 06:00Z) and its spring forward skips 02:00', () => {
    const fall = labelClockHours(hoursAt('2026-11-01T15:00:00Z', 'America/New_York'), '2026-11-01');
    expect(fall.filter((l) => l.startsWith('01:00'))).toEqual(['01:00 UTC-4', '01:00 UTC-5']);
    const spring = hoursAt('2026-03-08T15:00:00Z', 'America/New_York').filter((h) => h.day === '2026-03-08').map((h) => h.time);
    expect(spring.slice(0, 4)).toEqual(['00:00', '01:00', '03:00', '04:00']);
  });

  it('in Asia/Kolkata (UTC+5:30) clock hours start at half past the UTC hour', () => {
    const hours = hoursAt('2026-11-24T05:10:00Z', 'Asia/Kolkata'); // 10:40 IST
    expect(hours[0]).toEqual({ start: new Date('2026-11-23T04:30:00Z'), time: '10:00', day: '2026-11-23', offset: 'UTC+5:30' });
    expect(hours.every((h) => h.start.getUTCMinutes() === 30 && h.time.endsWith(':00'))).toBe(true);
    expect(hours.at(-1)?.start).toEqual(new Date('2026-11-24T04:30:00Z'));
  });

  it('in Asia/Kathmandu (UTC+5:45) too', () => {
    expect(new Date(clockHourStart(Date.parse('2026-11-24T05:10:00Z'), 'Asia/Kathmandu')).toISOString()).toBe('2026-11-24T04:15:00.000Z');
  });

  it('a zone that moves its clocks by half an hour (Lord Howe) gets a half-hour bucket, labelled with its real start', () => {
    // 5 April 2026 02:00 (UTC+11) becomes 01:30 (UTC+10:30), at 15:00Z on 4 April.
    const back = hoursAt('2026-04-04T20:00:00Z', 'Australia/Lord_Howe').filter((h) => h.day === '2026-04-05');
    expect(back.slice(0, 4).map((h) => [iso(h.start), h.time, h.offset])).toEqual([
      ['2026-04-04T13:00:00.000Z', '00:00', 'UTC+11'],
      ['2026-04-04T14:00:00.000Z', '01:00', 'UTC+11'],
      ['2026-04-04T15:00:00.000Z', '01:30', 'UTC+10:30'],
      ['2026-04-04T15:30:00.000Z', '02:00', 'UTC+10:30'],
    ]);
    // 4 October 2026 02:00 (UTC+10:30) becomes 02:30 (UTC+11), at 15:30Z on 3 October: hour 02 is half an hour long.
    const forward = hoursAt('2026-10-03T20:00:00Z', 'Australia/Lord_Howe').filter((h) => h.day === '2026-10-04');
    expect(forward.slice(0, 4).map((h) => [iso(h.start), h.time])).toEqual([
      ['2026-10-03T13:30:00.000Z', '00:00'],
      ['2026-10-03T14:30:00.000Z', '01:00'],
      ['2026-10-03T15:30:00.000Z', '02:30'],
      ['2026-10-03T16:00:00.000Z', '03:00'],
    ]);
  });

  it.each([
    ['Europe/Berlin', '2026-03-28T00:00:00Z'],
    ['Europe/Berlin', '2026-10-24T00:00:00Z'],
    ['America/New_York', '2026-03-07T00:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-02T00:00:00Z'],
  ])('in %s, stepping a clock through the change every 7 minutes, buckets advance, never exceed an hour, and labels stay unique', (zone, from) => {
    for (let t = Date.parse(from); t < Date.parse(from) + 3 * DAY; t += 7 * 60_000) {
      const now = new Date(t);
      const hours = listClockHours(now, zone, DAY);
      const starts = hours.map((h) => h.start.getTime());
      expect(starts.every((s, i) => i === 0 || s > (starts[i - 1] ?? 0))).toBe(true);
      expect(starts[0]).toBeLessThanOrEqual(t - DAY);
      expect(t - DAY - (starts[0] ?? 0)).toBeLessThan(HOUR);
      expect(starts.every((s, i) => (starts[i + 1] ?? t) - s <= HOUR)).toBe(true);
      const labels = labelClockHours(hours, hours.at(-1)?.day ?? '');
      expect(new Set(labels).size).toBe(labels.length);
    }
  });

  it('writes offsets as UTC±H[:MM]', () => {
    expect([0, 3600_000, -3 * 3600_000, 5.5 * 3600_000, 5.75 * 3600_000, -9.5 * 3600_000].map(formatOffset)).toEqual([
      'UTC',
      'UTC+1',
      'UTC-3',
      'UTC+5:30',
      'UTC+5:45',
      'UTC-9:30',
    ]);
  });
});

describe('the digest’s hour labels', () => {
  it('name the weekday of an hour before yesterday: 24 hours back from just after a 23-hour day reach it', () => {
    // 00:05 on Monday 30 March, the day after Berlin's spring forward.
    const hours = listClockHours(new Date('2026-03-29T22:05:00Z'), 'Europe/Berlin', DAY);
    const labels = labelClockHours(hours, '2026-03-30');
    expect(labels[0]).toBe('23:00 Saturday');
    expect(labels[1]).toBe('00:00 yesterday');
    expect(labels.at(-1)).toBe('00:00');
  });
});
