import { Background } from '../../src/background';
import type { Clock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import type { Deps } from '../../src/deps';
import type { GraphEmulator } from '../../src/emulators/graph-emulator';
import { createLogger } from '../../src/logger';
import { createGraphClient } from '../../src/whatsapp/graph-client';

/** The part of Deps the template catalogue sync uses, against a Graph emulator (its test and the benchmark). */
export function templateSyncDeps(db: Deps['db'], graph: GraphEmulator, clock: Clock): Deps {
  const logger = createLogger({ level: 'silent' });
  return {
    db,
    clock,
    config: loadConfig({}, []),
    logger,
    background: new Background(logger),
    lifecycle: { stopping: false },
    whatsapp: createGraphClient({ apiUrl: graph.url, apiVersion: 'v25.0', accessToken: graph.accessToken, logger }),
  } as unknown as Deps;
}
