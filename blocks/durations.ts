/**
 * Elapsed time in words ("2 h 5 min"). Durations are differences of instants in milliseconds, never calendar
 * arithmetic, so a DST change in between does not add or remove an hour.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "under a minute", "40 min", "2 h 5 min" (under 10 h), "13 h" (under 2 days), then "3 d". Negative counts as 0. */
export function formatDuration(ms: number): string {
  const safe = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (safe < MINUTE) return 'under a minute';
  if (safe < HOUR) return `${Math.floor(safe / MINUTE)} min`;
  if (safe < 10 * HOUR) {
    const hours = Math.floor(safe / HOUR);
    const minutes = Math.floor((safe % HOUR) / MINUTE);
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  if (safe < 2 * DAY) return `${Math.floor(safe / HOUR)} h`;
  return `${Math.floor(safe / DAY)} d`;
}

export function formatElapsed(since: Date, now: Date): string {
  return formatDuration(now.getTime() - since.getTime());
}

/**
 * The 24-hour window in a few words: "window closes in 40 min" / "window closed" (WhatsApp only delivers templates
 * outside it; the service decides open or closed, this only words it).
 */
export function describeWindowLeft(window: { open: boolean; closesAt?: Date | undefined }, now: Date): string {
  if (!window.open || !window.closesAt || window.closesAt.getTime() <= now.getTime()) return 'window closed';
  return `window closes in ${formatDuration(window.closesAt.getTime() - now.getTime())}`;
}
