import {
  literalMrkdwn,
  button,
  composeMessage,
  confirm,
  context,
  customerLabel,
  escapeMrkdwn,
  formatPhone,
  link,
  mention,
  mrkdwn,
  plainText,
  section,
  sections,
  slackDate,
  slackDateTime,
  slackTime,
  splitMrkdwn,
  truncate,
  truncateMrkdwn,
} from '../../../blocks/primitives';

describe('escapeMrkdwn', () => {
  it('turns only & < > into entities, so <!channel> shows as text', () => {
    expect(escapeMrkdwn('<!channel> & co *bold* "q"')).toBe('&lt;!channel&gt; &amp; co *bold* "q"');
  });
});

describe('truncate', () => {
  it('leaves text within the limit alone', () => {
    expect(truncate('hello', 5)).toBe('hello');
  });

  it('cuts long text to the limit, ending with an ellipsis', () => {
    const out = truncate('abcdefghij', 5);
    expect(out).toBe('abcd…');
    expect(out.length).toBe(5);
  });

  it('never splits an emoji, even one made of several code points', () => {
    const thumbs = '👍🏽'; // 4 UTF-16 units: a skin-tone sequence
    const out = truncate(`ab${thumbs}${thumbs}`, 7);
    expect(out).toBe(`ab${thumbs}…`);
    expect(truncate(`a${thumbs}`, 3)).toBe('a…');
  });
});

describe('truncateMrkdwn', () => {
  it('does not cut inside an entity', () => {
    expect(truncateMrkdwn('abc &amp; def', 7)).toBe('abc…');
  });

  it('does not cut inside a link or mention', () => {
    const out = truncateMrkdwn('see <https://example.com/a/long/path|the page> now', 20);
    expect(out).toBe('see…');
  });
});

describe('splitMrkdwn', () => {
  it('splits at line breaks first, each chunk within the limit', () => {
    const text = `${'a'.repeat(60)}\n${'b'.repeat(60)}`;
    expect(splitMrkdwn(text, 100)).toEqual(['a'.repeat(60), 'b'.repeat(60)]);
  });

  it('splits a 10k-character text without losing characters', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
    const chunks = splitMrkdwn(words, 3000);
    expect(chunks.every((chunk) => chunk.length <= 3000)).toBe(true);
    expect(chunks.join(' ')).toBe(words);
  });

  it('does not break a link across chunks', () => {
    const linkText = '<https://example.com/page|a page with words>';
    const text = `${'x '.repeat(40)}${linkText} tail`;
    const chunks = splitMrkdwn(text, 100);
    expect(chunks.some((chunk) => chunk.includes(linkText))).toBe(true);
  });

  it('cuts text with no spaces at the hard limit', () => {
    const chunks = splitMrkdwn('z'.repeat(7000), 3000);
    expect(chunks.map((chunk) => chunk.length)).toEqual([3000, 3000, 1000]);
  });

  it('never splits a surrogate pair when it has to cut a run without spaces', () => {
    const chunks = splitMrkdwn('a' + '😀'.repeat(10), 6);
    expect(chunks.join('')).toBe('a' + '😀'.repeat(10));
    expect(chunks.every((chunk) => chunk.length <= 6 && !/[\ud800-\udbff]$/.test(chunk))).toBe(true);
  });
});

