import { insertAuditEvent } from '../../db/queries/audit';
import { assignConversation, findConversationById, recordOutbound } from '../../db/queries/conversations';
import {
  claimResend,
  discardHeldMessages,
  findMessageById,
  insertOutboundMessages,
  listMessagesBySlackTs,
  releaseHeldMessages,
  updateMessage,
} from '../../db/queries/messages';
import { enqueueCardUpdate, enqueueSlackOp } from '../../db/queries/slack-outbox';
import type { Message } from '../../db/schema';
import type { Deps } from '../deps';
import { checkChannelAccess } from './channel-access';
import { settleHeldMarker } from './held-markers';
import { insertNoteInTx } from './thread-replies';
import { windowState } from './window';

type SimpleRefusal = 'not_found' | 'not_held' | 'closed' | 'window_closed' | 'changed';

export type HeldActionResult =
  | { ok: true; messageIds: number[] }
  | { ok: false; reason: SimpleRefusal }
  | { ok: false; reason: 'not_yours'; authorId: string | undefined }
  | { ok: false; reason: 'forbidden'; message: string };

/** The held reply's rows: every part of the one Slack message the button belongs to. */
async function heldRowsOf(deps: Deps, messageId: number, userId: string): Promise<Message[] | HeldActionResult> {
  const first = await findMessageById(deps.db, messageId);
  if (!first || first.direction !== 'outbound' || !first.slackTs) return { ok: false, reason: 'not_found' };
  if (first.slackUserId !== userId) return { ok: false, reason: 'not_yours', authorId: first.slackUserId ?? undefined };
  const refusal = await refuseOutsider(deps, first.conversationId, userId);
  if (refusal) return refusal;
  const rows = (await listMessagesBySlackTs(deps.db, first.conversationId, first.slackTs)).filter(
    (m) => m.direction === 'outbound' && m.waState === 'held',
  );
  if (rows.length === 0) return { ok: false, reason: 'not_held' };
  return rows;
}

/** Only someone who may see the conversation's channel may still act on their reply in it (channel-access.ts). */
async function refuseOutsider(deps: Deps, conversationId: number, userId: string): Promise<HeldActionResult | undefined> {
  const conversation = await findConversationById(deps.db, conversationId);
  if (!conversation) return { ok: false, reason: 'not_found' };
  const access = await checkChannelAccess(deps, userId, conversation.channelId);
  return access.ok ? undefined : { ok: false, reason: 'forbidden', message: access.message };
}

/** Thrown inside a transaction to undo it and answer with `reason`. */
class Refused extends Error {
  constructor(readonly reason: SimpleRefusal) {
    super(reason);
  }
}

/**
 * "Take over and send": the replier becomes the owner (audited as a take-over of the previous owner), then the
 * held reply is queued — unless the 24-hour window closed meanwhile. The release comes first and everything rolls
 * back together, so a second click, or a racing "Keep as note", changes nothing.
 */
export async function takeOverAndSend(deps: Deps, messageId: number, userId: string): Promise<HeldActionResult> {
  const rows = await heldRowsOf(deps, messageId, userId);
  if (!Array.isArray(rows)) return rows;
  const conversationId = rows[0]!.conversationId;
  const now = deps.clock.now();
  let result: HeldActionResult;
  try {
    result = await deps.db.transaction(async (tx): Promise<HeldActionResult> => {
      const conversation = await findConversationById(tx, conversationId);
      if (!conversation) return { ok: false, reason: 'not_found' };
      if (conversation.state === 'closed') return { ok: false, reason: 'closed' };
      if (!windowState(conversation.lastInboundAt, now).open) return { ok: false, reason: 'window_closed' };
      const moved = await releaseHeldMessages(tx, rows.map((r) => r.id));
      if (moved.length === 0) return { ok: false, reason: 'not_held' };
      if (conversation.ownerId !== userId) {
        const taken = await assignConversation(tx, conversationId, userId, 'took over', conversation.ownerId, now);
        if (!taken) throw new Refused('changed');
        await insertAuditEvent(tx, {
          conversationId,
          type: 'taken_over',
          actorId: userId,
          targetId: userId,
          detail: { from: conversation.ownerId },
          at: now,
        });
      }
      await recordOutbound(tx, conversationId, now);
      await enqueueCardUpdate(tx, conversationId);
      return { ok: true, messageIds: moved.map((m) => m.id) };
    });
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    result = { ok: false, reason: err.reason };
  }
  if (result.ok) {
    await settleHeldMarker(deps, rows, 'sent');
    await deps.queue.signal(conversationId);
  }
  return result;
}

