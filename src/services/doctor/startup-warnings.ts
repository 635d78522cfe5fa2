import type { Deps } from '../../deps';
import type { CheckResult } from './check-result';
import { formatCheckLine } from './format-report';
import { MANIFEST_BOT_SCOPES } from './manifest-scopes';
import { type DoctorProbes, runSetupChecks } from './run-checks';

/**
 * At start-up with real credentials, `threadline doctor`'s checks run once and every failure or warning is logged
 * with its fix. Never a refusal to start: the outbox keeps the work and retries, so fixing the setup (inviting the
 * bot, subscribing the app) while threadline runs is enough.
 */
export async function warnAboutSetup(deps: Pick<Deps, 'config' | 'logger' | 'clock'>, probes: DoctorProbes): Promise<CheckResult[]> {
  const results = await runSetupChecks(deps.config, probes, {
    now: deps.clock.now(),
    manifestScopes: MANIFEST_BOT_SCOPES,
    skipAppToken: true,
  });
  const problems = results.filter((r) => r.status !== 'ok');
  for (const problem of problems) deps.logger.warn({ check: problem.name }, `setup: ${formatCheckLine(problem)}`);
  if (problems.length > 0) deps.logger.warn({ problems: problems.length }, 'setup has problems: run `npm run doctor` (or `node dist/src/index.js doctor`) for the full report');
  return results;
}
