import { asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type Agent, type AgentRole, agents } from '../schema';

export async function findAgent(db: DbOrTx, slackUserId: string): Promise<Agent | undefined> {
  const [row] = await db.select().from(agents).where(eq(agents.slackUserId, slackUserId));
  return row;
}

/** The agent row, created on first sight (everyone who works a conversation is an agent by default). */
export async function upsertAgent(db: DbOrTx, slackUserId: string, defaults: { role?: AgentRole; displayName?: string } = {}): Promise<Agent> {
  await db
    .insert(agents)
    .values({ slackUserId, role: defaults.role ?? 'agent', displayName: defaults.displayName ?? null })
    .onConflictDoNothing();
  const row = await findAgent(db, slackUserId);
  if (!row) throw new Error(`agent ${slackUserId} vanished`);
  return row;
}

export async function updateAgentRole(db: DbOrTx, slackUserId: string, role: AgentRole): Promise<void> {
  await db
    .insert(agents)
    .values({ slackUserId, role })
    .onConflictDoUpdate({ target: agents.slackUserId, set: { role, updatedAt: sql`now()` } });
}

/** Start a shift; someone already on shift keeps their original start time. */
export async function startShift(db: DbOrTx, slackUserId: string, at: Date): Promise<Agent> {
  const [row] = await db
    .insert(agents)
    .values({ slackUserId, onShiftSince: at })
    .onConflictDoUpdate({
      target: agents.slackUserId,
      set: { onShiftSince: sql`coalesce(${agents.onShiftSince}, excluded.on_shift_since)`, updatedAt: sql`now()` },
    })
    .returning();
  if (!row) throw new Error(`agent ${slackUserId} not saved`);
  return row;
}

/** End a shift; returns when it had started (undefined when the person was not on shift). */
export async function endShift(db: DbOrTx, slackUserId: string): Promise<Date | undefined> {
  const [before] = await db
    .select({ since: agents.onShiftSince })
    .from(agents)
    .where(eq(agents.slackUserId, slackUserId));
  await db
    .update(agents)
    .set({ onShiftSince: null, updatedAt: sql`now()` })
    .where(eq(agents.slackUserId, slackUserId));
  return before?.since ?? undefined;
}

export async function listAgents(db: DbOrTx): Promise<Agent[]> {
  return db.select().from(agents).orderBy(asc(agents.slackUserId));
}

/** Who is on shift, longest first. */
export async function listAgentsOnShift(db: DbOrTx): Promise<Agent[]> {
  return db
    .select()
    .from(agents)
    .where(isNotNull(agents.onShiftSince))
    .orderBy(asc(agents.onShiftSince), asc(agents.slackUserId));
}

/**
 * Locks every on-shift agent row until the transaction ends. Routing calls it before reading who is next: a
 * concurrent routing transaction waits here, and its next statement (a new snapshot under READ COMMITTED) sees the
 * lastAssignedAt this one wrote. Locking and reading in one `ORDER BY … LIMIT 1 FOR UPDATE` would not do: the waiter
 * would be handed the row it sorted before the wait, i.e. the same agent.
 */
export async function lockAgentsOnShift(tx: DbOrTx): Promise<void> {
  await tx.select({ id: agents.slackUserId }).from(agents).where(isNotNull(agents.onShiftSince)).for('update');
}

/**
 * Records that the agent just got a conversation. The stamp is strictly later than anyone's, so round robin keeps
 * its order even when several conversations are routed within one millisecond (or under a stopped test clock).
 */
export async function markAgentAssigned(db: DbOrTx, slackUserId: string, at: Date): Promise<void> {
  const latest = db.select({ at: sql`max(${agents.lastAssignedAt})` }).from(agents);
  await db
    .update(agents)
    .set({ lastAssignedAt: sql`greatest(${at.toISOString()}::timestamptz, (${latest}) + interval '1 millisecond')` })
    .where(eq(agents.slackUserId, slackUserId));
}
