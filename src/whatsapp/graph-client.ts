/**
 * The WhatsApp gateway over Meta's Graph API (reference/whatsapp.md §3): sends, media upload, media info and
 * download. Every failure becomes a GraphApiError classified by Meta's error code (error-codes.ts); a send whose
 * fate is unknown (timeout, dropped connection, unreadable 5xx) is `uncertain` and must not be repeated
 * silently (DESIGN §4).
 */
import { readCapped } from '../http-body';
import { type Logger, maskPhone } from '../logger';
import { isGraphApiUrl, isWhatsAppMediaUrl } from '../outbound-hosts';
import { classifyGraphErrorCode } from './error-codes';
import { LOCAL_FAILURE_CODES } from './local-failures';
import {
  GraphApiError,
  type MediaInfo,
  type OutboundContent,
  type Recipient,
  type SendMessageArgs,
  type WhatsAppGateway,
} from './gateway';

export interface GraphClientOptions {
  /** Graph base URL, e.g. https://graph.facebook.com (or an emulator's). */
  apiUrl: string;
  apiVersion: string;
  accessToken: string;
  logger: Logger;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  userAgent?: string;
}

/** Media downloads with Node's default fetch User-Agent reportedly fail (reference/whatsapp.md §3.3). */
const DEFAULT_USER_AGENT = 'threadline/0.1 (+WhatsApp Cloud API client)';

/** Errors that happen before a request leaves the machine: the send certainly did not happen. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** `once` calls (sends) may have taken effect when the answer is lost; `idempotent` calls can simply be retried. */
type CallMode = 'once' | 'idempotent';

type Json = Record<string, unknown>;

