import type { Config } from '../../config';
import type { StorageProbe } from '../../storage-probe';
import { type CheckResult, failed, passed, warned } from './check-result';

/** The database answers and has every committed migration; Redis answers when set; the embedded database has room. */

const MB = 1024 * 1024;
/** Below this the embedded database's writes start failing soon: refuse; below the second, warn. */
const DISK_FAIL_BYTES = 100 * MB;
const DISK_WARN_BYTES = 1024 * MB;

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * MB ? `${(bytes / (1024 * MB)).toFixed(1)} GB` : `${Math.round(bytes / MB)} MB`;
}

export async function checkStorage(config: Config, probe: StorageProbe): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const where = config.databaseUrl ? 'Postgres (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  const db = await probe.database();
  if (db.kind === 'failed') {
    results.push(
      failed(
        'database',
        `${where} is not reachable (${db.detail})`,
        config.databaseUrl ? 'check DATABASE_URL (host, port, user, password, database) and that Postgres runs' : `check that DATA_DIR (${config.dataDir}) is readable and writable`,
      ),
    );
  } else if (db.value === 'busy') {
    results.push(passed('database', `${where}, in use by the threadline running here (it checks it at start-up)`));
  } else if (db.value === 'absent') {
    results.push(warned('database', `${where}: none yet`, 'threadline creates and migrates it on first start'));
  } else {
    const { applied, expected } = db.value;
    results.push(passed('database', `${where} reachable`));
    results.push(
      applied >= expected
        ? passed('migrations', `${applied} of ${expected} applied`)
        : failed('migrations', `${applied} of ${expected} applied`, 'start threadline once: it applies them at start-up (one process at a time takes the lock)'),
    );
  }

  if (config.redisUrl) {
    const redis = await probe.redis(config.redisUrl);
    results.push(
      redis.kind === 'ok'
        ? passed('Redis', 'reachable (REDIS_URL)')
        : failed('Redis', `not reachable (${redis.detail})`, 'check REDIS_URL and that Redis runs, or unset it to run as one process'),
    );
  }

  if (!config.databaseUrl) {
    const free = await probe.freeBytes(config.dataDir);
    if (free.kind === 'failed') results.push(warned('disk space', `cannot read free space of ${config.dataDir} (${free.detail})`));
    else if (free.value < DISK_FAIL_BYTES) results.push(failed('disk space', `${formatBytes(free.value)} free in ${config.dataDir}`, 'free space or point DATA_DIR at a larger volume'));
    else if (free.value < DISK_WARN_BYTES) results.push(warned('disk space', `${formatBytes(free.value)} free in ${config.dataDir}`, 'plan more room for the embedded database'));
    else results.push(passed('disk space', `${formatBytes(free.value)} free in ${config.dataDir}`));
  }
  return results;
}
