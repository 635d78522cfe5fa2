import { GRAPH_ERROR_CODES, describeErrorOrigin, explainGraphError } from '../../../src/whatsapp/error-codes';
import { LOCAL_FAILURE_CODES, type LocalFailure, explainLocalFailure, localFailureOf } from '../../../src/whatsapp/local-failures';

const TOKEN_EXPIRED = /token.*(expired|invalid)|renew WHATSAPP_ACCESS_TOKEN/;
const failures = Object.keys(LOCAL_FAILURE_CODES) as LocalFailure[];

describe('threadline’s own failures', () => {
  it('have reserved codes below zero, one each, none of them Meta’s', () => {
    const codes = Object.values(LOCAL_FAILURE_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(code).toBeLessThan(0);
      expect(GRAPH_ERROR_CODES[code]).toBeUndefined();
    }
  });

  it.each(failures)('%s has its own plain-words explanation, with no word of the token', (failure) => {
    const text = explainGraphError({ code: LOCAL_FAILURE_CODES[failure] });
    expect(text).toBe(explainLocalFailure(failure));
    expect(text).not.toMatch(TOKEN_EXPIRED);
    expect(failures.filter((other) => explainLocalFailure(other) === text)).toEqual([failure]);
  });

  it.each([
    ['graph_unreachable', /could not reach WhatsApp’s servers.*never left.*internet connection, DNS, firewall or proxy/],
    ['graph_timeout', /did not answer in time.*WHATSAPP_TIMEOUT_MS/],
    ['graph_unreadable_answer', /Something other than Meta’s API answered.*proxy/],
    ['slack_file', /Slack did not hand the attached file over.*Attach it again.*files:read/],
  ] as const)('%s says what happened and what to do', (failure, pattern) => {
    expect(explainLocalFailure(failure)).toMatch(pattern);
  });

  it('are named for what they are where Meta’s code would be, never as a Meta code', () => {
    expect(describeErrorOrigin({ code: LOCAL_FAILURE_CODES.graph_unreachable }, 'WhatsApp error')).toBe(
      'threadline: WhatsApp’s servers unreachable, not a WhatsApp error',
    );
    expect(describeErrorOrigin({ code: 131047 }, 'Meta error')).toBe('Meta error 131047');
    expect(describeErrorOrigin({ code: 0, title: 'AuthException' }, 'WhatsApp error')).toBe('WhatsApp error 0');
    expect(describeErrorOrigin(undefined, 'Meta error')).toBe('WhatsApp gave no error code');
  });
});

describe('rows stored before the reserved codes (code 0)', () => {
  it.each([
    ['Could not connect to Graph (ECONNREFUSED)', 'graph_unreachable'],
    ['Connection to Graph failed (ECONNRESET)', 'graph_connection_lost'],
    ['No answer from Graph within 15000 ms', 'graph_timeout'],
    ['HTTP 502 without a Graph error body', 'graph_unreadable_answer'],
    ['Unexpected Graph media upload response', 'graph_unreadable_answer'],
    ['Slack did not hand over the file (file_not_found)', 'slack_file'],
    ['Graph URL outside WHATSAPP_API_URL', 'outside_api_url'],
    ['Media URL redirected', 'media_link'],
  ] as const)('“%s” is read as threadline’s own %s, not as an expired token', (title, failure) => {
    expect(localFailureOf({ code: 0, title })).toBe(failure);
    expect(explainGraphError({ code: 0, title })).toBe(explainLocalFailure(failure));
    expect(explainGraphError({ code: 0, title })).not.toMatch(TOKEN_EXPIRED);
  });

  it('with Meta’s own title (or none) is still Meta’s code 0: the token', () => {
    for (const title of ['AuthException', 'Error validating access token: Session has expired', undefined]) {
      expect(localFailureOf({ code: 0, title })).toBeUndefined();
      expect(explainGraphError({ code: 0, title })).toMatch(/renew WHATSAPP_ACCESS_TOKEN/);
    }
  });

  it('a Meta code with one of threadline’s old titles stays Meta’s', () => {
    expect(localFailureOf({ code: 131000, title: 'Could not connect to Graph (ECONNREFUSED)' })).toBeUndefined();
  });
});
