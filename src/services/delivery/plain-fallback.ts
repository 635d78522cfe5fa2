import type { KnownBlock } from '@slack/types';
import type { SlackOp } from '../../../db/schema';

/** Blocks for a post, unless Slack refused them once: then the fallback text alone carries it (slack-ops.ts). */
export function blocksFor(op: SlackOp, blocks: KnownBlock[]): KnownBlock[] | undefined {
  return 'plain' in op.payload && op.payload.plain ? undefined : blocks;
}
