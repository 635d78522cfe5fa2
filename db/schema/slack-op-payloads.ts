import { z } from 'zod';
import type { SlackOpKind, SlackOpRow } from './slack-outbox';

/**
 * What each Slack outbox op carries, one discriminated union keyed by `kind`. The payload column is jsonb; it is
 * parsed with these schemas when an op is written and when the worker reads it back (our own data: a shape we did
 * not write is a bug, reported on the op, never a crash of the worker).
 */

/** A rate-limit slot the op holds (epoch ms): it waits until then and goes without reserving again (slack-turn.ts). */
const slot = z.number().optional();
/** Slack refused the blocks once: post the fallback text alone. */
const plain = z.boolean().optional();

const blocks = z.array(z.record(z.string(), z.unknown()));
const message = z.object({ text: z.string(), blocks });

const postCard = z.object({ slot, plain });
const updateCard = z.object({ slot });
const postMessage = z.object({
  slot,
  plain,
  /** The messages this post carries (coalesced), recorded before the call so an uncertain post is found again. */
  batch: z.array(z.number().int()).optional(),
  fileUpload: z.boolean().optional(),
  fileId: z.string().optional(),
});
const updateMessage = z.object({ slot });
const showStatus = z.object({ slot });
const addReaction = z.object({ slot, ts: z.string(), name: z.string(), channel: z.string().optional() });

const deliveryFailed = z.object({ notice: z.literal('delivery_failed'), slot, plain });
const deliveryUncertain = z.object({ notice: z.literal('delivery_uncertain'), slot, plain });
const uncertainSettled = z.object({
  notice: z.literal('uncertain_settled'),
  outcome: z.enum(['confirmed', 'failed', 'resent']),
  status: z.string().optional(),
  by: z.string().optional(),
  slot,
  plain,
});
/** Words, optionally with blocks, optionally into a thread the conversation has left (thread-notice.ts). */
const textNotice = z.object({
  notice: z.literal('text'),
  text: z.string(),
  blocks: blocks.optional(),
  channel: z.string().optional(),
  threadTs: z.string().optional(),
  link: z.object({ label: z.string(), channel: z.string().optional(), threadTs: z.string().optional() }).optional(),
  replaceParent: message.optional(),
  slot,
  plain,
});
// Text notices written before `notice: 'text'` existed carry only `text`.
const notices = z.discriminatedUnion('notice', [deliveryFailed, deliveryUncertain, uncertainSettled, textNotice]);
const postNotice = z.preprocess(
  (v) => (typeof v === 'object' && v !== null && !('notice' in v) ? { ...v, notice: 'text' } : v),
  notices,
);

/**
 * A top-level post in a channel that belongs to no conversation: the daily digest (with its chart in the thread) or
 * an inbox notice. It spends the channel's one posting budget like every thread post (DESIGN §4).
 */
const postChannel = z.object({
  purpose: z.enum(['digest', 'inbox_parked']),
  text: z.string(),
  blocks,
  /** A PNG shared into the post's thread once the post is up. */
  attachment: z
    .object({ filename: z.string(), title: z.string(), altText: z.string(), pngBase64: z.string() })
    .optional(),
  /** The post's ts once it is up (then only the attachment is left). */
  postedTs: z.string().optional(),
  /** The scheduled digest's day: marked posted when the op is done. */
  digestDay: z.string().optional(),
  /**
   * Who asked for it (`/queue digest`): told there if it cannot be posted. The command's response_url reaches them
   * there even where the bot is not a member (slack.md §3); it works for 30 minutes and is never logged.
   */
  requestedBy: z.object({ user: z.string(), channel: z.string(), responseUrl: z.string().optional() }).optional(),
  slot,
  plain,
});

export const slackOpPayloadSchemas = {
  post_card: postCard,
  update_card: updateCard,
  post_message: postMessage,
  update_message: updateMessage,
  show_status: showStatus,
  add_reaction: addReaction,
  post_notice: postNotice,
  post_channel: postChannel,
} as const satisfies Record<SlackOpKind, z.ZodType>;

export type SlackOpPayload<K extends SlackOpKind> = z.infer<(typeof slackOpPayloadSchemas)[K]>;
/** What a writer passes: the payload as the schema accepts it (optional keys may be left out). */
export type SlackOpPayloadInput<K extends SlackOpKind> = K extends 'post_notice'
  ? z.input<typeof notices>
  : z.input<(typeof slackOpPayloadSchemas)[K]>;
export type NoticePayload = SlackOpPayload<'post_notice'>;
export type ChannelPostPayload = SlackOpPayload<'post_channel'>;

/** An op as the worker sees it: its row with the payload typed by its kind. */
export type SlackOp<K extends SlackOpKind = SlackOpKind> = {
  [P in K]: Omit<SlackOpRow, 'kind' | 'payload'> & { kind: P; payload: SlackOpPayload<P> };
}[K];

export type ParsedSlackOp = { ok: true; op: SlackOp } | { ok: false; row: SlackOpRow; error: string };

export function parseSlackOpPayload<K extends SlackOpKind>(kind: K, payload: unknown): SlackOpPayload<K> {
  return slackOpPayloadSchemas[kind].parse(payload) as SlackOpPayload<K>;
}

export function parseSlackOp(row: SlackOpRow): ParsedSlackOp {
  const schema = slackOpPayloadSchemas[row.kind] as z.ZodType | undefined;
  if (!schema) return { ok: false, row, error: `unknown op kind ${String(row.kind)}` };
  const parsed = schema.safeParse(row.payload);
  if (!parsed.success) return { ok: false, row, error: `op payload does not match ${row.kind}: ${parsed.error.message}` };
  return { ok: true, op: { ...row, payload: parsed.data } as SlackOp };
}