describe('Block Kit objects', () => {
  it('caps a mrkdwn text at 3000 and never leaves it empty', () => {
    expect(mrkdwn('x'.repeat(5000)).text).toHaveLength(3000);
    expect(mrkdwn('').text.length).toBeGreaterThan(0);
  });

  it('caps plain text at the given limit', () => {
    expect(plainText('y'.repeat(200), 150).text).toHaveLength(150);
  });

  it('spreads long text over sections and marks what it had to drop', () => {
    const blocks = sections('word '.repeat(3000), 2);
    expect(blocks).toHaveLength(2);
    expect(blocks.every((block) => (block.text?.text.length ?? 0) <= 3000)).toBe(true);
    expect(blocks[1]?.text?.text.endsWith('…')).toBe(true);
  });

  it('merges context items past ten into the last element', () => {
    const block = context(Array.from({ length: 14 }, (_, i) => `item ${i}`));
    expect(block.elements).toHaveLength(10);
    expect((block.elements[9] as { text: string }).text).toContain('item 13');
  });

  it('caps button text at 75 and refuses a value that would be cut', () => {
    const b = button({ actionId: 'a', text: 'B'.repeat(100), value: '1' });
    expect(b.text.text).toHaveLength(75);
    expect(() => button({ actionId: 'a', text: 'B', value: '9'.repeat(2001) })).toThrow(RangeError);
  });

  it('caps a confirm dialog at 100 / 300 / 30', () => {
    const dialog = confirm({ title: 'T'.repeat(120), textMrkdwn: 'x'.repeat(400), confirm: 'C'.repeat(40), deny: 'D'.repeat(40) });
    expect(dialog.title?.text).toHaveLength(100);
    expect(dialog.text.text).toHaveLength(300);
    expect(dialog.confirm?.text).toHaveLength(30);
    expect(dialog.deny?.text).toHaveLength(30);
  });

  it('keeps at most 50 blocks and a non-empty fallback', () => {
    const message = composeMessage('', Array.from({ length: 60 }, () => section('x')));
    expect(message.blocks).toHaveLength(50);
    expect(message.text.length).toBeGreaterThan(0);
  });
});

describe('dates', () => {
  const at = new Date('2026-11-02T14:05:09Z');
  const unix = Math.floor(at.getTime() / 1000);

  it('renders a time with the date token and a UTC fallback', () => {
    expect(slackTime(at)).toBe(`<!date^${unix}^{time}|14:05 UTC>`);
  });

  it('renders a date and time with date_short_pretty', () => {
    expect(slackDateTime(at)).toBe(`<!date^${unix}^{date_short_pretty} {time}|Nov 2, 2026 14:05 UTC>`);
  });

  it('escapes the fallback', () => {
    expect(slackDate(at, '{time}', 'a <b>')).toBe(`<!date^${unix}^{time}|a &lt;b&gt;>`);
  });
});

describe('links and mentions', () => {
  it('links only http(s) URLs and keeps a | from ending the URL', () => {
    expect(link('https://x.test/a?b=1&c=2|x', 'here')).toBe('<https://x.test/a?b=1&amp;c=2%7Cx|here>');
    expect(link('javascript:alert(1)', 'here')).toBe('here');
    expect(link(undefined, 'here')).toBe('here');
  });

  it('mentions a user id, and shows anything else as inert text', () => {
    expect(mention('U0123ABC')).toBe('<@U0123ABC>');
    expect(mention('!channel')).toBe('!channel');
    expect(mention('U1><!here')).toBe('U1&gt;&lt;!here');
  });
});

describe('formatPhone', () => {
  it.each([
    ['15550002222', '+1 555-000-2222'],
    ['447700900123', '+44 7700 900123'],
    ['4915112345678', '+49 1511 2345678'],
    ['5511987654321', '+55 11 98765-4321'],
    ['551132345678', '+55 11 3234-5678'],
    ['353871234567', '+353 87 123 4567'],
    ['33612345678', '+33 6 12 34 56 78'],
    ['919876543210', '+91 98765 43210'],
    ['+1 (555) 000-2222', '+1 555-000-2222'],
  ])('formats %s as %s', (input, expected) => {
    expect(formatPhone(input)).toBe(expected);
  });

  it('leaves a too-short number, or one with no country, ungrouped', () => {
    expect(formatPhone('12345')).toBe('+12345');
    expect(formatPhone('999123456789')).toBe('+999123456789');
  });
});

describe('literalMrkdwn', () => {
  it('escapes & < > and swaps the formatting characters for look-alikes Slack does not parse', () => {
    expect(literalMrkdwn('*a* _b_ ~c~ `d` <e> & f')).toBe('\u2217a\u2217 \u02CDb\u02CD \u223Cc\u223C \u02CBd\u02CB &lt;e&gt; &amp; f');
    expect(literalMrkdwn('Ana Souza')).toBe('Ana Souza');
  });
});

describe('customerLabel', () => {
  it('prefers the name, then the number, then the username', () => {
    expect(customerLabel({ name: 'Alice', phone: '15550002222', username: 'alice' })).toBe('Alice');
    expect(customerLabel({ phone: '15550002222', username: 'alice' })).toBe('+1 555-000-2222');
    expect(customerLabel({ username: 'alice' })).toBe('@alice');
    expect(customerLabel({})).toBe('Unknown customer');
  });
});
