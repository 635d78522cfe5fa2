import { describeNetworkError } from '../../src/network-error';

describe('a network failure in a few words', () => {
  it('finds the socket error code in the cause chain, with the host when known', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND slack.example'), { code: 'ENOTFOUND', hostname: 'slack.example' });
    expect(describeNetworkError(new TypeError('fetch failed', { cause: dns }))).toBe('ENOTFOUND slack.example');
    const refused = new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], 'x');
    expect(describeNetworkError(new Error('failed', { cause: refused }))).toBe('ECONNREFUSED');
  });

  it('reads the code from the text when only the message survived', () => {
    expect(describeNetworkError(new Error('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:4000') }))).toBe('ECONNREFUSED 127.0.0.1:4000');
  });

  it('says "timed out" for an abort, and otherwise keeps the innermost reason', () => {
    expect(describeNetworkError(Object.assign(new Error('The operation was aborted'), { name: 'TimeoutError' }))).toBe('timed out');
    expect(describeNetworkError(new TypeError('fetch failed', { cause: new Error('bad port') }))).toBe('fetch failed: bad port');
  });
});
