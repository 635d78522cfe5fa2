import { eq, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { slackEvents, webhookEvents } from '../schema';

/** True the first time an event_id is seen; Slack's retries of it return false (slack.md §2.1). */
export async function recordSlackEvent(db: DbOrTx, eventId: string): Promise<boolean> {
  const rows = await db
    .insert(slackEvents)
    .values({ eventId })
    .onConflictDoNothing()
    .returning({ eventId: slackEvents.eventId });
  return rows.length > 0;
}

/** Slack stops retrying within minutes; a day of ids is plenty. */
export async function deleteSlackEventsBefore(db: DbOrTx, before: Date): Promise<void> {
  await db.delete(slackEvents).where(lt(slackEvents.receivedAt, before));
}

export async function insertWebhookEvent(db: DbOrTx, values: { field: string; reason: string; payload: unknown }): Promise<void> {
  // A JSON null (`messages: [null]`) is stored as jsonb null, not SQL NULL: the column keeps what arrived.
  await db.insert(webhookEvents).values({ ...values, payload: values.payload ?? sql`'null'::jsonb` });
}

export async function forgetSlackEvent(db: DbOrTx, eventId: string): Promise<void> {
  await db.delete(slackEvents).where(eq(slackEvents.eventId, eventId));
}

export async function insertWebhookEvents(db: DbOrTx, rows: { field: string; reason: string; payload: unknown }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(webhookEvents).values(rows.map((r) => ({ ...r, payload: r.payload ?? sql`'null'::jsonb` })));
}
