import type { CheckResult, CheckStatus } from './check-result';

/** Pure: the doctor's lines as printed, and the process exit code they mean. */

const MARK: Record<CheckStatus, string> = { ok: '✓', fail: '✗', warn: '!' };

export function formatCheckLine(result: CheckResult): string {
  const fix = result.fix ? ` → ${result.fix}` : '';
  return `${MARK[result.status]} ${result.name}: ${result.detail}${fix}`;
}

export function formatReport(results: readonly CheckResult[]): string {
  const failures = results.filter((r) => r.status === 'fail').length;
  const warnings = results.filter((r) => r.status === 'warn').length;
  const summary =
    failures > 0
      ? `${failures} problem${failures === 1 ? '' : 's'} to fix${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}.`
      : `Everything threadline needs is in place${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}.`;
  return [...results.map(formatCheckLine), '', summary].join('\n');
}

/** Non-zero when something is broken; warnings alone do not fail. */
export function exitCodeFor(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
