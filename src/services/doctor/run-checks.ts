import type { Config } from '../../config';
import type { HealthAnswer } from '../../https-probe';
import type { SlackSetupProbe } from '../../slack/setup-probe';
import type { StorageProbe } from '../../storage-probe';
import type { GraphSetupProbe } from '../../whatsapp/setup-probe';
import type { CheckResult } from './check-result';
import { checkPublicUrl } from './public-url-check';
import { checkSlack } from './slack-checks';
import { checkStorage } from './storage-checks';
import { checkWhatsApp } from './whatsapp-checks';

export interface DoctorProbes {
  slack: SlackSetupProbe;
  graph: GraphSetupProbe;
  storage: StorageProbe;
  health: (url: string) => Promise<HealthAnswer>;
}

export interface RunChecksOptions {
  now: Date;
  /** manifest.json's bot scopes: what the installed app must have been granted. */
  manifestScopes: readonly string[];
  /**
   * At start-up the Socket Mode connection was just opened (a refused app token already stopped the start), so the
   * app token is not asked for a second connection.
   */
  skipAppToken?: boolean;
}

/** Every check family, run side by side; the lines come back in a fixed order (Slack, WhatsApp, storage, URL). */
export async function runSetupChecks(config: Config, probes: DoctorProbes, options: RunChecksOptions): Promise<CheckResult[]> {
  const slackConfig = options.skipAppToken ? { ...config, slack: { ...config.slack, appToken: undefined } } : config;
  const families = await Promise.all([
    checkSlack(slackConfig, probes.slack, options.manifestScopes).then((lines) =>
      options.skipAppToken && config.slack.appToken ? lines.filter((l) => l.name !== 'Slack signing secret') : lines,
    ),
    checkWhatsApp(config, probes.graph, options.now),
    checkStorage(config, probes.storage),
    config.publicUrl ? checkPublicUrl(config.publicUrl, probes.health).then((line) => [line]) : Promise.resolve([]),
  ]);
  return families.flat();
}
