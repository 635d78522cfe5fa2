import { bumpCardVersion, listCardsWithExpiredWindow } from '../../db/queries/conversations';
import { deleteSlackEventsBefore } from '../../db/queries/inbox';
import { listConversationsWithStaleSends } from '../../db/queries/messages';
import { enqueueCardUpdate, hasOpenChannelOps, listConversationsWithStaleSlackOps } from '../../db/queries/slack-outbox';
import { deleteProcessedInbox, hasPendingInbox } from '../../db/queries/webhook-inbox';
import type { Deps } from '../deps';
import { WINDOW_MS } from '../services/window';
import { CHANNEL_WORK, INBOX_WORK } from './work-queue';

/** Work older than this without progress is signalled again: a lost signal delays, never loses (DESIGN §4). */
const STALE_AFTER_MS = 5_000;
const BATCH = 500;
/** Stored webhooks normally start ingesting within milliseconds of their signal; older ones lost theirs. */
const INBOX_STALE_AFTER_MS = 1_000;
/** Ingested webhook bodies are kept this long for inspection. */
const INBOX_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const SLACK_EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * One sweep: re-signal stale work, and redraw cards whose 24-hour window closed since they were drawn. At start-up
 * (`everything`) all open work is signalled, however recent: signals held in memory died with the last process.
 */
export async function sweepOnce(deps: Deps, options: { everything?: boolean } = {}): Promise<number> {
  const now = deps.clock.now();
  const olderThan = options.everything ? new Date(now.getTime() + 1) : new Date(now.getTime() - STALE_AFTER_MS);
  const ids = new Set<number>([
    ...(await listConversationsWithStaleSlackOps(deps.db, olderThan, now, BATCH)),
    ...(await listConversationsWithStaleSends(deps.db, olderThan, now, BATCH)),
  ]);
  for (const id of await listCardsWithExpiredWindow(deps.db, new Date(now.getTime() - WINDOW_MS), BATCH)) {
    await deps.db.transaction(async (tx) => {
      await bumpCardVersion(tx, id);
      await enqueueCardUpdate(tx, id);
    });
    ids.add(id);
  }
  for (const id of ids) await deps.queue.signal(id);
  const inboxBefore = options.everything ? new Date(now.getTime() + 1) : new Date(now.getTime() - INBOX_STALE_AFTER_MS);
  if (await hasPendingInbox(deps.db, inboxBefore, now)) await deps.queue.signal(INBOX_WORK);
  if (await hasOpenChannelOps(deps.db, now)) await deps.queue.signal(CHANNEL_WORK);
  return ids.size;
}

export function startSweeper(deps: Deps, intervalMs = 2_000): { stop(): void } {
  let running = false;
  let lastCleanup = 0;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      try {
        await sweepOnce(deps);
        const now = deps.clock.now().getTime();
        if (now - lastCleanup > 60 * 60 * 1000) {
          lastCleanup = now;
          await deleteSlackEventsBefore(deps.db, new Date(now - SLACK_EVENT_RETENTION_MS));
          await deleteProcessedInbox(deps.db, new Date(now - INBOX_RETENTION_MS));
        }
      } catch (err) {
        deps.logger.warn({ err }, 'sweep failed');
      } finally {
        running = false;
      }
    })();
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
