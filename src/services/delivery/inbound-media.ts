import { buildInboundMessage } from '../../../blocks/inbound-message';
import type { InboundView } from '../../../blocks/types';
import { deferOp, markOpInFlight, setOpPayload } from '../../../db/queries/slack-outbox';
import type { Conversation, Message, SlackOp } from '../../../db/schema';
import type { Deps } from '../../deps';
import { contentOf, loadInboundInput, viewOf } from '../inbound-view';
import { SlackUploadUncertainError } from '../../slack/slack-errors';
import { GraphApiError } from '../../whatsapp/gateway';
import { maxInboundMediaBytes } from '../../whatsapp/media-limits';
import type { InboundContent } from '../../whatsapp/webhook-types';
import { Buckets } from '../../queue/rate-limiter';
import { finishPost, postAsCustomer } from './customer-posts';
import type { OpOutcome } from './slack-ops';
import { awaitSlackTurn } from '../../queue/slack-turn';
import { backoffMs } from '../../queue/step';

type Media = Extract<InboundContent, { kind: 'media' }>;

/** Webhook media can be fetched for 7 days (reference/whatsapp.md §3.3); after this many tries, say it is gone. */
const MAX_DOWNLOAD_ATTEMPTS = 8;

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'application/pdf': 'pdf',
};

export function filenameFor(media: Media, waMessageId: string | null): string {
  if (media.filename) return media.filename;
  const ext = EXTENSIONS[(media.mimeType ?? '').split(';')[0]!.trim()] ?? 'bin';
  const stem = media.voice ? 'voice-note' : media.mediaType;
  return `${stem}-${(waMessageId ?? 'media').slice(-8).replace(/[^A-Za-z0-9]/g, '')}.${ext}`;
}

/**
 * A customer photo, video, voice note, document or sticker: fetched from Graph with the token (the URL lives
 * 5 minutes, reference/whatsapp.md §3.3) and uploaded into the thread with Slack's files v2 flow (slack.md §7.1).
 * Too large or gone → a clear notice of what arrived instead, never silence.
 */
export async function postInboundMedia(
  deps: Deps,
  conversation: Conversation,
  op: SlackOp<'post_message'>,
  message: Message,
  username: string,
): Promise<OpOutcome> {
  const media = contentOf(message) as Media;
  const threadTs = conversation.threadTs as string;
  const now = deps.clock.now();
  if (op.state === 'in_flight' && typeof op.payload.fileId === 'string') {
    if (await deps.slack.isFileShared({ fileId: op.payload.fileId, channel: conversation.channelId })) {
      await finishPost(deps, conversation, [message.id], undefined);
      return { progressed: true };
    }
  }
  let data: Buffer | undefined;
  let fallback: InboundView | undefined;
  try {
    const info = await deps.whatsapp.getMedia(media.mediaId);
    if (info.fileSize !== undefined && info.fileSize > maxInboundMediaBytes) {
      fallback = tooLarge(media, info.fileSize);
    } else {
      data = await deps.whatsapp.downloadMedia(info.url, maxInboundMediaBytes);
    }
  } catch (err) {
    if (!(err instanceof GraphApiError)) throw err;
    if (err.kind === 'too_large') fallback = tooLarge(media, undefined);
    else if (err.kind === 'permanent' || op.attempts >= MAX_DOWNLOAD_ATTEMPTS) {
      fallback = { kind: 'media_unavailable', mediaType: media.mediaType, reason: err.title, captionMrkdwn: captionOf(media) };
    } else {
      const delay = backoffMs(op.attempts + 1);
      await markOpInFlight(deps.db, op.id);
      await deferOp(deps.db, op.id, new Date(now.getTime() + delay), err.message, false);
      deps.logger.warn({ conversationId: conversation.id, err: err.message }, 'media download failed; will retry');
      return { progressed: false, waitMs: delay };
    }
  }

  const wait = await awaitSlackTurn(deps, op, Buckets.slackPost(conversation.channelId), deps.pace.slackPost);
  if (wait > 0) return { progressed: false, waitMs: wait };
  const input = await loadInboundInput(deps, message, conversation.channelId, fallback ?? viewOf(media));
  const rendered = buildInboundMessage(input);
  await markOpInFlight(deps.db, op.id);
  if (!data) {
    await postAsCustomer(deps, conversation, op, [message.id], rendered, username);
    return { progressed: true };
  }
  await setOpPayload(deps.db, op, { ...op.payload, fileUpload: true });
  let fileId: string;
  try {
    ({ fileId } = await deps.slack.uploadFile({
      channel: conversation.channelId,
      threadTs,
      filename: filenameFor(media, message.waMessageId),
      data,
      initialComment: rendered.text,
      username,
    }));
  } catch (err) {
    // The share may have happened: keep the file id so the next attempt asks Slack before uploading again.
    if (err instanceof SlackUploadUncertainError) {
      await setOpPayload(deps.db, op, { ...op.payload, fileUpload: true, fileId: err.fileId });
    }
    throw err;
  }
  await setOpPayload(deps.db, op, { ...op.payload, fileUpload: true, fileId });
  deps.metrics.slackCalls.inc({ method: 'files.completeUploadExternal', outcome: 'ok' });
  await finishPost(deps, conversation, [message.id], undefined);
  return { progressed: true };
}

function captionOf(media: Media): string | undefined {
  const view = viewOf(media);
  return view.kind === 'media' ? view.captionMrkdwn : undefined;
}

function tooLarge(media: Media, sizeBytes: number | undefined): InboundView {
  return { kind: 'media_too_large', mediaType: media.mediaType, sizeBytes, limitBytes: maxInboundMediaBytes, captionMrkdwn: captionOf(media) };
}
