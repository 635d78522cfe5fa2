import { reserveOpSlot } from '../../db/queries/slack-outbox';
import type { SlackOp } from '../../db/schema';
import type { Deps } from '../deps';
import type { BucketRule } from './rate-limiter';

/**
 * Whether an op may call Slack now under the limit of `bucket`: 0 when it may (its reserved slot has come, or a
 * slot is free), otherwise the ms until its reserved slot. The slot is kept on the op, so the worker comes back at
 * its turn and goes without reserving again (no herd of waiting threads racing for each token). Slots are wall-clock
 * time, like the platform limits they stand for.
 */
export async function awaitSlackTurn(deps: Pick<Deps, 'db' | 'limits'>, op: SlackOp, bucket: string, rule: BucketRule): Promise<number> {
  const slot = op.payload.slot;
  if (typeof slot === 'number') return Math.max(0, slot - Date.now());
  const delay = await deps.limits.reserve(bucket, rule);
  if (delay <= 0) return 0;
  await reserveOpSlot(deps.db, op.id, Date.now() + delay);
  return delay;
}