/**
 * "Keep as note": the held reply becomes a private note and will never be sent. Discarding only rows still held, in
 * the note's transaction, means a racing "Take over and send" and this click cannot both win.
 */
export async function keepAsNote(deps: Deps, messageId: number, userId: string, channel: string): Promise<HeldActionResult> {
  const rows = await heldRowsOf(deps, messageId, userId);
  if (!Array.isArray(rows)) return rows;
  const first = rows[0]!;
  const conversation = await findConversationById(deps.db, first.conversationId);
  if (!conversation) return { ok: false, reason: 'not_found' };
  const text = noteTextOf(first, rows);
  const result = await deps.db.transaction(async (tx): Promise<HeldActionResult> => {
    const discarded = await discardHeldMessages(tx, rows.map((r) => r.id));
    if (discarded.length === 0) return { ok: false, reason: 'not_held' };
    await insertNoteInTx(deps, tx, conversation, { userId, ts: first.slackTs ?? undefined, channel }, text, 'held');
    return { ok: true, messageIds: discarded.map((m) => m.id) };
  });
  if (result.ok) {
    await settleHeldMarker(deps, rows, 'noted');
    await deps.queue.signal(conversation.id);
  }
  return result;
}

/** What a held reply says, as a note: its Slack text, else its parts (a file-only reply names its files). */
function noteTextOf(first: Message, rows: Message[]): string {
  const slackText = typeof first.payload.slackText === 'string' ? first.payload.slackText.trim() : '';
  if (slackText) return slackText;
  return rows
    .map((r) => r.body?.trim() || `[${r.kind}: ${(r.payload.slackFile as { name?: string } | undefined)?.name ?? 'file'}]`)
    .join('\n');
}

/** "Resend" after an uncertain send: a new copy is queued, once. Only the author or the owner may resend. */
export async function resendMessage(deps: Deps, messageId: number, userId: string): Promise<HeldActionResult> {
  const original = await findMessageById(deps.db, messageId);
  if (!original || original.direction !== 'outbound') return { ok: false, reason: 'not_found' };
  const conversation = await findConversationById(deps.db, original.conversationId);
  if (!conversation) return { ok: false, reason: 'not_found' };
  if (original.slackUserId !== userId && conversation.ownerId !== userId) {
    return { ok: false, reason: 'not_yours', authorId: original.slackUserId ?? undefined };
  }
  const access = await checkChannelAccess(deps, userId, conversation.channelId);
  if (!access.ok) return { ok: false, reason: 'forbidden', message: access.message };
  if (original.waState !== 'uncertain' || original.payload.resentAs !== undefined) return { ok: false, reason: 'not_held' };
  // A template may be resent with the window closed: it is the one message WhatsApp still delivers (whatsapp.md §5).
  if (original.kind !== 'template' && !windowState(conversation.lastInboundAt, deps.clock.now()).open) return { ok: false, reason: 'window_closed' };
  const copy = await deps.db.transaction(async (tx) => {
    // Conditional on nobody having resent it yet: two clicks at once make one copy.
    if (!(await claimResend(tx, original.id))) return undefined;
    const [row] = await insertOutboundMessages(tx, [
      {
        conversationId: original.conversationId,
        kind: original.kind,
        body: original.body,
        // The copy gets its own notice if it is uncertain too; the original's stays the original's.
        payload: { ...withoutKey(original.payload, 'uncertainNotice'), resendOf: original.id },
        slackTs: original.slackTs,
        slackChannelId: original.slackChannelId,
        slackUserId: original.slackUserId,
        part: original.part,
        waState: 'queued',
      },
    ]);
    // The uncertain notice is replaced in place: its Resend button goes, so a second press has nothing to press.
    await enqueueSlackOp(tx, {
      conversationId: original.conversationId,
      kind: 'post_notice',
      messageId: original.id,
      payload: { notice: 'uncertain_settled', outcome: 'resent', by: userId },
    });
    // The original stays `uncertain`: if a late status shows it did arrive, the thread still learns it.
    await updateMessage(tx, original.id, { payload: { ...original.payload, resentAs: row?.id ?? null } });
    await insertAuditEvent(tx, {
      conversationId: original.conversationId,
      type: 'sent',
      actorId: userId,
      detail: { resendOf: original.id, messageId: row?.id },
      at: deps.clock.now(),
    });
    return row;
  });
  if (!copy) return { ok: false, reason: 'not_held' };
  await deps.queue.signal(original.conversationId);
  return { ok: true, messageIds: [copy.id] };
}

function withoutKey(payload: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = payload;
  return rest;
}