/** What the template picker needs from each template (reference: GET /<WABA_ID>/message_templates `fields`). */
const TEMPLATE_FIELDS = 'id,name,language,category,status,parameter_format,components';

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export function createGraphClient(options: GraphClientOptions): WhatsAppGateway {
  const fetchImpl = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const baseUrl = options.apiUrl.replace(/\/+$/, '');
  const log = options.logger;
  const authHeaders = { authorization: `Bearer ${options.accessToken}`, 'user-agent': userAgent };
  const graphUrl = (path: string) => `${baseUrl}/${options.apiVersion}/${path}`;

  async function callGraph(op: string, url: string, init: RequestInit, mode: CallMode): Promise<Json> {
    // Built from WHATSAPP_API_URL, so this holds by construction; checked so no future path can break it.
    if (!isGraphApiUrl(url, options.apiUrl)) throw logged(op, new GraphApiError('permanent', LOCAL_FAILURE_CODES.outside_api_url, 'Graph URL outside WHATSAPP_API_URL', undefined, undefined));
    let res: Response;
    let text: string;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      res = await fetchImpl(url, { ...init, signal });
      text = await res.text();
    } catch (err) {
      throw logged(op, toNetworkError(err, mode, timeoutMs, signal));
    }
    const json = parseJson(text);
    if (res.ok && isObject(json)) return json;
    throw logged(op, toResponseError(res.status, json, mode));
  }

  function logged(op: string, err: GraphApiError): GraphApiError {
    log.warn({ op, code: err.code, kind: err.kind, httpStatus: err.httpStatus, title: err.title }, 'Graph API call failed');
    return err;
  }

  return {
    async sendMessage(args: SendMessageArgs): Promise<{ waMessageId: string }> {
      const body = buildSendBody(args);
      const json = await callGraph(
        'sendMessage',
        graphUrl(`${encodeURIComponent(args.phoneNumberId)}/messages`),
        { method: 'POST', headers: { ...authHeaders, 'content-type': 'application/json' }, body: JSON.stringify(body) },
        'once',
      );
      const messages = json['messages'];
      const first: unknown = Array.isArray(messages) ? messages[0] : undefined;
      const waMessageId = isObject(first) && typeof first['id'] === 'string' ? first['id'] : undefined;
      if (!waMessageId) {
        // Graph said yes without a wamid: the message may be on its way, so the send is not repeatable.
        throw logged('sendMessage', new GraphApiError('uncertain', LOCAL_FAILURE_CODES.graph_unreadable_answer, 'Graph accepted the send without a message id', undefined, 200));
      }
      log.debug(
        { phoneNumberId: args.phoneNumberId, type: args.content.type, recipient: describeRecipient(args.to), waMessageId },
        'WhatsApp message accepted',
      );
      return { waMessageId };
    },

    async listTemplates(args): Promise<{ templates: unknown[]; after?: string | undefined }> {
      const query = new URLSearchParams({ fields: TEMPLATE_FIELDS, limit: String(args.limit ?? 100) });
      if (args.after) query.set('after', args.after);
      const json = await callGraph(
        'listTemplates',
        graphUrl(`${encodeURIComponent(args.wabaId)}/message_templates?${query.toString()}`),
        { method: 'GET', headers: authHeaders },
        'idempotent',
      );
      const data = Array.isArray(json['data']) ? (json['data'] as unknown[]) : undefined;
      if (!data) throw logged('listTemplates', unexpectedShape('template list'));
      // Graph's cursor paging: `paging.next` is there only when another page exists.
      const paging = isObject(json['paging']) ? json['paging'] : {};
      const cursors = isObject(paging['cursors']) ? paging['cursors'] : {};
      const after = typeof paging['next'] === 'string' && typeof cursors['after'] === 'string' ? cursors['after'] : undefined;
      return { templates: data, after };
    },

    async markRead(args): Promise<void> {
      await callGraph(
        'markRead',
        graphUrl(`${encodeURIComponent(args.phoneNumberId)}/messages`),
        {
          method: 'POST',
          headers: { ...authHeaders, 'content-type': 'application/json' },
          body: JSON.stringify({ messaging_product: 'whatsapp', status: 'read', message_id: args.waMessageId }),
        },
        'idempotent',
      );
    },

    async uploadMedia(args): Promise<{ mediaId: string }> {
      const form = new FormData();
      form.append('messaging_product', 'whatsapp');
      form.append('type', args.mimeType);
      form.append('file', new Blob([new Uint8Array(args.data)], { type: args.mimeType }), args.filename);
      const json = await callGraph(
        'uploadMedia',
        graphUrl(`${encodeURIComponent(args.phoneNumberId)}/media`),
        { method: 'POST', headers: authHeaders, body: form },
        'idempotent',
      );
      if (typeof json['id'] !== 'string') throw logged('uploadMedia', unexpectedShape('media upload'));
      return { mediaId: json['id'] };
    },

    async getMedia(mediaId: string): Promise<MediaInfo> {
      const json = await callGraph('getMedia', graphUrl(encodeURIComponent(mediaId)), { method: 'GET', headers: authHeaders }, 'idempotent');
      const { url, mime_type: mimeType, sha256, file_size: fileSize } = json;
      if (typeof url !== 'string' || typeof mimeType !== 'string') throw logged('getMedia', unexpectedShape('media info'));
      // file_size appears as a string in Meta's docs; accept either form (reference/whatsapp.md §3.3).
      const size = typeof fileSize === 'number' || typeof fileSize === 'string' ? Number(fileSize) : Number.NaN;
      return {
        url,
        mimeType,
        ...(Number.isFinite(size) ? { fileSize: size } : {}),
        ...(typeof sha256 === 'string' ? { sha256 } : {}),
      };
    },

    async downloadMedia(url: string, maxBytes: number): Promise<Buffer> {
      // The access token goes only to Meta's media hosts, and never along a redirect (outbound-hosts.ts).
      if (!isWhatsAppMediaUrl(url, options.apiUrl)) {
        throw logged('downloadMedia', new GraphApiError('permanent', LOCAL_FAILURE_CODES.media_link, 'Media URL is not on a Meta media host', 'threadline did not send the token there', undefined));
      }
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const res = await fetchImpl(url, { method: 'GET', headers: authHeaders, redirect: 'manual', signal });
        if (res.status >= 300 && res.status < 400) {
          await res.body?.cancel();
          throw new GraphApiError('permanent', LOCAL_FAILURE_CODES.media_link, 'Media URL redirected', 'threadline does not follow a redirect with the token', res.status);
        }
        if (res.status === 404) {
          // The URL expired or is gone: a fresh one from getMedia may work (reference/whatsapp.md §3.3).
          await res.body?.cancel();
          throw new GraphApiError('transient', LOCAL_FAILURE_CODES.media_link, 'Media URL expired or not found', 'fetch a fresh URL with getMedia', 404);
        }
        if (!res.ok) throw toResponseError(res.status, parseJson(await res.text()), 'idempotent');
        const body = await readCapped(res, maxBytes);
        if (body === 'too_large') throw tooLarge(maxBytes);
        return body;
      } catch (err) {
        throw logged('downloadMedia', err instanceof GraphApiError ? err : toNetworkError(err, 'idempotent', timeoutMs, signal));
      }
    },
  };
}

function buildSendBody(args: SendMessageArgs): Json {
  const { type, ...payload } = buildContent(args.content);
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...buildRecipient(args.to),
    type,
    [type]: payload,
    ...(args.replyTo ? { context: { message_id: args.replyTo } } : {}),
    ...(args.callbackData !== undefined ? { biz_opaque_callback_data: args.callbackData } : {}),
  };
}

/**
 * Meta "highly recommends" `+` and the country code: without `+` it may prepend the business's own country
 * code (reference/whatsapp.md §3.1). The 2026 `recipient` (BSUID) is used only when no phone is known (§6).
 */
