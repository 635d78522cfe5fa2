import { SlackError, SlackPermanentError, SlackRateLimitedError, SlackTransientError } from './gateway';
import { readCapped } from '../http-body';
import { isSlackFileUrl } from '../outbound-hosts';
import { MAX_DOCUMENT_BYTES } from '../whatsapp/media-limits';
import { classifyNetworkFailure, DEFAULT_RETRY_AFTER_MS } from './slack-errors';

/**
 * The two file transfers that are plain HTTP rather than Web API calls: POSTing bytes to the upload_url
 * (slack.md §7.1) and downloading url_private_download with the bot token (slack.md §7.2).
 */

export const UPLOAD_BYTES_METHOD = 'files.upload_bytes';
export const DOWNLOAD_METHOD = 'files.download';

function fromStatus(method: string, response: Response): SlackError {
  if (response.status === 429) {
    const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
    return new SlackRateLimitedError(method, Number.isNaN(retryAfter) ? DEFAULT_RETRY_AFTER_MS : retryAfter * 1000);
  }
  if (response.status >= 500) return new SlackTransientError(method, `HTTP ${response.status}`);
  return new SlackPermanentError(method, `http_${response.status}`);
}

/**
 * Neither transfer can leave anything visible in Slack (an uploaded file is shared only by
 * files.completeUploadExternal), so every network failure here is safe to retry.
 */
function fromNetwork(method: string, error: unknown): SlackError {
  const failure = classifyNetworkFailure(error);
  const reason = failure === 'not_reached' ? 'could not reach Slack' : failure === 'timeout' ? 'timed out' : 'connection failed';
  const mapped = new SlackTransientError(method, reason);
  mapped.cause = error;
  return mapped;
}

/** Where the bot token may go, and how much a download may bring back. */
export interface TransferLimits {
  /** SLACK_API_URL: its origin counts as a Slack file host (the emulator's files live there). */
  slackApiUrl: string;
  timeoutMs: number;
  /** Default MAX_DOWNLOAD_BYTES. */
  maxBytes?: number;
}

/** WhatsApp takes nothing larger than a 100 MB document (whatsapp.md §3.3): a bigger download is pointless. */
export const MAX_DOWNLOAD_BYTES = MAX_DOCUMENT_BYTES;
const MAX_REDIRECTS = 3;

function refuseHost(method: string, url: string): SlackPermanentError {
  let host = 'an unparsable URL';
  try {
    host = new URL(url).host;
  } catch {
    // reported as unparsable
  }
  return new SlackPermanentError(method, `host_not_allowed:${host.slice(0, 100)}`);
}

/**
 * Raw bytes are accepted as well as multipart (slack.md §7.1). The bearer token goes along because
 * @slack/web-api's own filesUploadV2 sends it on this request too, and only to a Slack file host.
 */
export async function uploadFileBytes(uploadUrl: string, data: Buffer, token: string, limits: TransferLimits): Promise<void> {
  if (!isSlackFileUrl(uploadUrl, limits.slackApiUrl)) throw refuseHost(UPLOAD_BYTES_METHOD, uploadUrl);
  let response: Response;
  try {
    response = await fetch(uploadUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
      body: new Uint8Array(data),
      redirect: 'manual',
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
    await response.arrayBuffer();
  } catch (error) {
    throw fromNetwork(UPLOAD_BYTES_METHOD, error);
  }
  if (!response.ok) throw fromStatus(UPLOAD_BYTES_METHOD, response);
}

/**
 * url_private(_download) with the bot token, only on a Slack file host (outbound-hosts.ts), within one time limit
 * and MAX_DOWNLOAD_BYTES. A redirect is never followed with the token: it is followed without it, and only to
 * another Slack file host (fetch would drop Authorization across origins anyway, slack.md §7.2).
 */
export async function downloadSlackFile(url: string, token: string, limits: TransferLimits): Promise<Buffer> {
  if (!isSlackFileUrl(url, limits.slackApiUrl)) throw refuseHost(DOWNLOAD_METHOD, url);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let target = new URL(url);
  let sendToken = true;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const response = await fetch(target, {
        headers: sendToken ? { authorization: `Bearer ${token}` } : {},
        redirect: 'manual',
        signal,
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        const next = new URL(location, target);
        if (!isSlackFileUrl(next.href, limits.slackApiUrl)) throw refuseHost(DOWNLOAD_METHOD, next.href);
        sendToken = false;
        target = next;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw fromStatus(DOWNLOAD_METHOD, response);
      }
      // Without files:read or the token Slack answers 200 with its HTML sign-in page (slack.md §7.2).
      if ((response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) {
        await response.body?.cancel();
        throw new SlackPermanentError(DOWNLOAD_METHOD, 'file_not_accessible');
      }
      const body = await readCapped(response, limits.maxBytes ?? MAX_DOWNLOAD_BYTES);
      if (body === 'too_large') throw new SlackPermanentError(DOWNLOAD_METHOD, 'file_too_large');
      return body;
    }
  } catch (error) {
    if (error instanceof SlackError) throw error;
    throw fromNetwork(DOWNLOAD_METHOD, error);
  }
  throw new SlackPermanentError(DOWNLOAD_METHOD, 'too_many_redirects');
}
