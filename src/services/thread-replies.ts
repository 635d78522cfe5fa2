import { insertAuditEvent } from '../../db/queries/audit';
import {
  claimConversation,
  findConversationById,
  findConversationByThread,
  findOpenConversation,
  recordOutbound,
  reopenConversation,
} from '../../db/queries/conversations';
import { findMoveFromThread } from '../../db/queries/handoff';
import { recordSlackEvent } from '../../db/queries/inbox';
import { insertOutboundMessages } from '../../db/queries/messages';
import { insertNote } from '../../db/queries/notes';
import { enqueueCardUpdate, enqueueSlackOp } from '../../db/queries/slack-outbox';
import type { Tx } from '../../db/client';
import type { Conversation, Message, Note } from '../../db/schema';
import {
  buildActionError,
  buildConversationClosedElsewhere,
  buildConversationMoved,
  buildFileRejected,
  buildReplyHeldNotOwner,
  buildReplyHeldWindowClosed,
  buildReopenedByReply,
  buildReplySplit,
} from '../../blocks/ephemerals';
import type { Deps } from '../deps';
import { isSlackFileUrl } from '../outbound-hosts';
import type { SlackFileRef } from '../slack/gateway';
import { checkChannelAccess } from './channel-access';
import { enqueueHeldMarker } from './held-markers';
import { markCustomerRead } from './read-receipts';
import { WHATSAPP_TEXT_LIMIT, buildReplyContent, isNote, stripNotePrefix } from './reply-content';
import { windowState } from './window';

export interface ThreadReply {
  eventId: string;
  channel: string;
  threadTs: string;
  ts: string;
  userId: string;
  text: string;
  files: SlackFileRef[];
}

export type ReplyOutcome =
  | { type: 'duplicate' | 'not_a_conversation' | 'empty' }
  | { type: 'note'; noteId: number }
  | { type: 'queued'; messageIds: number[]; claimed: boolean; reopened?: boolean }
  | { type: 'held'; reason: 'not_owner'; ownerId: string; messageIds: number[] }
  | { type: 'held'; reason: 'window_closed'; messageIds: number[] }
  | { type: 'closed_elsewhere'; newerConversationId: number }
  | { type: 'moved'; conversationId: number }
  | { type: 'refused'; message: string };

/** The ✍️ of a note: a 📝 on the agent's message says "kept private" (slack.md §1.2: add-only reactions). */
export const NOTE_REACTION = 'memo';

/**
 * A human reply in a conversation thread (DESIGN §3 Outbound): a note, the owner's reply, an unowned conversation
 * (the replier claims it atomically, then it is sent), someone else's (held), or a closed window (held).
 */
