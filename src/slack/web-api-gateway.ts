import { type FetchFunction, type Logger as SlackLogger, LogLevel, WebClient } from '@slack/web-api';
import { z } from 'zod';
import { type Clock, systemClock } from '../clock';
import { libraryLogText } from '../log-privacy';
import type { Logger } from '../logger';
import type { SlackGateway, SlackUser } from './gateway';
import { SlackPermanentError, SlackUncertainError } from './gateway';
import { postEphemeralResponse } from './response-url';
import { downloadSlackFile, uploadFileBytes } from './slack-file-transfer';
import { SlackUploadUncertainError, toSlackError } from './slack-errors';

/**
 * SlackGateway over @slack/web-api with blind retries off: the SDK's retries can double-post and its 429 handling
 * pauses every call on the client (slack.md §1.4, §10.1). Every failure is thrown as a SlackError; the delivery
 * engine retries deliberately.
 */

export interface SlackGatewayOptions {
  token: string;
  /** Slack Web API base with a trailing slash; an emulator's apiUrl in tests and the sandbox. */
  apiUrl?: string;
  logger: Logger;
  timeoutMs?: number;
  clock?: Clock;
  /** How long users.info answers are reused. */
  userCacheTtlMs?: number;
  /** The largest file download accepted (default: the largest file WhatsApp takes). */
  downloadMaxBytes?: number;
}

/** Metadata event type our posts carry, so a post can be found again after an uncertain outcome (DESIGN §4). */
export const POST_METADATA_EVENT_TYPE = 'threadline_post';

/** How many pages of channel history findPostedMessage reads before giving up. */
const HISTORY_PAGES = 5;

/**
 * users.conversations pages: Slack recommends at most 200 per page (max 999); 50 pages cover 10,000 channels. A
 * person in more is refused the rest, never shown more than they are in.
 */
const CHANNEL_PAGE_SIZE = 200;
const CHANNEL_PAGES = 50;

/** Methods that change nothing: a timeout there is safe to retry. */
const READ_ONLY_METHODS = new Set([
  'conversations.replies',
  'conversations.history',
  'conversations.info',
  'users.info',
  'files.info',
  'chat.getPermalink',
  'conversations.open',
  'users.conversations',
]);

/** Other apps' metadata can be anything; only ours has to match, so a foreign shape must not fail the page. */
const ourMetadata = z.object({ event_type: z.literal(POST_METADATA_EVENT_TYPE), event_payload: z.object({ op_id: z.coerce.number() }) });
const postedMessage = z.object({ ts: z.string(), metadata: z.unknown().optional() });
const messagesPage = z.object({
  messages: z.array(postedMessage).default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});
const channelsPage = z.object({
  channels: z.array(z.object({ id: z.string() })).default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});
const userInfo = z.object({
  user: z.object({
    id: z.string(),
    name: z.string(),
    real_name: z.string().optional(),
    is_bot: z.boolean().default(false),
    tz: z.string().optional(),
    profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).optional(),
  }),
});
const fileShares = z.object({
  file: z.object({
    shares: z
      .object({
        public: z.record(z.string(), z.array(z.unknown())).optional(),
        private: z.record(z.string(), z.array(z.unknown())).optional(),
      })
      .optional(),
  }),
});

/** The SDK's logger interface, writing into our pino logger. */
function toSlackLogger(logger: Logger): SlackLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => logger[level]({ component: '@slack/web-api' }, libraryLogText(msg));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

/**
 * WebClient keeps a fetch failure's `cause` (ECONNREFUSED vs. a reset, which decides transient vs. uncertain) only
 * when the failure is `instanceof Error`; otherwise it wraps `String(error)` and the cause is lost (inference from
 * WebClient.makeRequest). Failures from another realm (Jest's vm context) fail that check, so they are re-thrown
 * as this realm's Error with the cause attached: tests then see what production sees.
 */
