/**
 * When the daily digest is due: DIGEST_TIME on the local calendar day in DIGEST_TZ. Offsets come from
 * Intl.DateTimeFormat, so daylight-saving changes are handled by the platform's time zone data: on a day whose
 * DIGEST_TIME falls in the skipped hour it is due at the same distance past the jump (02:30 → 03:30), and on a day
 * whose DIGEST_TIME happens twice it is due at the first one. The caller posts once per local day (digest_runs).
 */

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in `timeZone` at `date`. */
export function wallTimeIn(date: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far `timeZone` is ahead of UTC at `date`, in ms (Europe/Berlin in summer: +7,200,000). */
export function zoneOffsetMs(date: Date, timeZone: string): number {
  const w = wallTimeIn(date, timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/** "2026-03-29": the calendar day in `timeZone` at `date` (the digest_runs key). */
export function localDayOf(date: Date, timeZone: string): string {
  const w = wallTimeIn(date, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The instant `day` `time` ("HH:MM") happens in `timeZone`; see the module comment for skipped and repeated times. */
export function zonedInstant(day: string, time: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(year, month - 1, date, hour, minute);
  // Transitions are months apart, and no zone is more than 14 h off UTC: a day either side brackets the one (if
  // any) that can touch this wall time.
  const before = zoneOffsetMs(new Date(wall - DAY_MS), timeZone);
  const after = zoneOffsetMs(new Date(wall + DAY_MS), timeZone);
  const matches = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => {
      const w = wallTimeIn(new Date(instant), timeZone);
      return w.year === year && w.month === month && w.day === date && w.hour === hour && w.minute === minute;
    })
    .sort((a, b) => a - b);
  return new Date(matches[0] ?? wall - before);
}

/** The local day whose digest is due at `now` (its time has come), or undefined before DIGEST_TIME today. */
export function findDueDigestDay(now: Date, time: string, timeZone: string): string | undefined {
  const day = localDayOf(now, timeZone);
  return now.getTime() >= zonedInstant(day, time, timeZone).getTime() ? day : undefined;
}
