import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../src/deps';
import { slackChannelId, slackTs, slackUserId } from '../../src/ids';
import { pgSafeString } from '../../src/pg-safe';
import { handleSlackEdit } from '../../src/services/slack-edits';
import { handleThreadReply } from '../../src/services/thread-replies';
import { forgetSlackEventOnFailure } from '../../src/services/slack-event-dedupe';

/** Slack's own limits bound what a real event carries: a longer text or more files is not from Slack (slack.md §5). */
const MAX_TEXT = 40_000;
const MAX_FILES = 20;
const url = z.string().max(3000);
/**
 * What people wrote, as Postgres text can hold it: a NUL or a lone surrogate in Slack's JSON would fail the insert
 * and lose the reply (pg-safe.ts), so each becomes a visible marker instead.
 */
const writtenText = (max: number) => z.string().max(max).transform((text) => pgSafeString(text).value);

const slackFile = z.object({
  id: z.string().max(64),
  name: writtenText(1000).default('file'),
  mimetype: z.string().max(255).default('application/octet-stream'),
  size: z.number().int().nonnegative().default(0),
  url_private_download: url.optional(),
  url_private: url.optional(),
});

const innerMessage = z.object({
  ts: slackTs,
  user: slackUserId.optional(),
  text: writtenText(MAX_TEXT).optional(),
  thread_ts: slackTs.optional(),
  bot_id: z.string().max(64).optional(),
});

const messageEvent = z.object({
  subtype: z.string().max(100).optional(),
  channel: slackChannelId,
  user: slackUserId.optional(),
  text: writtenText(MAX_TEXT).default(''),
  ts: slackTs,
  thread_ts: slackTs.optional(),
  bot_id: z.string().max(64).optional(),
  files: z.array(slackFile).max(MAX_FILES).default([]),
  message: innerMessage.optional(),
  previous_message: innerMessage.optional(),
});

/** Subtypes a person produces when replying in a thread (slack.md §2.3). */
const HUMAN_REPLY_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * Thread replies, edits and deletes in conversation threads. Apps' and bots' posts (ours included) are never
 * relayed: Bolt's ignoreSelf covers our own, `bot_id` covers the rest (slack.md §2.4).
 */
export function registerMessageEvents(app: App, deps: Deps): void {
  app.event('message', async ({ event, body, context }) => {
    const parsed = messageEvent.safeParse(event);
    const eventId = (body as { event_id?: string }).event_id;
    if (!parsed.success || !eventId) return;
    const e = parsed.data;
    const isBot = (m: { bot_id?: string | undefined; user?: string | undefined }) => Boolean(m.bot_id) || m.user === context.botUserId;

    if (HUMAN_REPLY_SUBTYPES.has(e.subtype)) {
      if (!e.thread_ts || e.thread_ts === e.ts || !e.user || isBot(e)) return;
      const files = e.files.flatMap((f) => {
        const url = f.url_private_download ?? f.url_private;
        return url ? [{ id: f.id, name: f.name, mimetype: f.mimetype, size: f.size, urlPrivateDownload: url }] : [];
      });
      await forgetSlackEventOnFailure(deps, eventId, () =>
        handleThreadReply(deps, { eventId, channel: e.channel, threadTs: e.thread_ts as string, ts: e.ts, userId: e.user as string, text: e.text, files }),
      );
      return;
    }
    const changed = e.subtype === 'message_changed' ? e.message : e.subtype === 'message_deleted' ? e.previous_message : undefined;
    if (!changed?.thread_ts || !changed.user || isBot(changed)) return;
    await forgetSlackEventOnFailure(deps, eventId, () =>
      handleSlackEdit(deps, {
        eventId,
        kind: e.subtype === 'message_changed' ? 'edited' : 'deleted',
        channel: e.channel,
        threadTs: changed.thread_ts as string,
        ts: changed.ts,
        userId: changed.user as string,
        newText: changed.text,
        previousText: e.previous_message?.text,
      }),
    );
  });
}
