import type { Parameters } from 'fast-check';

/**
 * How much the fuzz suite runs. `npm test` uses the fixed seed and a small count so the file stays cheap; .ci/run sets
 * FUZZ_RUNS higher. FUZZ_RUNS is the generated inputs per property, before its scale (`share`) and examples. A failure prints fast-check's seed and path; FUZZ_SEED and FUZZ_PATH replay exactly that case
 * (a replay needs the same FUZZ_RUNS, since the app's state depends on every input before the failing one).
 * FUZZ_SHRINK=1 shrinks a failing input; FUZZ_DEBUG=1 prints every error-level log line the app wrote;
 * FUZZ_LOG_DUMP=<file> writes the whole captured log there.
 */
const DEFAULT_SEED = 20_260_508;
const DEFAULT_RUNS = 12;

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return n;
}

export const FUZZ_SEED = intFromEnv('FUZZ_SEED', DEFAULT_SEED);
export const FUZZ_RUNS = Math.max(1, intFromEnv('FUZZ_RUNS', DEFAULT_RUNS));
const FUZZ_PATH = process.env.FUZZ_PATH || undefined;

/**
 * fast-check's parameters for one property: every property starts from the same seed, so adding one does not change
 * what the others generate. `share` scales the count for costly inputs (1,000-item batches).
 */
export function fuzzParameters<T>(examples: T[] = [], share = 1): Parameters<T> {
  return {
    seed: FUZZ_SEED,
    // fast-check counts the examples among the runs: these come on top.
    numRuns: examples.length + Math.max(1, Math.round(FUZZ_RUNS * share)),
    examples,
    ...(FUZZ_PATH ? { path: FUZZ_PATH } : {}),
    // The app keeps the state every input left, so a shrunk case replays against a changed app and may no longer
    // fail: the first failing input is reported as generated unless FUZZ_SHRINK=1 asks for shrinking.
    endOnFailure: process.env.FUZZ_SHRINK !== '1',
  };
}
