import type { DbOrTx } from '../../db/client';
import { insertAuditEvent } from '../../db/queries/audit';
import {
  advanceMessageStatus,
  findMessageById,
  findMessageByWaId,
  insertStatusRecord,
  listUnappliedStatuses,
  markStatusApplied,
  updateMessage,
} from '../../db/queries/messages';
import { enqueueSlackOp } from '../../db/queries/slack-outbox';
import type { Message, WaState } from '../../db/schema';
import type { Deps } from '../deps';
import type { GraphErrorInfo, StatusUpdate } from '../whatsapp/webhook-types';

const CALLBACK_PREFIX = 'tl:';

/** What we pass as biz_opaque_callback_data: our message id, echoed back by every status (DESIGN §4). */
export function callbackDataFor(messageId: number): string {
  return `${CALLBACK_PREFIX}${messageId}`;
}

export function parseCallbackData(value: string | undefined): number | undefined {
  if (!value?.startsWith(CALLBACK_PREFIX)) return undefined;
  const id = Number(value.slice(CALLBACK_PREFIX.length));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

const KNOWN_STATUSES: ReadonlySet<string> = new Set(['sent', 'delivered', 'read', 'played', 'failed']);

type StatusDeps = Pick<Deps, 'clock' | 'logger'>;

/**
 * A status webhook: stored once per (wamid, status) — Meta's redeliveries are no-ops — then applied to our message.
 * A status for a wamid we have not recorded yet (the send's answer is still on its way, or it was uncertain) is
 * matched through the callback data, or parked until the send records its wamid.
 * Returns the conversation that got work, 'duplicate', or undefined.
 */
export async function applyStatusUpdate(
  deps: StatusDeps,
  tx: DbOrTx,
  status: StatusUpdate,
): Promise<number | 'duplicate' | undefined> {
  const isNew = await insertStatusRecord(tx, {
    waMessageId: status.waMessageId,
    status: status.status,
    statusAt: status.timestamp,
    callbackData: status.callbackData,
    payload: status.raw,
  });
  if (!isNew) return 'duplicate';
  let message = await findMessageByWaId(tx, status.waMessageId);
  if (!message) message = await settleByCallbackData(tx, status);
  if (!message) return undefined;
  const changed = await applyStatusToMessage(deps, tx, message, status.status, status.timestamp, status.errors);
  return changed ? message.conversationId : undefined;
}

async function settleByCallbackData(tx: DbOrTx, status: StatusUpdate): Promise<Message | undefined> {
  const id = parseCallbackData(status.callbackData);
  if (id === undefined) return undefined;
  const message = await findMessageById(tx, id);
  if (!message || message.direction !== 'outbound' || message.waMessageId) return undefined;
  await updateMessage(tx, message.id, { waMessageId: status.waMessageId });
  return { ...message, waMessageId: status.waMessageId };
}

/** After a send records its wamid: apply statuses that arrived before it did. */
export async function applyParkedStatuses(deps: StatusDeps, tx: DbOrTx, message: Message): Promise<void> {
  if (!message.waMessageId) return;
  for (const parked of await listUnappliedStatuses(tx, message.waMessageId)) {
    const errors = errorsOf(parked.payload);
    await applyStatusToMessage(deps, tx, message, parked.status, parked.statusAt ?? deps.clock.now(), errors);
  }
}

async function applyStatusToMessage(
  deps: StatusDeps,
  tx: DbOrTx,
  message: Message,
  status: string,
  at: Date,
  errors: GraphErrorInfo[],
): Promise<boolean> {
  if (message.waMessageId) await markStatusApplied(tx, message.waMessageId, status);
  if (!KNOWN_STATUSES.has(status)) {
    deps.logger.info({ status, messageId: message.id }, 'unknown delivery status kept');
    return false;
  }
  const error = errors[0];
  const moved = await advanceMessageStatus(
    tx,
    message.id,
    status as WaState,
    at,
    error ? { code: error.code, title: error.title, detail: error.details ?? error.message } : undefined,
  );
  if (!moved) return false;
  await enqueueSlackOp(tx, { conversationId: message.conversationId, kind: 'show_status', messageId: message.id });
  if (status === 'failed') {
    await enqueueSlackOp(tx, {
      conversationId: message.conversationId,
      kind: 'post_notice',
      messageId: message.id,
      payload: { notice: 'delivery_failed' },
    });
    await insertAuditEvent(tx, {
      conversationId: message.conversationId,
      type: 'failed',
      actorId: 'whatsapp',
      targetId: message.slackUserId,
      detail: { messageId: message.id, code: error?.code ?? null, title: error?.title ?? null },
      at: deps.clock.now(),
    });
  }
  if (message.waState === 'uncertain') {
    await enqueueSlackOp(tx, {
      conversationId: message.conversationId,
      kind: 'post_notice',
      messageId: message.id,
      payload: { notice: 'uncertain_settled', status, outcome: status === 'failed' ? 'failed' : 'confirmed' },
    });
    if (status !== 'failed') {
      await insertAuditEvent(tx, {
        conversationId: message.conversationId,
        type: 'sent',
        actorId: message.slackUserId ?? 'system',
        detail: { messageId: message.id, settledBy: status },
        at: deps.clock.now(),
      });
    }
  }
  return true;
}

function errorsOf(payload: Record<string, unknown>): GraphErrorInfo[] {
  const raw = payload.errors;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return [];
    const r = e as Record<string, unknown>;
    const data = r.error_data as Record<string, unknown> | undefined;
    return typeof r.code === 'number'
      ? [
          {
            code: r.code,
            title: typeof r.title === 'string' ? r.title : undefined,
            message: typeof r.message === 'string' ? r.message : undefined,
            details: typeof data?.details === 'string' ? data.details : undefined,
          },
        ]
      : [];
  });
}
