import { type Config, ConfigError, loadConfig } from '../../config';
import { type CheckResult, failed, passed } from './check-result';

/** The configuration parses (the same one-message error start-up gives), and it is a real one, not the sandbox. */
export function checkConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): { result: CheckResult; config?: Config } {
  let config: Config;
  try {
    config = loadConfig(env, argv);
  } catch (err) {
    if (err instanceof ConfigError) return { result: failed('configuration', err.problems.join('; '), 'fix these settings (README → Configuration, .env.example)') };
    throw err;
  }
  if (config.sandbox) {
    return {
      result: failed('configuration', 'no Slack or WhatsApp setting is set: threadline would start the sandbox', 'set the credentials (see .env.example) to check a real setup'),
    };
  }
  return { result: passed('configuration', `valid (${config.slack.appToken ? 'Socket Mode' : 'HTTP mode'}, ${config.databaseUrl ? 'Postgres' : 'embedded PGlite'}${config.redisUrl ? ', Redis' : ''})`), config };
}
