import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { libraryLogText } from '../log-privacy';
import type { Logger } from '../logger';

/** Bolt and the app log through the same pino logger, so Slack's own messages are JSON lines too. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.WARN;
  // Bolt's debug lines carry whole request bodies (every message text): reduced to ids first.
  const text = libraryLogText;
  return {
    debug: (...msg) => child.debug(text(msg)),
    info: (...msg) => child.info(text(msg)),
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
