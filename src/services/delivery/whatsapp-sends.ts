import { insertAuditEvent } from '../../../db/queries/audit';
import { findContactById } from '../../../db/queries/contacts';
import { findConversationById } from '../../../db/queries/conversations';
import { listQueuedOutbound, transitionMessage, updateMessage } from '../../../db/queries/messages';
import { enqueueSlackOp } from '../../../db/queries/slack-outbox';
import type { Contact, Conversation, Message } from '../../../db/schema';
import type { Deps } from '../../deps';
import { applyParkedStatuses, callbackDataFor } from '../statuses';
import { SlackError, SlackPermanentError } from '../../slack/gateway';
import { windowState } from '../window';
import { GraphApiError, type OutboundContent } from '../../whatsapp/gateway';
import { retryDelayMs } from '../../whatsapp/error-codes';
import { LOCAL_FAILURE_CODES } from '../../whatsapp/local-failures';
import { attachHeaderMedia } from '../../whatsapp/templates';
import { yieldToWebhookWrites } from '../../queue/ack-priority';
import { Buckets } from '../../queue/rate-limiter';
import { IDLE, type StepResult, backoffMs, combine } from '../../queue/step';

/** Transient Graph failures are retried this many times before the reply is reported as failed. */
const MAX_TRANSIENT_ATTEMPTS = 8;
/** Meta's code for "more than 24 hours since the customer last wrote" (reference/whatsapp.md §4.2). */
const WINDOW_CLOSED_CODE = 131047;

/**
 * Send the conversation's queued replies to WhatsApp, in order, at most once each (DESIGN §4): `sending` is written
 * before the Graph call, so a crash or an unanswered call leaves the reply `uncertain` — the thread says so and
 * offers Resend — instead of sending it twice.
 */
export async function runWhatsAppSends(deps: Deps, conversationId: number): Promise<StepResult> {
  let result = IDLE;
  const rows = await listQueuedOutbound(deps.db, conversationId, 20);
  if (rows.length === 0) return result;
  const conversation = await findConversationById(deps.db, conversationId);
  if (!conversation) return result;
  const contact = await findContactById(deps.db, conversation.contactId);
  for (const row of rows) {
    await yieldToWebhookWrites(deps);
    const step = await sendOne(deps, conversation, contact, row);
    result = combine(result, step);
    // Order per conversation: a reply that must wait holds the ones behind it (Meta does not order them either,
    // reference/whatsapp.md §1.3, so we never have two in flight for one customer).
    if (step.waitMs !== Infinity || !step.progressed) break;
  }
  return result;
}

async function sendOne(deps: Deps, conversation: Conversation, contact: Contact | undefined, row: Message): Promise<StepResult> {
  const now = deps.clock.now();
  if (row.notBefore && row.notBefore > now) return { progressed: false, waitMs: row.notBefore.getTime() - now.getTime() };
  if (row.waState === 'sending') {
    // We crashed (or lost the lease) between marking and hearing back: it may have gone out. Never resend blindly.
    await markUncertain(deps, row, 'the process stopped while sending');
    return { progressed: true, waitMs: Infinity };
  }
  // Templates are the one message WhatsApp delivers outside the 24-hour window (reference/whatsapp.md §5).
  if (row.kind !== 'template' && !windowState(conversation.lastInboundAt, now).open) {
    await fail(deps, row, ['queued'], { code: WINDOW_CLOSED_CODE, title: 'The 24-hour window closed before it could be sent' });
    return { progressed: true, waitMs: Infinity };
  }
  if (!contact || (!contact.waId && !contact.userId)) {
    await fail(deps, row, ['queued'], { code: 131026, title: 'No WhatsApp id for this customer' });
    return { progressed: true, waitMs: Infinity };
  }
  const pairWait = await deps.limits.take(Buckets.waRecipient(conversation.phoneNumberId, contact.id), deps.pace.waPair);
  if (pairWait > 0) return { progressed: false, waitMs: pairWait };
  const mps = deps.config.whatsapp.messagesPerSecond;
  const numberWait = await deps.limits.take(Buckets.waNumber(conversation.phoneNumberId), { perSecond: mps, burst: mps });
  if (numberWait > 0) return { progressed: false, waitMs: numberWait };

  try {
    const content = await contentFor(deps, conversation, row);
    const sending = await transitionMessage(deps.db, row.id, ['queued'], { waState: 'sending', attempts: row.attempts + 1 });
    if (!sending) return { progressed: true, waitMs: Infinity };
    const { waMessageId } = await deps.whatsapp.sendMessage({
      phoneNumberId: conversation.phoneNumberId,
      to: { waId: contact.waId ?? undefined, userId: contact.userId ?? undefined },
      content,
      callbackData: callbackDataFor(row.id),
    });
    deps.metrics.graphCalls.inc({ outcome: 'accepted' });
    await deps.db.transaction(async (tx) => {
      const accepted = await transitionMessage(tx, row.id, ['sending'], { waState: 'accepted', waMessageId, waStatusAt: deps.clock.now() });
      if (accepted) await applyParkedStatuses(deps, tx, accepted);
      await insertAuditEvent(tx, {
        conversationId: conversation.id,
        type: 'sent',
        actorId: row.slackUserId ?? 'system',
        detail: { messageId: row.id, waMessageId, part: row.part },
        at: deps.clock.now(),
      });
    });
    return { progressed: true, waitMs: Infinity };
  } catch (err) {
    if (!(err instanceof GraphApiError)) throw err;
    return handleGraphError(deps, conversation, contact, row, err);
  }
}

