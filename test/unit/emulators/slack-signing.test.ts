import { buildEventCallbackBody, signSlackRequest, verifySlackSignature } from '../../../src/emulators/slack-signing';

/** The worked example in Slack's "Verifying requests from Slack" guide (slack.md §9.2). */
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = 1531420618;
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
  '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
  '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';

describe('signSlackRequest', () => {
  it('reproduces the signature of Slack’s documented example', () => {
    const { headers } = signSlackRequest(DOC_SECRET, DOC_BODY, DOC_TIMESTAMP);
    expect(headers).toEqual({
      'X-Slack-Request-Timestamp': '1531420618',
      'X-Slack-Signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    });
  });
});

describe('verifySlackSignature', () => {
  const signed = (body: string, ts: number, secret = DOC_SECRET) => signSlackRequest(secret, body, ts).headers;
  const check = (body: string, headers: ReturnType<typeof signed>, nowSec: number) =>
    verifySlackSignature({ secret: DOC_SECRET, rawBody: body, timestamp: headers['X-Slack-Request-Timestamp'], signature: headers['X-Slack-Signature'], nowSec });

  it('accepts a fresh, correctly signed body', () => {
    expect(check(DOC_BODY, signed(DOC_BODY, 1000), 1000)).toBe(true);
  });

  it('refuses a timestamp older than five minutes, like Bolt, but not a future one', () => {
    expect(check(DOC_BODY, signed(DOC_BODY, 1000), 1000 + 301)).toBe(false);
    expect(check(DOC_BODY, signed(DOC_BODY, 2000), 1000)).toBe(true);
  });

  it('refuses a tampered body and a signature made with another secret', () => {
    expect(check(`${DOC_BODY}&x=1`, signed(DOC_BODY, 1000), 1000)).toBe(false);
    expect(check(DOC_BODY, signed(DOC_BODY, 1000, 'another-secret'), 1000)).toBe(false);
  });
});

describe('buildEventCallbackBody', () => {
  it('wraps the event in the Events API envelope with event_id and authorizations', () => {
    const identity = { teamId: 'T1', teamDomain: 't', apiAppId: 'A1', botUserId: 'UB', verificationToken: 'v' };
    const { body, contentType } = buildEventCallbackBody(identity, { type: 'message', text: 'hi' }, { eventId: 'Ev1', eventTimeSec: 5 });
    expect(contentType).toBe('application/json');
    expect(JSON.parse(body)).toMatchObject({
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: 'Ev1',
      event_time: 5,
      event: { type: 'message', text: 'hi' },
      authorizations: [{ team_id: 'T1', user_id: 'UB', is_bot: true }],
    });
  });
});
