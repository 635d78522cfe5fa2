import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { type ChannelSettings, type RoutingMode, channelSettings } from '../schema';

export async function findChannelSettings(db: DbOrTx, channelId: string): Promise<ChannelSettings | undefined> {
  const [row] = await db.select().from(channelSettings).where(eq(channelSettings.channelId, channelId));
  return row;
}

export async function listSettingsOfChannels(db: DbOrTx, channelIds: string[]): Promise<ChannelSettings[]> {
  if (channelIds.length === 0) return [];
  return db.select().from(channelSettings).where(inArray(channelSettings.channelId, channelIds));
}

export async function listChannelSettings(db: DbOrTx): Promise<ChannelSettings[]> {
  return db.select().from(channelSettings).orderBy(asc(channelSettings.channelId));
}

export async function upsertRoutingMode(db: DbOrTx, channelId: string, routingMode: RoutingMode, updatedBy: string): Promise<void> {
  await db
    .insert(channelSettings)
    .values({ channelId, routingMode, updatedBy })
    .onConflictDoUpdate({ target: channelSettings.channelId, set: { routingMode, updatedBy, updatedAt: sql`now()` } });
}

/** null keeps the configured default for that period. */
export async function upsertOwnerTimeouts(
  db: DbOrTx,
  channelId: string,
  minutes: { reminder: number | null; release: number | null },
  updatedBy: string,
): Promise<void> {
  const set = { ownerReminderMinutes: minutes.reminder, ownerReleaseMinutes: minutes.release, updatedBy };
  await db
    .insert(channelSettings)
    .values({ channelId, ...set })
    .onConflictDoUpdate({ target: channelSettings.channelId, set: { ...set, updatedAt: sql`now()` } });
}