async function handleGraphError(
  deps: Deps,
  conversation: Conversation,
  contact: Contact,
  row: Message,
  err: GraphApiError,
): Promise<StepResult> {
  deps.metrics.graphCalls.inc({ outcome: err.kind });
  const now = deps.clock.now().getTime();
  const attempts = row.attempts + 1;
  const log = { conversationId: conversation.id, messageId: row.id, code: err.code, kind: err.kind };
  switch (err.kind) {
    case 'throttled': {
      // Back off by Meta's code (131056: 4^X s for this customer; 130429: the number), not the HTTP status.
      const delay = retryDelayMs(err.code, attempts - 1) ?? backoffMs(attempts);
      const bucket = err.code === 131056 ? Buckets.waRecipient(conversation.phoneNumberId, contact.id) : Buckets.waNumber(conversation.phoneNumberId);
      await deps.limits.pause(bucket, delay);
      await transitionMessage(deps.db, row.id, ['sending', 'queued'], { waState: 'queued', attempts, notBefore: new Date(now + delay) });
      deps.logger.warn({ ...log, retryInMs: delay }, 'WhatsApp throttled a send; waiting');
      return { progressed: false, waitMs: delay };
    }
    case 'transient': {
      if (attempts >= MAX_TRANSIENT_ATTEMPTS) {
        await fail(deps, row, ['sending', 'queued'], { code: err.code, title: err.title, detail: err.details });
        return { progressed: true, waitMs: Infinity };
      }
      const delay = (err.code > 0 ? retryDelayMs(err.code, attempts - 1) : undefined) ?? backoffMs(attempts);
      // Counted here too: a failure before the send (the media upload, Slack's file) never reaches `sending`, where
      // attempts are otherwise counted, and must not be retried forever.
      await transitionMessage(deps.db, row.id, ['sending', 'queued'], { waState: 'queued', attempts, notBefore: new Date(now + delay) });
      deps.logger.warn({ ...log, retryInMs: delay }, 'WhatsApp send failed; will retry');
      return { progressed: false, waitMs: delay };
    }
    case 'uncertain':
      await markUncertain(deps, row, err.message);
      return { progressed: true, waitMs: Infinity };
    case 'permanent':
    case 'too_large':
      await fail(deps, row, ['sending', 'queued'], { code: err.code, title: err.title, detail: err.details });
      return { progressed: true, waitMs: Infinity };
    default:
      return err.kind satisfies never;
  }
}

type TemplateContent = Extract<OutboundContent, { type: 'template' }>['template'];

/**
 * The agent's Slack file as a Graph media id: fetched with the bot token and uploaded to POST /<PHONE_NUMBER_ID>/media
 * (reference/whatsapp.md §3.3) once; the id is kept on the row, so a retried send reuses it instead of uploading again.
 */
