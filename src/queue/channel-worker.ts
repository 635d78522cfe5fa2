import { deferOp, listOpenChannelOps, markOpFailed, recordOpAttempt } from '../../db/queries/slack-outbox';
import { acquireNamedLease, releaseNamedLease } from '../../db/queries/webhook-inbox';
import type { SlackOp } from '../../db/schema';
import type { Deps } from '../deps';
import { pgSafeMessage } from '../pg-safe';
import { keepLeaseAlive, leaseHolder } from './lease-holder';
import { backoffMs } from './step';
import { CHANNEL_WORK } from './work-queue';

const LEASE_NAME = 'slack_channel_posts';
const LEASE_MS = 15_000;
const MAX_OWN_ATTEMPTS = 5;

export type ChannelPostRunner = (deps: Deps, op: SlackOp<'post_channel'>) => Promise<{ progressed: boolean; waitMs?: number }>;

/**
 * Channel-level posts (the digest, inbox notices) have no conversation to lease: one run at a time drains them
 * all, in order per channel; a channel that must wait (its rate limit) holds only its own posts back.
 */
export function createChannelWorker(deps: Deps, run: ChannelPostRunner) {
  return async function processChannelPosts(): Promise<void> {
    const holder = leaseHolder(deps.workerId);
    const until = () => new Date(deps.clock.now().getTime() + LEASE_MS);
    if (!(await acquireNamedLease(deps.db, LEASE_NAME, holder, until(), deps.clock.now()))) {
      await deps.queue.signal(CHANNEL_WORK, 1_000);
      return;
    }
    const stopRenewing = keepLeaseAlive(
      () => acquireNamedLease(deps.db, LEASE_NAME, holder, until(), deps.clock.now()),
      LEASE_MS,
      (err) => deps.logger.warn({ err }, 'channel posts lease renewal failed'),
    );
    let waitMs = Infinity;
    try {
      const blocked = new Set<string>();
      for (const parsed of await listOpenChannelOps(deps.db, 100)) {
        if (deps.lifecycle.stopping) break;
        if (!parsed.ok) {
          deps.logger.error({ opId: parsed.row.id, err: parsed.error }, 'channel post unreadable; set aside');
          await markOpFailed(deps.db, parsed.row.id, parsed.error, deps.clock.now());
          continue;
        }
        const op = parsed.op;
        if (op.kind !== 'post_channel') continue;
        const channel = op.channelId ?? '';
        if (blocked.has(channel)) continue;
        const readyIn = op.notBefore ? op.notBefore.getTime() - deps.clock.now().getTime() : 0;
        const outcome = readyIn > 0 ? { progressed: false, waitMs: readyIn } : await runGuarded(op);
        if (outcome.waitMs !== undefined) {
          blocked.add(channel);
          waitMs = Math.min(waitMs, outcome.waitMs);
        }
      }
    } finally {
      await stopRenewing();
      await releaseNamedLease(deps.db, LEASE_NAME, holder);
    }
    if (waitMs !== Infinity) await deps.queue.signal(CHANNEL_WORK, Math.max(10, waitMs));
  };

  async function runGuarded(op: SlackOp<'post_channel'>): Promise<{ progressed: boolean; waitMs?: number }> {
    try {
      return await run(deps, op);
    } catch (err) {
      // Not Slack's answer: a bug or the database. Retried with backoff, then set aside; never a stuck channel.
      const attempts = op.attempts + 1;
      deps.logger.error({ err, opId: op.id, attempts }, 'channel post failed');
      await recordOpAttempt(deps.db, op.id);
      if (attempts >= MAX_OWN_ATTEMPTS) {
        await markOpFailed(deps.db, op.id, pgSafeMessage(err), deps.clock.now());
        return { progressed: true };
      }
      const delay = backoffMs(attempts);
      // Kept in flight: the failure may have come after the post went out, so the next try reads the channel first.
      await deferOp(deps.db, op.id, new Date(deps.clock.now().getTime() + delay), pgSafeMessage(err), true);
      return { progressed: false, waitMs: delay };
    }
  }
}