export async function handleThreadReply(deps: Deps, reply: ThreadReply): Promise<ReplyOutcome> {
  if (!(await recordSlackEvent(deps.db, reply.eventId))) return { type: 'duplicate' };
  let conversation = await findConversationByThread(deps.db, reply.channel, reply.threadTs);
  const { config, clock } = deps;
  if (!conversation) return handleReplyInLeftThread(deps, reply);
  const access = await checkChannelAccess(deps, reply.userId, reply.channel);
  if (!access.ok) return refuseReply(deps, reply, access.message);

  if (isNote(reply.text, config.notePrefixes)) {
    return saveNote(deps, conversation, reply, stripNotePrefix(reply.text, config.notePrefixes), 'thread');
  }

  if (conversation.state === 'closed') {
    const newer = await findOpenConversation(deps.db, conversation.phoneNumberId, conversation.contactId);
    if (newer && newer.id !== conversation.id) {
      tellReplier(deps, reply, async () => {
        const permalink = newer.threadTs
          ? await deps.slack.getPermalink({ channel: newer.channelId, ts: newer.threadTs })
          : undefined;
        return buildConversationClosedElsewhere({ permalink });
      });
      return { type: 'closed_elsewhere', newerConversationId: newer.id };
    }
  }

  const content = await buildReplyContent(deps.slack, {
    text: reply.text,
    files: reply.files,
    slackTs: reply.ts,
    slackChannelId: reply.channel,
    userId: reply.userId,
    isSlackFileUrl: (url) => isSlackFileUrl(url, deps.config.slack.apiUrl),
    signature: deps.config.whatsapp.signReplies === 'name' ? await signatureOf(deps, reply.userId) : undefined,
  });
  for (const rejected of content.rejectedFiles) {
    tellReplier(deps, reply, () => Promise.resolve(buildFileRejected(rejected)));
  }
  if (content.parts.length === 0) return { type: 'empty' };
  const snippet = content.preview || content.parts.map((p) => p.kind).join(', ');
  const now = clock.now();

  const window = windowState(conversation.lastInboundAt, now);
  if (!window.open) {
    const held = await insertParts(deps, conversation, content.parts, 'held', 'window_closed', { authorId: reply.userId, snippet });
    const conversationId = conversation.id;
    tellReplier(deps, reply, () =>
      Promise.resolve(buildReplyHeldWindowClosed({ closedAt: window.closesAt ?? now, messageId: held[0]?.id ?? 0, snippet, conversationId })),
    );
    return { type: 'held', reason: 'window_closed', messageIds: held.map((m) => m.id) };
  }

  const conversationId = conversation.id;
  const outcome = await deps.db.transaction(async (tx) => {
    let claimed = false;
    let reopened = false;
    let current = await findConversationById(tx, conversationId);
    if (!current) throw new Error('conversation vanished');
    if (current.state === 'closed') {
      current = (await reopenConversation(tx, current.id, reply.userId)) ?? current;
      if (current.state !== 'closed') {
        reopened = true;
        await insertAuditEvent(tx, { conversationId: current.id, type: 'reopened', actorId: reply.userId, detail: { by: 'reply' }, at: now });
      }
    } else if (!current.ownerId) {
      const won = await claimConversation(tx, current.id, reply.userId, 'replied first', now);
      if (won) {
        claimed = true;
        current = won;
        await insertAuditEvent(tx, { conversationId: current.id, type: 'claimed', actorId: reply.userId, targetId: reply.userId, detail: { by: 'reply' }, at: now });
      } else {
        current = (await findConversationById(tx, current.id)) ?? current;
      }
    }
    if (current.ownerId !== reply.userId) {
      const held = await insertOutboundMessages(tx, partsFor(current, content.parts, 'held', 'not_owner'));
      await insertAuditEvent(tx, { conversationId: current.id, type: 'held', actorId: reply.userId, targetId: current.ownerId, detail: { reason: 'not_owner', slackTs: reply.ts }, at: now });
      if (held[0]) {
        const hold = { reason: 'not_owner', ownerId: current.ownerId ?? 'someone' } as const;
        await enqueueHeldMarker(tx, current.id, { messageId: held[0].id, authorId: reply.userId, snippet, hold });
      }
      return { type: 'held', reason: 'not_owner', ownerId: current.ownerId ?? 'someone', messageIds: held.map((m) => m.id) } as const;
    }
    const queued = await insertOutboundMessages(tx, partsFor(current, content.parts, 'queued'));
    await recordOutbound(tx, current.id, now);
    await enqueueCardUpdate(tx, current.id);
    return { type: 'queued', messageIds: queued.map((m) => m.id), claimed, reopened } as const;
  });
  conversation = (await findConversationById(deps.db, conversation.id)) ?? conversation;
  if (outcome.type === 'queued' && outcome.reopened) {
    // Said out loud: replying in a resolved thread reopens it and makes the replier its owner (README).
    tellReplier(deps, reply, () => Promise.resolve(buildReopenedByReply()));
  }
  if (outcome.type === 'queued' && content.textMessages > 1) {
    tellReplier(deps, reply, () => Promise.resolve(buildReplySplit({ messages: content.textMessages, limit: WHATSAPP_TEXT_LIMIT })));
  }

  if (outcome.type === 'held') {
    tellReplier(deps, reply, () =>
      Promise.resolve(buildReplyHeldNotOwner({ ownerId: outcome.ownerId, messageId: outcome.messageIds[0] ?? 0, snippet })),
    );
  }
  await deps.queue.signal(conversation.id);
  if (outcome.type === 'queued') markCustomerRead(deps, conversation.id);
  return outcome;
}

/**
 * A reply in a thread the conversation left (handed to another channel): a note still belongs to it; anything
 * else is not sent, and the replier is pointed to the new thread.
 */
async function handleReplyInLeftThread(deps: Deps, reply: ThreadReply): Promise<ReplyOutcome> {
  const move = await findMoveFromThread(deps.db, reply.channel, reply.threadTs);
  const moved = move ? await findConversationById(deps.db, move.conversationId) : undefined;
  if (!moved) return { type: 'not_a_conversation' };
  const access = await checkChannelAccess(deps, reply.userId, reply.channel);
  if (!access.ok) return refuseReply(deps, reply, access.message);
  if (isNote(reply.text, deps.config.notePrefixes)) {
    return saveNote(deps, moved, reply, stripNotePrefix(reply.text, deps.config.notePrefixes), 'thread');
  }
  tellReplier(deps, reply, async () => {
    const permalink = moved.threadTs ? await deps.slack.getPermalink({ channel: moved.channelId, ts: moved.threadTs }) : undefined;
    return buildConversationMoved({ channelId: moved.channelId, permalink });
  });
  return { type: 'moved', conversationId: moved.id };
}

