import { describeErrorForLog, libraryLogText, redactLogFields, scrubErrorMessage } from '../../src/log-privacy';
import { createLogger } from '../../src/logger';

function capture(level = 'trace') {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, text: () => lines.join('') };
}

describe('log privacy', () => {
  it('drops drizzle’s parameter list and Postgres’s failing row, keeping what the failure was', () => {
    const driver = Object.assign(new Error('new row for relation "messages" violates check constraint "c"'), {
      code: '23514',
      detail: 'Failing row contains (1, inbound, text, secret words, +5511987654321).',
      where: 'JSON data, line 1: {"body":"secret words"',
      table: 'messages',
    });
    const wrapped = Object.assign(new Error('Failed query: insert into messages values ($1, $2)\nparams: 5511987654321,secret words', { cause: driver }), {
      query: 'insert into messages values ($1, $2)',
      params: ['5511987654321', 'secret words'],
    });
    const { logger, text } = capture();
    logger.error({ err: wrapped, other: driver }, 'failed');
    logger.error(wrapped);
    const log = text();
    expect(log).not.toContain('5511987654321');
    expect(log).not.toContain('secret words');
    expect(log).toContain('violates check constraint');
    expect(log).toContain('23514');
    expect(log).toContain('insert into messages values ($1, $2)');
  });

  it('takes the refused value out of a data exception’s message', () => {
    expect(scrubErrorMessage('invalid input syntax for type uuid: "hello there"', '22P02')).toBe('invalid input syntax for type uuid: "…"');
    expect(scrubErrorMessage('relation "messages" does not exist', '42P01')).toBe('relation "messages" does not exist');
  });

  it('masks phone numbers in free text but leaves Slack timestamps and ids alone', () => {
    expect(scrubErrorMessage('no such number 5511987654321 in 1712345678.123456 wamid.HBgL5511987654321')).toBe(
      'no such number ••••••••4321 in 1712345678.123456 wamid.HBgL5511987654321',
    );
    expect(scrubErrorMessage('call +55 11 98765-4321 now')).toBe('call ••••••••4321 now');
  });

  it('masks phone fields and drops text fields at any depth', () => {
    const out = redactLogFields({ conversation: { waId: '5511987654321', body: 'my address is…' }, list: [{ text: 'hi' }], n: 3 });
    expect(out).toEqual({ conversation: { waId: '•••••••••4321'.slice(1), body: '[redacted 14 chars]' }, list: [{ text: '[redacted 2 chars]' }], n: 3 });
  });

  it('reduces the Slack libraries’ debug payloads to ids and codes', () => {
    const line = libraryLogText([
      `http request body: ${JSON.stringify({ channel: 'C1', thread_ts: '1.2', text: 'secret words', username: 'Maria Souza', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'secret words' } }] })}`,
    ]);
    expect(line).toContain('"channel":"C1"');
    expect(line).toContain('"thread_ts":"1.2"');
    expect(line).not.toContain('secret words');
    expect(line).not.toContain('Maria');
    expect(libraryLogText(['Error details: DrizzleQueryError: Failed query: select 1\nparams: 5511987654321'])).not.toContain('5511987654321');
    expect(libraryLogText(['unparsable {"text":"secret words"'])).not.toContain('secret');
  });

  it('describes an error without the fields it carries', () => {
    const err = Object.assign(new Error('boom'), { code: 'E1', payload: { body: 'secret' }, data: { error: 'channel_not_found', text: 'secret' } });
    const d = describeErrorForLog(err);
    expect(d).toMatchObject({ type: 'Error', message: 'boom', code: 'E1', slackError: 'channel_not_found' });
    expect(JSON.stringify(d)).not.toContain('secret');
  });
});
