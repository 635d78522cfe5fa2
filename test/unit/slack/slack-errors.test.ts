import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { SlackPermanentError, SlackRateLimitedError, SlackTransientError, SlackUncertainError } from '../../../src/slack/gateway';
import { toSlackError } from '../../../src/slack/slack-errors';

const platform = (error: string, retryAfter?: number) =>
  new WebAPIPlatformError({ ok: false, error, response_metadata: retryAfter === undefined ? {} : { retryAfter } });
const fetchFailure = (cause: unknown) => new WebAPIRequestError(Object.assign(new TypeError('fetch failed'), { cause }));

describe('toSlackError', () => {
  it('turns a rejected 429 into a rate-limit error in milliseconds', () => {
    const error = toSlackError('chat.postMessage', new WebAPIRateLimitedError(3));
    expect(error).toBeInstanceOf(SlackRateLimitedError);
    expect((error as SlackRateLimitedError).retryAfterMs).toBe(3000);
  });

  it('treats ok:false ratelimited and rate_limited as rate limits, with Retry-After when Slack sent one', () => {
    expect(toSlackError('chat.postMessage', platform('ratelimited', 5))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 5000 });
    expect(toSlackError('chat.postMessage', platform('rate_limited'))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000 });
  });

  it('gives up on platform errors such as channel_not_found and invalid_auth, keeping the code', () => {
    const error = toSlackError('chat.postMessage', platform('channel_not_found'));
    expect(error).toBeInstanceOf(SlackPermanentError);
    expect(error).toMatchObject({ method: 'chat.postMessage', code: 'channel_not_found' });
    expect(toSlackError('auth.test', platform('invalid_auth'))).toMatchObject({ kind: 'permanent', code: 'invalid_auth' });
  });

  it('calls Slack-side failures uncertain: internal_error and HTTP 5xx', () => {
    expect(toSlackError('chat.postMessage', platform('internal_error'))).toBeInstanceOf(SlackUncertainError);
    expect(toSlackError('chat.postMessage', new WebAPIHTTPError(500, 'Internal Server Error', {}, ''))).toBeInstanceOf(SlackUncertainError);
    expect(toSlackError('chat.postMessage', new WebAPIHTTPError(404, 'Not Found', {}, ''))).toMatchObject({ kind: 'permanent', code: 'http_404' });
  });

  it('calls a refused connection transient, also inside an AggregateError, and a reset uncertain', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(toSlackError('chat.postMessage', fetchFailure(refused))).toBeInstanceOf(SlackTransientError);
    expect(toSlackError('chat.postMessage', fetchFailure(new AggregateError([refused])))).toBeInstanceOf(SlackTransientError);
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(toSlackError('chat.postMessage', fetchFailure(reset))).toBeInstanceOf(SlackUncertainError);
  });

  it('calls a timeout uncertain for a write and transient for a read', () => {
    const timeout = new WebAPIRequestError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    expect(toSlackError('chat.postMessage', timeout)).toBeInstanceOf(SlackUncertainError);
    expect(toSlackError('conversations.replies', timeout, { readOnly: true })).toBeInstanceOf(SlackTransientError);
  });

  it('keeps the original error as the cause', () => {
    const original = platform('not_in_channel');
    expect(toSlackError('chat.postMessage', original).cause).toBe(original);
  });
});
