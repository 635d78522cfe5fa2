import { date, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { AgentRole, RoutingMode } from './enums';

/** Slack users who work the inbox: their role and shift. */
export const agents = pgTable('agents', {
  slackUserId: text('slack_user_id').primaryKey(),
  role: text('role').$type<AgentRole>().notNull().default('agent'),
  displayName: text('display_name'),
  onShiftSince: timestamp('on_shift_since', { withTimezone: true }),
  lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Agent = typeof agents.$inferSelect;

/** Per-channel settings (admin-only): how new conversations are routed and the team's time targets. */
export const channelSettings = pgTable('channel_settings', {
  channelId: text('channel_id').primaryKey(),
  routingMode: text('routing_mode').$type<RoutingMode>().notNull().default('manual'),
  /** Remind the owner when the customer has waited this long; null = use the configured default. */
  ownerReminderMinutes: integer('owner_reminder_minutes'),
  /** After the reminder, this much longer without a reply sends the conversation back (pool or next agent). */
  ownerReleaseMinutes: integer('owner_release_minutes'),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ChannelSettings = typeof channelSettings.$inferSelect;

/** One row per digest day: inserting it is the lock that makes the digest post once even with many processes. */
export const digestRuns = pgTable('digest_runs', {
  day: date('day').primaryKey(),
  channelId: text('channel_id').notNull(),
  claimedBy: text('claimed_by').notNull(),
  /** When the current claim was taken: a claim older than a few minutes without posting is taken over (crash). */
  claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(1),
  postedAt: timestamp('posted_at', { withTimezone: true }),
  postedTs: text('posted_ts'),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type DigestRun = typeof digestRuns.$inferSelect;
