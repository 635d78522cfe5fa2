/**
 * Graph API versions and how long each stays usable, from Meta's changelog as transcribed in
 * reference/whatsapp.md §5 (API versions). An expired version is not an error at Meta: calls silently move to the
 * next oldest usable version, so payloads change under the app; the doctor says so before it happens.
 */
export const GRAPH_VERSIONS: ReadonlyArray<{ version: string; availableUntil: string | undefined }> = [
  { version: 'v26.0', availableUntil: undefined },
  { version: 'v25.0', availableUntil: '2028-07-29' },
  { version: 'v24.0', availableUntil: '2028-02-18' },
  { version: 'v23.0', availableUntil: '2027-10-08' },
  { version: 'v22.0', availableUntil: '2027-05-20' },
  { version: 'v21.0', availableUntil: '2027-01-21' },
];

/** The oldest version threadline is built for: v24.0+ dropped statuses[].conversation (reference/whatsapp.md §5). */
export const RECOMMENDED_MIN_VERSION = 'v25.0';

export function versionNumber(version: string): number {
  return Number.parseFloat(version.replace(/^v/, ''));
}
