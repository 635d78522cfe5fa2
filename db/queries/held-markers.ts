import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { slackOutbox } from '../schema';

/**
 * The "not sent" marker of a held reply is a post_notice op whose id the held message keeps in its payload
 * (`heldMarkerOpId`, services/held-markers.ts). Found again when the reply is decided, to take its buttons away.
 */

export interface HeldMarkerOp {
  id: number;
  state: string;
  resultTs: string | null;
}

export async function findHeldMarkerOp(db: DbOrTx, opId: number): Promise<HeldMarkerOp | undefined> {
  const [row] = await db
    .select({ id: slackOutbox.id, state: slackOutbox.state, resultTs: slackOutbox.resultTs })
    .from(slackOutbox)
    .where(eq(slackOutbox.id, opId));
  return row;
}

/**
 * Changes what a marker not yet posted will say (merged into its payload: the worker's reserved slot stays); false
 * once the worker has taken it.
 */
export async function replacePendingMarker(db: DbOrTx, id: number, patch: Record<string, unknown>): Promise<boolean> {
  const rows = await db
    .update(slackOutbox)
    .set({ payload: sql`${slackOutbox.payload} || ${JSON.stringify(patch)}::jsonb` })
    .where(and(eq(slackOutbox.id, id), eq(slackOutbox.state, 'pending')))
    .returning({ id: slackOutbox.id });
  return rows.length > 0;
}
