import { ConfigError, loadConfig } from './config';
import { runDoctor } from './doctor';
import { type Running, startThreadline } from './runtime';
import { startSandbox } from './sandbox/start-sandbox';

/** Bound on a graceful stop: in-flight work finishes or is handed back (its lease runs out) within this. */
const SHUTDOWN_MS = 15_000;

async function main(): Promise<void> {
  if (process.argv[2] === 'doctor') {
    const code = await runDoctor(process.env, process.argv, (text) => console.log(text));
    process.exit(code);
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  let running: Running;
  let closeSandbox: (() => Promise<void>) | undefined;
  let closePages: (() => void) | undefined;
  if (config.sandbox) {
    const sandbox = await startSandbox(config);
    running = sandbox.running;
    closeSandbox = sandbox.close;
    // Open playground pages hold a live connection; end them first so the HTTP server can close at once.
    closePages = () => sandbox.playground.close();
    console.log(sandbox.banner);
  } else {
    running = await startThreadline(config);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.deps.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_MS + 5_000);
    force.unref();
    closePages?.();
    running
      .stop(SHUTDOWN_MS)
      .then(() => closeSandbox?.())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          running.deps.logger.error({ err }, 'unclean shutdown');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  // A setting Slack or Meta refused at start-up: one line per problem naming the setting and the fix, no stack.
  if (err instanceof ConfigError) {
    for (const problem of err.problems) console.error(`threadline cannot start: ${problem}`);
  } else {
    console.error('threadline failed to start:', err);
  }
  process.exit(1);
});
