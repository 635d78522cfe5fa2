import type { Config } from './config';
import type { Database } from '../db/client';
import { createHttpsHealthProbe } from './https-probe';
import type { DoctorProbes } from './services/doctor/run-checks';
import { createSlackSetupProbe } from './slack/setup-probe';
import { createStorageProbe } from './storage-probe';
import { createGraphSetupProbe } from './whatsapp/setup-probe';

/** The doctor's adapters over the configured endpoints (composition: used by the CLI and by start-up). */
export function createDoctorProbes(
  config: Config,
  options: { database?: Database; embeddedInUse?: () => Promise<boolean>; healthCa?: string | Buffer; timeoutMs?: number } = {},
): DoctorProbes {
  const timeoutMs = options.timeoutMs ?? Math.min(config.slack.timeoutMs, 10_000);
  return {
    slack: createSlackSetupProbe({ apiUrl: config.slack.apiUrl, botToken: config.slack.botToken, timeoutMs }),
    graph: createGraphSetupProbe({ apiUrl: config.whatsapp.apiUrl, apiVersion: config.whatsapp.apiVersion, accessToken: config.whatsapp.accessToken, appSecret: config.whatsapp.appSecret, timeoutMs }),
    storage: createStorageProbe({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      openDatabase: options.database,
      embeddedInUse: options.embeddedInUse,
      timeoutMs,
    }),
    health: createHttpsHealthProbe({ timeoutMs, ...(options.healthCa ? { ca: options.healthCa } : {}) }),
  };
}
