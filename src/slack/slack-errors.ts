import { ErrorCode } from '@slack/web-api';
import { SlackError, SlackPermanentError, SlackRateLimitedError, SlackTransientError, SlackUncertainError } from './gateway';

/**
 * Turns whatever @slack/web-api (or our own fetch calls) threw into one of the SlackError classes, so the delivery
 * engine can wait, retry, check before retrying, or give up (slack.md §1.3, §1.4, §10.1).
 */

/** ok:false codes that mean Slack itself failed mid-request: the call may have taken effect. */
const UNCERTAIN_PLATFORM_CODES = new Set(['internal_error', 'fatal_error', 'request_timeout', 'service_unavailable']);
/** `ratelimited` is the 429 body; chat.postMessage also documents `rate_limited` (slack.md §1.3). */
const RATE_LIMIT_CODES = new Set(['ratelimited', 'rate_limited']);
/** Network failures before a connection existed: the request never reached Slack. */
const NOT_REACHED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** When a 429 or `ratelimited` carries no usable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 1000;

/** An uncertain files.completeUploadExternal: the file may already be shared; check with isFileShared(fileId). */
export class SlackUploadUncertainError extends SlackUncertainError {
  constructor(
    method: string,
    message: string,
    readonly fileId: string,
  ) {
    super(method, message);
  }
}

export type NetworkFailure = 'not_reached' | 'timeout' | 'broken';

/** Walks the cause chain of a fetch failure (undici wraps the socket error, sometimes in an AggregateError). */
export function classifyNetworkFailure(error: unknown): NetworkFailure {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  let timedOut = false;
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, name, cause, errors, original } = current as Record<string, unknown>;
    if (typeof code === 'string' && NOT_REACHED_CODES.has(code)) return 'not_reached';
    if (name === 'TimeoutError' || name === 'AbortError') timedOut = true;
    queue.push(cause, original, ...(Array.isArray(errors) ? errors : []));
  }
  return timedOut ? 'timeout' : 'broken';
}

function withCause<E extends SlackError>(error: E, cause: unknown): E {
  error.cause = cause;
  return error;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fromNetworkFailure(method: string, error: unknown): SlackError {
  switch (classifyNetworkFailure(error)) {
    case 'not_reached':
      return withCause(new SlackTransientError(method, `could not reach Slack: ${errorMessage(error)}`), error);
    case 'timeout':
      return withCause(new SlackUncertainError(method, 'timed out waiting for Slack'), error);
    case 'broken':
      return withCause(new SlackUncertainError(method, `connection failed after sending: ${errorMessage(error)}`), error);
  }
}

function fromHttpStatus(method: string, status: number, error: unknown): SlackError {
  if (status >= 500) return withCause(new SlackUncertainError(method, `HTTP ${status} from Slack`), error);
  return withCause(new SlackPermanentError(method, `http_${status}`), error);
}

/** Slack answered ok:false with this code. */
export function fromPlatformCode(method: string, code: string, retryAfterSec?: number): SlackError {
  if (RATE_LIMIT_CODES.has(code)) {
    return new SlackRateLimitedError(method, retryAfterSec !== undefined ? retryAfterSec * 1000 : DEFAULT_RETRY_AFTER_MS);
  }
  if (UNCERTAIN_PLATFORM_CODES.has(code)) return new SlackUncertainError(method, `Slack answered ${code}`);
  return new SlackPermanentError(method, code);
}

/**
 * Maps a failure of `method`. `readOnly` calls (history, users.info, files.info, …) cannot have taken effect, so
 * what would be "uncertain" for a write is plain "transient" for them.
 */
export function toSlackError(method: string, error: unknown, opts: { readOnly?: boolean } = {}): SlackError {
  const mapped = mapError(method, error);
  if (opts.readOnly && mapped instanceof SlackUncertainError) {
    return withCause(new SlackTransientError(method, mapped.message.slice(method.length + 2)), error);
  }
  return mapped;
}

function mapError(method: string, error: unknown): SlackError {
  if (error instanceof SlackError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  switch (fields.code) {
    case ErrorCode.RateLimitedError: {
      const retryAfter = typeof fields.retryAfter === 'number' ? fields.retryAfter : undefined;
      return withCause(new SlackRateLimitedError(method, retryAfter !== undefined ? retryAfter * 1000 : DEFAULT_RETRY_AFTER_MS), error);
    }
    case ErrorCode.PlatformError: {
      const data = (fields.data ?? {}) as { error?: unknown; response_metadata?: { retryAfter?: unknown } };
      const code = typeof data.error === 'string' ? data.error : 'unknown_error';
      const retryAfter = typeof data.response_metadata?.retryAfter === 'number' ? data.response_metadata.retryAfter : undefined;
      return withCause(fromPlatformCode(method, code, retryAfter), error);
    }
    case ErrorCode.HTTPError:
      return fromHttpStatus(method, typeof fields.statusCode === 'number' ? fields.statusCode : 0, error);
    case ErrorCode.RequestError:
      return fromNetworkFailure(method, fields.original ?? error);
    default:
      break;
  }
  // A 429 whose Retry-After the client could not parse surfaces as a plain Error (slack.md §1.3).
  if (/Retry header did not contain a valid timeout/.test(errorMessage(error))) {
    return withCause(new SlackRateLimitedError(method, DEFAULT_RETRY_AFTER_MS), error);
  }
  return fromNetworkFailure(method, error);
}
