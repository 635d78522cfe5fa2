import type { KnownBlock } from '@slack/types';
import { buildGenericNotice } from '../../blocks/notices';
import { context, link } from '../../blocks/primitives';
import type { SlackMessage } from '../../blocks/types';
import type { DbOrTx } from '../../db/client';
import { enqueueSlackOp } from '../../db/queries/slack-outbox';
import type { Conversation, NoticePayload } from '../../db/schema';
import type { Deps } from '../deps';

/**
 * A `post_notice` op that says something in words (payload.text), optionally with blocks, optionally into a thread
 * the conversation has left (after a move to another channel: the worker otherwise posts into the conversation's
 * current thread), optionally ending with a link to the current thread, and optionally replacing that old thread's
 * parent (the old header card). Written by the handoff; rendered by the worker's postNotice.
 */
export interface ThreadNoticePayload {
  text: string;
  blocks?: KnownBlock[] | undefined;
  /** Post into this thread instead of the conversation's current one. */
  channel?: string | undefined;
  threadTs?: string | undefined;
  /**
   * A link appended when posting (its permalink is only known, or only fetched, then): to the given thread, else to
   * the conversation's current one. After the text, or as a last context block when there are blocks.
   */
  link?: { label: string; channel?: string | undefined; threadTs?: string | undefined } | undefined;
  /** chat.update the target thread's parent with this before posting (idempotent, so safe on a retry). */
  replaceParent?: SlackMessage | undefined;
}

export async function enqueueThreadNotice(db: DbOrTx, conversationId: number, payload: ThreadNoticePayload): Promise<void> {
  const clean = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined)) as unknown as ThreadNoticePayload;
  await enqueueSlackOp(db, {
    conversationId,
    kind: 'post_notice',
    payload: {
      ...clean,
      notice: 'text',
      blocks: clean.blocks as unknown as Record<string, unknown>[] | undefined,
      replaceParent: clean.replaceParent as unknown as { text: string; blocks: Record<string, unknown>[] } | undefined,
    },
  });
}

export interface RenderedNotice {
  channel: string;
  threadTs: string;
  message: SlackMessage;
  replaceParent?: SlackMessage | undefined;
}

/** What a generic notice op posts, and where. The payload is our own data: a shape we did not write is a bug. */
export async function renderThreadNotice(
  deps: Pick<Deps, 'slack'>,
  conversation: Conversation,
  payload: Extract<NoticePayload, { notice: 'text' }>,
): Promise<RenderedNotice> {
  const channel = payload.channel && payload.threadTs ? payload.channel : conversation.channelId;
  const threadTs = payload.channel && payload.threadTs ? payload.threadTs : (conversation.threadTs as string);
  let text = payload.text;
  let blocks = payload.blocks as unknown as KnownBlock[] | undefined;
  const linkChannel = payload.link?.channel && payload.link.threadTs ? payload.link.channel : conversation.channelId;
  const linkTs = payload.link?.channel && payload.link.threadTs ? payload.link.threadTs : conversation.threadTs;
  if (payload.link && linkTs) {
    const linked = link(await deps.slack.getPermalink({ channel: linkChannel, ts: linkTs }), payload.link.label);
    if (blocks) blocks = [...blocks, context([linked])];
    else text = `${text} ${linked}`;
  }
  const message = blocks ? { text, blocks } : buildGenericNotice(text);
  const replaceParent = payload.replaceParent
    ? { text: payload.replaceParent.text, blocks: payload.replaceParent.blocks as unknown as KnownBlock[] }
    : undefined;
  return { channel, threadTs, message, replaceParent };
}
