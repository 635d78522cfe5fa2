import { SlackError, SlackPermanentError, SlackRateLimitedError, SlackTransientError } from './gateway';
import { classifyNetworkFailure, DEFAULT_RETRY_AFTER_MS } from './slack-errors';

/**
 * The two file transfers that are plain HTTP rather than Web API calls: POSTing bytes to the upload_url
 * (slack.md §7.1) and downloading url_private_download with the bot token (slack.md §7.2).
 */

export const UPLOAD_BYTES_METHOD = 'files.upload_bytes';
export const DOWNLOAD_METHOD = 'files.download';
const MAX_REDIRECTS = 3;

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

/**
 * Raw bytes are accepted as well as multipart (slack.md §7.1). The bearer token goes along because
 * @slack/web-api's own filesUploadV2 sends it on this request too.
 */
export async function uploadFileBytes(uploadUrl: string, data: Buffer, token: string, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(uploadUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
      body: new Uint8Array(data),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
  } catch (error) {
    throw fromNetwork(UPLOAD_BYTES_METHOD, error);
  }
  if (!response.ok) throw fromStatus(UPLOAD_BYTES_METHOD, response);
}

/** fetch drops Authorization on cross-origin redirects, so redirects are followed by hand (slack.md §7.2). */
function keepsToken(from: URL, to: URL): boolean {
  return to.origin === from.origin || (to.protocol === 'https:' && (to.hostname === 'slack.com' || to.hostname.endsWith('.slack.com')));
}

export async function downloadSlackFile(url: string, token: string, timeoutMs: number): Promise<Buffer> {
  const signal = AbortSignal.timeout(timeoutMs);
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
        await response.arrayBuffer();
        const next = new URL(location, target);
        sendToken = sendToken && keepsToken(target, next);
        target = next;
        continue;
      }
      if (!response.ok) {
        await response.arrayBuffer();
        throw fromStatus(DOWNLOAD_METHOD, response);
      }
      // Without files:read or the token Slack answers 200 with its HTML sign-in page (slack.md §7.2).
      if ((response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) {
        await response.arrayBuffer();
        throw new SlackPermanentError(DOWNLOAD_METHOD, 'file_not_accessible');
      }
      return Buffer.from(await response.arrayBuffer());
    }
  } catch (error) {
    if (error instanceof SlackError) throw error;
    throw fromNetwork(DOWNLOAD_METHOD, error);
  }
  throw new SlackPermanentError(DOWNLOAD_METHOD, 'too_many_redirects');
}
