import { localDayOf, wallTimeIn, zoneOffsetMs } from './digest-schedule';

/**
 * The digest's hourly buckets: clock hours in DIGEST_TZ, not rolling hours ending "now".
 *
 * A bucket runs from one instant the local clock shows a whole hour (or the clocks change) to the next, so it is a
 * clock hour even where the zone's offset is not a whole number of hours (Asia/Kolkata's hours start at :30 UTC).
 * Daylight-saving changes come from the platform's zone data (Intl, as in digest-schedule.ts):
 * - spring forward: the skipped hour has no bucket (Berlin's 29 March goes 01:00, 03:00); a zone that jumps half an
 *   hour gets a half-hour bucket (Australia/Lord_Howe's "02:30").
 * - fall back: the repeated hour is two buckets, one per offset, labelled "02:00 UTC+2" and "02:00 UTC+1".
 * So a local day has 23, 24 or 25 buckets, and every bucket is at most 60 minutes long.
 *
 * The digest covers the clock hour that contains `now − 24 h` in full, then every clock hour to `now` (the current
 * one so far): its first label is the true start of what is counted.
 */

export interface ClockHour {
  start: Date;
  /** The local clock at the start: "09:00" ("02:30" after a half-hour change). */
  time: string;
  /** The local calendar day of the start, "2026-10-25". */
  day: string;
  /** The zone's offset in this hour: "UTC+2", "UTC+5:30", "UTC-3", "UTC". */
  offset: string;
}

const SECOND = 1000;

function wholeSecond(t: number): number {
  return Math.floor(t / SECOND) * SECOND;
}

function offsetAt(t: number, timeZone: string): number {
  return zoneOffsetMs(new Date(t), timeZone);
}

/**
 * The first whole second in (`after`, `before`] whose offset differs from `after`'s; the caller knows `before`'s
 * does. Zone data changes offsets on whole seconds, so halving the interval down to a second finds the change.
 */
function findOffsetChange(after: number, before: number, timeZone: string): number {
  const from = offsetAt(after, timeZone);
  let lo = after;
  let hi = before;
  while (hi - lo > SECOND) {
    const mid = lo + Math.floor((hi - lo) / (2 * SECOND)) * SECOND;
    if (offsetAt(mid, timeZone) === from) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Where the clock hour that contains `t` began: the last whole hour on the local clock, or a change since it. */
export function clockHourStart(t: number, timeZone: string): number {
  const at = wholeSecond(t);
  const wall = wallTimeIn(new Date(at), timeZone);
  const wholeHour = at - (wall.minute * 60 + wall.second) * SECOND;
  return offsetAt(wholeHour, timeZone) === offsetAt(at, timeZone) ? wholeHour : findOffsetChange(wholeHour, at, timeZone);
}

/** Where the clock hour that begins at `start` ends: the next whole hour on the local clock, or a change before it. */
export function nextClockHourStart(start: number, timeZone: string): number {
  const wall = wallTimeIn(new Date(start), timeZone);
  const wholeHour = start + (3600 - wall.minute * 60 - wall.second) * SECOND;
  return offsetAt(wholeHour, timeZone) === offsetAt(start, timeZone) ? wholeHour : findOffsetChange(start, wholeHour, timeZone);
}

export function formatOffset(offsetMs: number): string {
  if (offsetMs === 0) return 'UTC';
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `UTC${offsetMs < 0 ? '-' : '+'}${hours}${rest ? `:${String(rest).padStart(2, '0')}` : ''}`;
}

/** The clock hours from the one containing `now − spanMs` up to `now`, oldest first; each starts before `now`. */
export function listClockHours(now: Date, timeZone: string, spanMs: number): ClockHour[] {
  const end = now.getTime();
  const hours: ClockHour[] = [];
  for (let start = clockHourStart(end - spanMs, timeZone); start < end; start = nextClockHourStart(start, timeZone)) {
    const wall = wallTimeIn(new Date(start), timeZone);
    hours.push({
      start: new Date(start),
      time: `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`,
      day: localDayOf(new Date(start), timeZone),
      offset: formatOffset(offsetAt(start, timeZone)),
    });
  }
  return hours;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "", " yesterday", or the weekday for an earlier day (24 hours back from just after a 23-hour day reach it). */
function daySuffix(day: string, today: string): string {
  const dayNumber = (d: string) => {
    const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, dd) / (24 * 3600 * SECOND);
  };
  const back = dayNumber(today) - dayNumber(day);
  if (back === 0) return '';
  if (back === 1) return ' yesterday';
  return ` ${WEEKDAYS[new Date(dayNumber(day) * 24 * 3600 * SECOND).getUTCDay()] ?? day}`;
}

/**
 * One label per hour that no other hour of the list shares: "14:00"; "09:00 yesterday" for an hour of the day before
 * `today` (and the weekday for one before that); the repeated hour when clocks go back carries its offset
 * ("02:00 UTC+2", "02:00 UTC+1").
 */
export function labelClockHours(hours: ClockHour[], today: string): string[] {
  const seen = new Map<string, number>();
  for (const h of hours) seen.set(`${h.day} ${h.time}`, (seen.get(`${h.day} ${h.time}`) ?? 0) + 1);
  return hours.map((h) => {
    const repeated = (seen.get(`${h.day} ${h.time}`) ?? 0) > 1;
    return `${h.time}${repeated ? ` ${h.offset}` : ''}${daySuffix(h.day, today)}`;
  });
}
