import { buildInboxParkedNotice, buildInboxStatus } from '../../blocks/inbox-notices';
import type { SlackMessage } from '../../blocks/types';
import { enqueueChannelPost } from '../../db/queries/slack-outbox';
import { type InboxRow, listParkedInbox, measureInbox, retryParkedInbox } from '../../db/queries/webhook-inbox';
import { channelForNumber } from '../config';
import type { Deps } from '../deps';
import { INBOX_WORK } from '../queue/work-queue';
import { requireRole } from './agents';
import { decodeInboxRow } from './inbox-decode';

type ParkedDeps = Pick<Deps, 'db' | 'config' | 'logger' | 'clock' | 'metrics'>;

/** The channel of the number a stored POST was for, else the default channel, else the first mapped one. */
function channelOfRow(config: Deps['config'], row: InboxRow): string | undefined {
  const numbers = decodeInboxRow(row).items.flatMap((item) => ('number' in item && item.number ? [item.number.phoneNumberId] : []));
  for (const number of numbers) {
    const channel = channelForNumber(config, number);
    if (channel) return channel;
  }
  return config.slack.defaultChannel ?? config.whatsapp.numberChannels.values().next().value;
}

/** A row was parked: a notice in its number's channel, through the channel's one posting budget (the outbox). */
export async function notifyInboxParked(deps: ParkedDeps, row: InboxRow, error: string): Promise<void> {
  deps.metrics.inboxParked.inc();
  const channelId = channelOfRow(deps.config, row);
  if (!channelId) {
    deps.logger.error({ inboxId: row.id }, 'inbox row parked and no channel to say so in');
    return;
  }
  const notice = buildInboxParkedNotice({ inboxId: row.id, attempts: row.attempts + 1, error });
  await enqueueChannelPost(deps.db, {
    channelId,
    payload: { purpose: 'inbox_parked', text: notice.text, blocks: notice.blocks as unknown as Record<string, unknown>[] },
  });
}

/** What /metrics shows of the pipeline behind the acks: rows waiting, the oldest one's age, rows parked. */
export function measureInboxBacklog(deps: Pick<Deps, 'db' | 'clock'>) {
  return measureInbox(deps.db, deps.clock.now());
}

/** `/threadline inbox`: the backlog and what is parked (managers and admins). */
export async function describeInbox(deps: Pick<Deps, 'db' | 'config' | 'clock'>, actorId: string): Promise<SlackMessage> {
  await requireRole(deps, actorId, 'manager', 'look at the inbox');
  const stats = await measureInbox(deps.db, deps.clock.now());
  const parked = await listParkedInbox(deps.db, 10);
  return buildInboxStatus({ pending: stats.pending, oldestAgeSeconds: stats.oldestAgeSeconds, parked, parkedTotal: stats.parked });
}

/**
 * `/threadline inbox retry <id>|all` and the notice's Retry button (managers and admins): parked rows go back to
 * the inbox with a fresh count of tries, and the processor is woken.
 */
export async function retryParked(
  deps: Pick<Deps, 'db' | 'config' | 'queue' | 'logger'>,
  actorId: string,
  which: number | 'all',
): Promise<{ retried: number }> {
  await requireRole(deps, actorId, 'manager', 'retry parked webhooks');
  const ids = await retryParkedInbox(deps.db, which === 'all' ? undefined : [which]);
  deps.logger.info({ actorId, retried: ids.length }, 'parked inbox rows sent through again');
  if (ids.length > 0) await deps.queue.signal(INBOX_WORK);
  return { retried: ids.length };
}