async function mediaIdFor(deps: Deps, conversation: Conversation, row: Message, file: { name: string; url: string } | undefined, mimeType: string): Promise<string> {
  if (typeof row.payload.waMediaId === 'string') return row.payload.waMediaId;
  if (!file) throw new GraphApiError('permanent', 131053, 'The file is missing', undefined, undefined);
  const data = await downloadSlackFile(deps, file.url);
  const { mediaId } = await deps.whatsapp.uploadMedia({ phoneNumberId: conversation.phoneNumberId, data, mimeType, filename: file.name });
  await updateMessage(deps.db, row.id, { payload: { ...row.payload, waMediaId: mediaId } });
  return mediaId;
}

const HEADER_MEDIA_TYPES = new Set(['image', 'video', 'document']);

async function templateContentFor(deps: Deps, conversation: Conversation, row: Message): Promise<OutboundContent> {
  const template = row.payload.template as TemplateContent;
  const file = row.payload.headerFile as { name: string; url: string; mimeType: string; type: string } | undefined;
  if (!file || !HEADER_MEDIA_TYPES.has(file.type)) return { type: 'template', template };
  const mediaId = await mediaIdFor(deps, conversation, row, file, file.mimeType);
  const type = file.type as 'image' | 'video' | 'document';
  return { type: 'template', template: attachHeaderMedia(template, { type, mediaId, filename: file.name }) };
}

async function contentFor(deps: Deps, conversation: Conversation, row: Message): Promise<OutboundContent> {
  if (row.kind === 'text') return { type: 'text', text: row.body ?? '', previewUrl: true };
  if (row.kind === 'template') return templateContentFor(deps, conversation, row);
  const file = row.payload.slackFile as { name: string; url: string } | undefined;
  const mediaId = await mediaIdFor(deps, conversation, row, file, String(row.payload.mimeType ?? 'application/octet-stream'));
  switch (row.kind) {
    case 'image':
    case 'video':
      return { type: row.kind, mediaId };
    case 'audio':
      return { type: 'audio', mediaId };
    default:
      return { type: 'document', mediaId, filename: file?.name ?? 'file' };
  }
}

/** A Slack failure to hand over the agent's file, in the terms the send step understands. */
async function downloadSlackFile(deps: Deps, url: string): Promise<Buffer> {
  try {
    return await deps.slack.downloadFile(url);
  } catch (err) {
    if (!(err instanceof SlackError)) throw err;
    const kind = err instanceof SlackPermanentError ? 'permanent' : 'transient';
    throw new GraphApiError(kind, LOCAL_FAILURE_CODES.slack_file, `Slack did not hand over the file (${err.message})`, undefined, undefined);
  }
}

async function fail(
  deps: Deps,
  row: Message,
  from: ('queued' | 'sending')[],
  error: { code: number; title: string; detail?: string | undefined },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const moved = await transitionMessage(tx, row.id, from, {
      waState: 'failed',
      errorCode: error.code,
      errorTitle: error.title,
      errorDetail: error.detail ?? null,
      waStatusAt: deps.clock.now(),
    });
    if (!moved) return;
    await enqueueSlackOp(tx, { conversationId: row.conversationId, kind: 'show_status', messageId: row.id });
    await enqueueSlackOp(tx, { conversationId: row.conversationId, kind: 'post_notice', messageId: row.id, payload: { notice: 'delivery_failed' } });
    await insertAuditEvent(tx, {
      conversationId: row.conversationId,
      type: 'failed',
      actorId: 'whatsapp',
      targetId: row.slackUserId,
      detail: { messageId: row.id, code: error.code, title: error.title },
      at: deps.clock.now(),
    });
  });
  deps.logger.warn({ conversationId: row.conversationId, messageId: row.id, code: error.code }, 'reply not delivered');
}

async function markUncertain(deps: Deps, row: Message, why: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const moved = await transitionMessage(tx, row.id, ['sending'], { waState: 'uncertain', errorTitle: why.slice(0, 300) });
    if (!moved) return;
    await enqueueSlackOp(tx, { conversationId: row.conversationId, kind: 'show_status', messageId: row.id });
    await enqueueSlackOp(tx, { conversationId: row.conversationId, kind: 'post_notice', messageId: row.id, payload: { notice: 'delivery_uncertain' } });
  });
  deps.logger.warn({ conversationId: row.conversationId, messageId: row.id }, 'send uncertain; not repeated');
}
