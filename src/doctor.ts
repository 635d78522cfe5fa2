import { checkConfig } from './services/doctor/config-check';
import { exitCodeFor, formatReport } from './services/doctor/format-report';
import { MANIFEST_BOT_SCOPES } from './services/doctor/manifest-scopes';
import { runSetupChecks } from './services/doctor/run-checks';
import { createDoctorProbes } from './doctor-probes';

/**
 * `threadline doctor`: checks the real configuration against Slack, Graph and storage, prints one line per check
 * (✓ / ✗ / ! with the fix) and answers the exit code: 1 when something is broken.
 */
export async function runDoctor(
  env: NodeJS.ProcessEnv,
  argv: readonly string[],
  print: (text: string) => void,
  options: { now?: Date; healthCa?: string | Buffer } = {},
): Promise<number> {
  const { result, config } = checkConfig(env, argv);
  if (!config) {
    print(formatReport([result]));
    return 1;
  }
  // PGlite takes one process: when a threadline already answers on PORT here, its database is not opened twice.
  const embeddedInUse = async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${config.port}/healthz`, { signal: AbortSignal.timeout(1_000) });
      return res.ok;
    } catch {
      return false;
    }
  };
  const probes = createDoctorProbes(config, { embeddedInUse, ...(options.healthCa ? { healthCa: options.healthCa } : {}) });
  const results = [result, ...(await runSetupChecks(config, probes, { now: options.now ?? new Date(), manifestScopes: MANIFEST_BOT_SCOPES }))];
  print(formatReport(results));
  return exitCodeFor(results);
}