const fetchKeepingCause: FetchFunction = async (url, init) => {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (error instanceof Error) throw error;
    throw new Error(String(error), { cause: error });
  }
};

function isOurPost(message: z.infer<typeof postedMessage>, opId: number): boolean {
  const metadata = ourMetadata.safeParse(message.metadata);
  return metadata.success && metadata.data.event_payload.op_id === opId;
}

export function createSlackGateway(opts: SlackGatewayOptions): SlackGateway {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const clock = opts.clock ?? systemClock;
  const userCacheTtlMs = opts.userCacheTtlMs ?? 10 * 60 * 1000;
  const apiUrl = opts.apiUrl ?? 'https://slack.com/api/';
  const client = new WebClient(opts.token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logger: toSlackLogger(opts.logger),
    fetch: fetchKeepingCause,
  });

  /** One Web API call; the answer is parsed with `schema`, any failure becomes a SlackError. */
  async function call<T>(method: string, args: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    let result: unknown;
    try {
      result = await client.apiCall(method, args);
    } catch (error) {
      throw toSlackError(method, error, { readOnly: READ_ONLY_METHODS.has(method) });
    }
    const parsed = schema.safeParse(result);
    // ok:true but not the shape Slack documents: whatever we asked for may have happened.
    if (!parsed.success) throw new SlackUncertainError(method, `unexpected answer: ${parsed.error.message}`);
    return parsed.data;
  }

  const anyAnswer = z.unknown();
  const userCache = new Map<string, { expiresAt: number; user: Promise<SlackUser> }>();

  async function findInPages(method: string, args: Record<string, unknown>, opId: number, maxPages: number): Promise<string | undefined> {
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page += 1) {
      const answer = await call(method, { ...args, include_all_metadata: true, ...(cursor ? { cursor } : {}) }, messagesPage);
      const found = answer.messages.find((m) => isOurPost(m, opId));
      if (found) return found.ts;
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  async function fetchUser(userId: string): Promise<SlackUser> {
    const { user } = await call('users.info', { user: userId }, userInfo);
    return {
      id: user.id,
      name: user.name,
      isBot: user.is_bot,
      ...(user.profile?.real_name || user.real_name ? { realName: user.profile?.real_name || user.real_name } : {}),
      ...(user.profile?.display_name ? { displayName: user.profile.display_name } : {}),
      ...(user.tz ? { tz: user.tz } : {}),
    };
  }

  return {
    async postMessage(args) {
      const answer = await call(
        'chat.postMessage',
        {
          channel: args.channel,
          thread_ts: args.threadTs,
          text: args.text,
          blocks: args.blocks,
          username: args.username,
          icon_emoji: args.iconEmoji,
          icon_url: args.iconUrl,
          // Customer text may carry links; unfurls would leak previews into the thread (slack.md §5).
          unfurl_links: false,
          unfurl_media: false,
          metadata: args.metadata
            ? { event_type: POST_METADATA_EVENT_TYPE, event_payload: { op_id: args.metadata.opId, conversation_id: args.metadata.conversationId } }
            : undefined,
        },
        z.object({ ts: z.string() }),
      );
      return { ts: answer.ts };
    },

    async updateMessage(args) {
      await call('chat.update', { channel: args.channel, ts: args.ts, text: args.text, blocks: args.blocks }, anyAnswer);
    },

    async postEphemeral(args) {
      await call('chat.postEphemeral', { channel: args.channel, user: args.user, thread_ts: args.threadTs, text: args.text, blocks: args.blocks }, anyAnswer);
    },

    async addReaction(args) {
      try {
        await call('reactions.add', { channel: args.channel, timestamp: args.ts, name: args.name }, anyAnswer);
      } catch (error) {
        if (error instanceof SlackPermanentError && error.code === 'already_reacted') return;
        throw error;
      }
    },

    async uploadFile(args) {
      const upload = await call(
        'files.getUploadURLExternal',
        { filename: args.filename, length: args.data.length, alt_txt: args.altText },
        z.object({ upload_url: z.string(), file_id: z.string() }),
      );
      await uploadFileBytes(upload.upload_url, args.data, opts.token, { slackApiUrl: apiUrl, timeoutMs });
      try {
        await call(
          'files.completeUploadExternal',
          {
            files: [{ id: upload.file_id, title: args.title ?? args.filename }],
            channel_id: args.channel,
            thread_ts: args.threadTs,
            initial_comment: args.initialComment,
            username: args.username,
          },
          anyAnswer,
        );
      } catch (error) {
        if (error instanceof SlackUncertainError) throw new SlackUploadUncertainError(error.method, error.message, upload.file_id);
        throw error;
      }
      return { fileId: upload.file_id };
    },

    async isFileShared(args) {
      try {
        const { file } = await call('files.info', { file: args.fileId }, fileShares);
        return Boolean(file.shares?.public?.[args.channel] ?? file.shares?.private?.[args.channel]);
      } catch (error) {
        // An upload that was never completed is not a file Slack shows yet.
        if (error instanceof SlackPermanentError && error.code === 'file_not_found') return false;
        throw error;
      }
    },

    findPostedReply(args) {
      return findInPages('conversations.replies', { channel: args.channel, ts: args.threadTs, limit: 200 }, args.opId, Number.POSITIVE_INFINITY);
    },

    findPostedMessage(args) {
      return findInPages('conversations.history', { channel: args.channel, oldest: args.oldest, limit: 100 }, args.opId, HISTORY_PAGES);
    },

    downloadFile(url) {
      return downloadSlackFile(url, opts.token, { slackApiUrl: apiUrl, timeoutMs, ...(opts.downloadMaxBytes ? { maxBytes: opts.downloadMaxBytes } : {}) });
    },

    getUser(userId) {
      const now = clock.now().getTime();
      const cached = userCache.get(userId);
      if (cached && cached.expiresAt > now) return cached.user;
      const user = fetchUser(userId);
      userCache.set(userId, { expiresAt: now + userCacheTtlMs, user });
      // A failed lookup must not be cached.
      user.catch(() => {
        if (userCache.get(userId)?.user === user) userCache.delete(userId);
      });
      return user;
    },

    async getPermalink(args) {
      const answer = await call('chat.getPermalink', { channel: args.channel, message_ts: args.ts }, z.object({ permalink: z.string() }));
      return answer.permalink;
    },

    async isMember(channel) {
      const answer = await call('conversations.info', { channel }, z.object({ channel: z.object({ is_member: z.boolean().optional() }) }));
      return answer.channel.is_member === true;
    },

    async listUserChannels(userId) {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < CHANNEL_PAGES; page += 1) {
        const answer = await call(
          'users.conversations',
          { user: userId, types: 'public_channel,private_channel', exclude_archived: true, limit: CHANNEL_PAGE_SIZE, ...(cursor ? { cursor } : {}) },
          channelsPage,
        );
        ids.push(...answer.channels.map((c) => c.id));
        cursor = answer.response_metadata?.next_cursor || undefined;
        if (!cursor) return ids;
      }
      opts.logger.warn({ userId, channels: ids.length }, 'users.conversations has more pages than threadline reads; the rest count as not joined');
      return ids;
    },

    async openView(args) {
      const answer = await call('views.open', { trigger_id: args.triggerId, view: args.view }, z.object({ view: z.object({ id: z.string() }) }));
      return { viewId: answer.view.id };
    },

    async updateView(args) {
      await call('views.update', { view_id: args.viewId, view: args.view }, anyAnswer);
    },

    async publishHome(args) {
      await call('views.publish', { user_id: args.userId, view: args.view }, anyAnswer);
    },

    async openDm(userId) {
      const answer = await call('conversations.open', { users: userId }, z.object({ channel: z.object({ id: z.string() }) }));
      return answer.channel.id;
    },

    respond: (args) => postEphemeralResponse(args, { slackApiUrl: apiUrl, timeoutMs }),
  };
}
