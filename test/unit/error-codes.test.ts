import {
  classifyGraphErrorCode,
  explainGraphError,
  GRAPH_ERROR_CODES,
  lookupGraphErrorCode,
  retryDelayMs,
} from '../../src/whatsapp/error-codes';

describe('classifyGraphErrorCode', () => {
  it.each([4, 80007, 130429, 131056, 131057, 133016])('treats %i as throttled', (code) => {
    expect(classifyGraphErrorCode(code)).toBe('throttled');
  });

  it.each([1, 2, 131000, 131016])('treats %i as transient', (code) => {
    expect(classifyGraphErrorCode(code)).toBe('transient');
  });

  it.each([0, 10, 100, 190, 200, 250, 299, 368, 130472, 131026, 131047, 131051, 131053, 131062, 132000, 132016, 132999, 137000])(
    'treats %i as permanent',
    (code) => {
      expect(classifyGraphErrorCode(code)).toBe('permanent');
    },
  );

  it('classifies by Meta’s code even when the HTTP status suggests otherwise', () => {
    expect(classifyGraphErrorCode(130429, 400)).toBe('throttled');
    expect(classifyGraphErrorCode(131047, 500)).toBe('permanent');
    expect(classifyGraphErrorCode(131000, 400)).toBe('transient');
  });

  it('falls back on the HTTP status for codes it does not know', () => {
    expect(classifyGraphErrorCode(999_999, 503)).toBe('transient');
    expect(classifyGraphErrorCode(999_999, 400)).toBe('permanent');
    expect(classifyGraphErrorCode(999_999)).toBe('permanent');
  });

  it('has a short text for every code in the table', () => {
    for (const info of Object.values(GRAPH_ERROR_CODES)) expect(info.short.length).toBeGreaterThan(3);
    expect(lookupGraphErrorCode(210)?.topic).toBe('permission');
    expect(lookupGraphErrorCode(132099)?.topic).toBe('template');
    expect(lookupGraphErrorCode(424242)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('backs off 4^X seconds on the pair rate limit, capped at five minutes', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => retryDelayMs(131056, n))).toEqual([1000, 4000, 16_000, 64_000, 256_000, 300_000]);
  });

  it('backs off exponentially from one second on throughput limits', () => {
    for (const code of [130429, 80007, 4]) expect([0, 1, 2, 3].map((n) => retryDelayMs(code, n))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('waits about a minute during maintenance mode', () => {
    expect(retryDelayMs(131057, 0)).toBe(60_000);
    expect(retryDelayMs(131057, 3)).toBe(60_000);
  });

  it('backs off exponentially on transient errors and never past five minutes', () => {
    expect([0, 1, 2].map((n) => retryDelayMs(131000, n))).toEqual([2000, 4000, 8000]);
    expect(retryDelayMs(1, 20)).toBe(300_000);
  });

  it('does not retry permanent errors', () => {
    expect(retryDelayMs(131047, 0)).toBeUndefined();
    expect(retryDelayMs(190, 0)).toBeUndefined();
  });

  it('uses the given kind for errors that never reached Graph', () => {
    expect(retryDelayMs(0, 1, { kind: 'transient' })).toBe(4000);
    expect(retryDelayMs(0, 1, { kind: 'uncertain' })).toBeUndefined();
  });

  it('retries an unknown code on a 5xx', () => {
    expect(retryDelayMs(999_999, 0, { httpStatus: 502 })).toBe(2000);
  });

  it('adds up to 25 % jitter only when given a random source', () => {
    expect(retryDelayMs(131056, 1, { random: () => 0.5 })).toBe(4500);
    expect(retryDelayMs(131056, 1, { random: () => 0 })).toBe(4000);
  });
});

describe('explainGraphError', () => {
  it('says the 24-hour window is closed and only a template can reach the customer', () => {
    const text = explainGraphError({ code: 131047 });
    expect(text).toMatch(/24-hour window is closed/);
    expect(text).toMatch(/template/);
  });

  it('explains an undeliverable message', () => {
    expect(explainGraphError({ code: 131026 })).toMatch(/not be on WhatsApp.*old WhatsApp version.*terms/);
  });

  it('explains rejected media and passes on Meta’s details', () => {
    const text = explainGraphError({ code: 131053, details: 'Unsupported MIME type image/gif' });
    expect(text).toMatch(/file type, size or MIME type/);
    expect(text).toMatch(/Meta says: Unsupported MIME type image\/gif/);
  });

  it('says throttling is retried automatically', () => {
    expect(explainGraphError({ code: 131056 })).toMatch(/too fast to this customer.*retries automatically/);
    expect(explainGraphError({ code: 130429 })).toMatch(/too fast overall.*retries automatically/);
  });

  it('tells an admin to renew the access token on 190 and 0', () => {
    expect(explainGraphError({ code: 190 })).toMatch(/renew WHATSAPP_ACCESS_TOKEN/);
    expect(explainGraphError({ code: 0 })).toMatch(/renew WHATSAPP_ACCESS_TOKEN/);
  });

  it.each([
    [131052, /larger than 100 MB/],
    [131051, /not supported/],
    [131009, /older than 30 days/],
    [131021, /yourself/],
    [131030, /allowed list/],
    [131031, /locked/],
    [131042, /payment/],
    [131048, /spam/],
    [131049, /24 hours/],
    [131050, /stopped marketing/],
    [131062, /phone number is known/],
    [100, /invalid/],
    [368, /policy/],
    [10, /permission/],
    [275, /permission/],
    [132001, /template/],
    [132015, /Meta paused it/],
    [1, /retries automatically/],
    [2, /retries automatically/],
    [131000, /retries automatically/],
    [131016, /retries automatically/],
  ])('explains code %i in plain words', (code, pattern) => {
    expect(explainGraphError({ code })).toMatch(pattern);
  });

  it('names an unknown code with Meta’s title and details', () => {
    const text = explainGraphError({ code: 987_654, title: 'Something odd', details: 'more about it' });
    expect(text).toContain('987654');
    expect(text).toContain('Something odd: more about it');
  });

  it('keeps Meta’s details out of explanations where they add nothing', () => {
    expect(explainGraphError({ code: 131056, details: 'Too many messages' })).not.toContain('Too many messages');
  });
});
