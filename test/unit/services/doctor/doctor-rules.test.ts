import { loadConfig } from '../../../../src/config';
import { failed, passed, warned } from '../../../../src/services/doctor/check-result';
import { exitCodeFor, formatCheckLine, formatReport } from '../../../../src/services/doctor/format-report';
import { checkStorage } from '../../../../src/services/doctor/storage-checks';
import { checkApiVersion } from '../../../../src/services/doctor/whatsapp-checks';
import type { StorageProbe } from '../../../../src/storage-probe';

const MB = 1024 * 1024;

describe("the doctor's report", () => {
  it('prints one line per check with its mark, and the fix after an arrow', () => {
    expect(formatCheckLine(passed('database', 'reachable'))).toBe('✓ database: reachable');
    expect(formatCheckLine(failed('Slack scopes', 'missing files:write', 'reinstall the app'))).toBe('✗ Slack scopes: missing files:write → reinstall the app');
    expect(formatCheckLine(warned('disk space', '600 MB free'))).toBe('! disk space: 600 MB free');
  });

  it('exits 1 only when something is broken; warnings alone pass', () => {
    expect(exitCodeFor([passed('a', 'x'), warned('b', 'y')])).toBe(0);
    expect(exitCodeFor([passed('a', 'x'), failed('b', 'y', 'z')])).toBe(1);
    expect(formatReport([failed('b', 'y', 'z'), warned('c', 'w')])).toMatch(/\n\n1 problem to fix, 1 warning\.$/);
    expect(formatReport([passed('a', 'x')])).toMatch(/Everything threadline needs is in place\.$/);
  });
});

describe('the Graph API version check (reference/whatsapp.md §5 versions table)', () => {
  const now = new Date('2026-12-06T00:00:00Z');
  it('passes a served version and names its end date', () => {
    expect(checkApiVersion('v25.0', now)).toMatchObject({ status: 'ok', detail: 'v25.0, served until 2028-07-29' });
    expect(checkApiVersion('v26.0', now)).toMatchObject({ status: 'ok' });
  });
  it('refuses a version past its end date or older than the table', () => {
    expect(checkApiVersion('v21.0', new Date('2027-02-01T00:00:00Z'))).toMatchObject({ status: 'fail', detail: 'v21.0 expired on 2027-01-21' });
    expect(checkApiVersion('v18.0', now)).toMatchObject({ status: 'fail', fix: 'set WHATSAPP_API_VERSION=v25.0' });
  });
  it('warns before a version expires, about one older than threadline is built for, and one newer than the table', () => {
    expect(checkApiVersion('v21.0', new Date('2026-12-01T00:00:00Z'))).toMatchObject({ status: 'warn', detail: 'v21.0 expires on 2027-01-21 (51 days)' });
    expect(checkApiVersion('v23.0', now)).toMatchObject({ status: 'warn', detail: expect.stringContaining('older than the v25.0') });
    expect(checkApiVersion('v30.0', now)).toMatchObject({ status: 'warn', detail: expect.stringContaining('newer than') });
  });
});

describe('the storage checks', () => {
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      WHATSAPP_ACCESS_TOKEN: 't',
      WHATSAPP_APP_SECRET: 'a',
      WHATSAPP_VERIFY_TOKEN: 'v',
      SLACK_CHANNEL: 'C0INBOX',
      DATA_DIR: '/data',
    },
    [],
  );
  const probe = (freeBytes: number): StorageProbe => ({
    database: () => Promise.resolve({ kind: 'ok', value: { applied: 2, expected: 2 } }),
    redis: () => Promise.resolve({ kind: 'ok', value: undefined }),
    freeBytes: () => Promise.resolve({ kind: 'ok', value: freeBytes }),
  });
  const disk = async (bytes: number) => (await checkStorage(config, probe(bytes))).find((r) => r.name === 'disk space');

  it("refuses under 100 MB free in DATA_DIR, warns under 1 GB, passes above", async () => {
    expect(await disk(50 * MB)).toMatchObject({ status: 'fail', detail: '50 MB free in /data', fix: expect.stringContaining('DATA_DIR') });
    expect(await disk(600 * MB)).toMatchObject({ status: 'warn', detail: '600 MB free in /data' });
    expect(await disk(5 * 1024 * MB)).toMatchObject({ status: 'ok', detail: '5.0 GB free in /data' });
  });
});