function buildRecipient(to: Recipient): Json {
  if (to.waId) return { to: `+${to.waId.replace(/^\+/, '')}` };
  if (to.userId) return { recipient: to.userId };
  throw new GraphApiError('permanent', 100, 'No recipient', 'neither a phone number nor a WhatsApp user id is known', undefined);
}

function buildContent(content: OutboundContent): Json & { type: string } {
  switch (content.type) {
    case 'text':
      return { type: 'text', body: content.text, ...(content.previewUrl ? { preview_url: true } : {}) };
    case 'image':
    case 'video':
      return { type: content.type, id: content.mediaId, ...(content.caption ? { caption: content.caption } : {}) };
    case 'audio':
      return { type: 'audio', id: content.mediaId };
    case 'document':
      return { type: 'document', id: content.mediaId, filename: content.filename, ...(content.caption ? { caption: content.caption } : {}) };
    case 'reaction':
      return { type: 'reaction', message_id: content.messageId, emoji: content.emoji };
    case 'template':
      return { type: 'template', ...content.template };
    default:
      return content satisfies never;
  }
}

function describeRecipient(to: Recipient): string {
  return to.waId ? maskPhone(to.waId) : 'bsuid';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Meta's error body: {error: {message: "(#code) title", code, error_data: {details}, …}} (reference/whatsapp.md §4.1). */
function toResponseError(status: number, json: unknown, mode: CallMode): GraphApiError {
  const error = isObject(json) && isObject(json['error']) ? json['error'] : undefined;
  const code = typeof error?.['code'] === 'number' ? error['code'] : undefined;
  if (error && code !== undefined) {
    const message = typeof error['message'] === 'string' ? error['message'] : `Graph error ${code}`;
    const title = message.replace(/^\(#\d+\)\s*/, '');
    const data = isObject(error['error_data']) ? error['error_data'] : undefined;
    const details =
      typeof data?.['details'] === 'string' ? data['details'] : typeof error['error_user_msg'] === 'string' ? error['error_user_msg'] : undefined;
    return new GraphApiError(classifyGraphErrorCode(code, status), code, title, details, status);
  }
  // No Graph error body: a proxy or an outage answered. A send may still have gone through on a 5xx.
  const retryable = status >= 500 || status === 404 || status === 408 || status === 429;
  const kind = !retryable ? 'permanent' : status >= 500 && mode === 'once' ? 'uncertain' : 'transient';
  return new GraphApiError(kind, LOCAL_FAILURE_CODES.graph_unreadable_answer, `HTTP ${status} without a Graph error body`, undefined, status);
}

/**
 * The timeout is read from the signal, not only from the error: fetch rejects with a DOMException, which is not an
 * `instanceof Error` when it comes from another realm (as under jest's vm), so its name alone is not to be trusted.
 */
function toNetworkError(err: unknown, mode: CallMode, timeoutMs: number, signal: AbortSignal): GraphApiError {
  const name = err instanceof Error ? err.name : '';
  if (signal.aborted || name === 'TimeoutError' || name === 'AbortError') {
    return new GraphApiError(mode === 'once' ? 'uncertain' : 'transient', LOCAL_FAILURE_CODES.graph_timeout, `No answer from Graph within ${timeoutMs} ms`, undefined, undefined);
  }
  const codes = collectErrorCodes(err);
  const notSent = codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c));
  const kind = notSent || mode === 'idempotent' ? 'transient' : 'uncertain';
  const reason = codes[0] ?? (err instanceof Error ? err.message : String(err));
  const code = notSent ? LOCAL_FAILURE_CODES.graph_unreachable : LOCAL_FAILURE_CODES.graph_connection_lost;
  return new GraphApiError(kind, code, notSent ? `Could not connect to Graph (${reason})` : `Connection to Graph failed (${reason})`, undefined, undefined);
}

/** undici wraps socket errors in `cause`, sometimes an AggregateError of one error per address tried. */
function collectErrorCodes(err: unknown, depth = 0): string[] {
  if (!isObject(err) || depth > 4) return [];
  const own = typeof err['code'] === 'string' && err['code'] !== 'ERR_INVALID_ARG_TYPE' ? [err['code']] : [];
  const nested = Array.isArray(err['errors']) ? err['errors'].flatMap((e: unknown) => collectErrorCodes(e, depth + 1)) : [];
  return [...own, ...nested, ...collectErrorCodes(err['cause'], depth + 1)];
}

function unexpectedShape(what: string): GraphApiError {
  return new GraphApiError('permanent', LOCAL_FAILURE_CODES.graph_unreadable_answer, `Unexpected Graph ${what} response`, undefined, 200);
}

/** Inbound media over the cap is refused like Meta's own 100 MB limit, 131052 (reference/whatsapp.md §2.4). */
function tooLarge(maxBytes: number): GraphApiError {
  return new GraphApiError('too_large', 131052, 'Media file size too big', `the file is larger than ${maxBytes} bytes`, undefined);
}