export async function saveNote(
  deps: Deps,
  conversation: Conversation,
  reply: NoteAuthor,
  body: string,
  source: NoteSource,
): Promise<ReplyOutcome> {
  const note = await deps.db.transaction((tx) => insertNoteInTx(deps, tx, conversation, reply, body, source));
  if (!note) return { type: 'duplicate' };
  await deps.queue.signal(conversation.id);
  return { type: 'note', noteId: note.id };
}

type NoteAuthor = { userId: string; ts?: string | undefined; channel: string };
type NoteSource = 'thread' | 'held' | 'handoff';

/** The note, its audit entry and its 📝, in the caller's transaction; undefined when this Slack message already is one. */
export async function insertNoteInTx(
  deps: Pick<Deps, 'clock'>,
  tx: Tx,
  conversation: Conversation,
  reply: NoteAuthor,
  body: string,
  source: NoteSource,
): Promise<Note | undefined> {
  const inserted = await insertNote(tx, { conversationId: conversation.id, authorId: reply.userId, body, slackTs: reply.ts, source });
  if (!inserted) return undefined;
  await insertAuditEvent(tx, { conversationId: conversation.id, type: 'noted', actorId: reply.userId, detail: { noteId: inserted.id, source }, at: deps.clock.now() });
  if (reply.ts) {
    await enqueueSlackOp(tx, { conversationId: conversation.id, kind: 'add_reaction', payload: { ts: reply.ts, channel: reply.channel, name: NOTE_REACTION } });
  }
  return inserted;
}

function partsFor(
  conversation: Conversation,
  parts: Awaited<ReturnType<typeof buildReplyContent>>['parts'],
  waState: 'queued' | 'held',
  holdReason?: 'not_owner' | 'window_closed',
) {
  return parts.map((p) => ({ ...p, conversationId: conversation.id, waState, holdReason: holdReason ?? null }));
}

async function insertParts(
  deps: Deps,
  conversation: Conversation,
  parts: Awaited<ReturnType<typeof buildReplyContent>>['parts'],
  waState: 'held',
  holdReason: 'window_closed',
  marker: { authorId: string; snippet: string },
): Promise<Message[]> {
  return deps.db.transaction(async (tx) => {
    const rows = await insertOutboundMessages(tx, partsFor(conversation, parts, waState, holdReason));
    await insertAuditEvent(tx, { conversationId: conversation.id, type: 'held', actorId: rows[0]?.slackUserId ?? 'unknown', detail: { reason: holdReason }, at: deps.clock.now() });
    if (rows[0]) await enqueueHeldMarker(tx, conversation.id, { messageId: rows[0].id, ...marker, hold: { reason: holdReason } });
    return rows;
  });
}

/**
 * Someone outside the conversation's channel (Slack would not normally deliver that, but a replayed or crafted event
 * can): nothing is stored or sent. The ephemeral cannot reach a non-member there, so they get a DM instead.
 */
function refuseReply(deps: Deps, reply: ThreadReply, message: string): ReplyOutcome {
  deps.logger.warn({ userId: reply.userId, channel: reply.channel }, 'thread reply from someone who may not act there; not sent');
  const refusal = buildActionError(`Your reply was not sent. ${message}`);
  deps.background.run('reply refusal', async () => {
    try {
      await deps.slack.postEphemeral({ channel: reply.channel, user: reply.userId, threadTs: reply.threadTs, ...refusal });
    } catch {
      const dm = await deps.slack.openDm(reply.userId);
      await deps.slack.postMessage({ channel: dm, ...refusal });
    }
  });
  return { type: 'refused', message };
}

/** The name customers see in front of a signed reply: the agent's Slack display name. */
export async function signatureOf(deps: Pick<Deps, 'slack'>, userId: string): Promise<string | undefined> {
  try {
    const u = await deps.slack.getUser(userId);
    return u.displayName || u.realName || u.name;
  } catch {
    return undefined;
  }
}

/** Ephemerals go after the durable write and never hold up Slack's ack (slack.md §2.1). */
function tellReplier(
  deps: Deps,
  reply: { channel: string; userId: string; threadTs: string },
  build: () => Promise<{ text: string; blocks: import('@slack/types').KnownBlock[] }>,
): void {
  deps.background.run('reply ephemeral', async () => {
    const message = await build();
    await deps.slack.postEphemeral({ channel: reply.channel, user: reply.userId, threadTs: reply.threadTs, ...message });
  });
}
