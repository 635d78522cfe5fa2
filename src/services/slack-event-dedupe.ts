import { forgetSlackEvent } from '../../db/queries/inbox';
import type { Deps } from '../deps';

/**
 * Handling records the event_id first so Slack's retries are no-ops (slack.md §2.1). If handling then fails, the
 * id is forgotten again so Slack's next retry gets a real second chance instead of being dropped as a duplicate.
 */
export async function forgetSlackEventOnFailure<T>(deps: Pick<Deps, 'db' | 'logger'>, eventId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    await forgetSlackEvent(deps.db, eventId).catch((forgetErr: unknown) =>
      deps.logger.error({ err: forgetErr, eventId }, 'could not forget a failed Slack event'),
    );
    throw err;
  }
}
