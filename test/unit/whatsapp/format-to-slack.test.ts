import { escapeMrkdwn, whatsappToMrkdwn } from '../../../src/whatsapp/format-to-slack';

describe('whatsappToMrkdwn', () => {
  it.each([
    ['plain text', 'Hello there', 'Hello there'],
    ['bold, italic, strike and code', '*bold* _italic_ ~strike~ `code`', '*bold* _italic_ ~strike~ `code`'],
    ['nested and adjacent styles', '*bold _both_* _a_~b~', '*bold _both_* _a_~b~'],
    ['an ampersand', 'Tom & Jerry', 'Tom &amp; Jerry'],
    ['an entity the customer typed', 'write &amp; like this', 'write &amp;amp; like this'],
    ['comparison signs', '5 > 3 and 2 < 4', '5 &gt; 3 and 2 &lt; 4'],
    ['quotes and apostrophes (never HTML-encoded)', `"quoted" and 'single'`, `"quoted" and 'single'`],
    ['a WhatsApp quote', '> as you said <here>', '> as you said &lt;here&gt;'],
    ['a ">" without the space WhatsApp needs for a quote', '>not a quote', '&gt;not a quote'],
    ['star bullets', '* first\n* second', '• first\n• second'],
    ['an indented star bullet', '  * nested', '  • nested'],
    ['bold at the start of a line (not a bullet)', '*Important* read this', '*Important* read this'],
    ['dash bullets', '- first\n- second', '- first\n- second'],
    ['numbered lists', '1. first\n2. second', '1. first\n2. second'],
    ['a code block (bullets inside stay)', '```\n* a < b\n```\n* item', '```\n* a &lt; b\n```\n• item'],
    ['blank lines and CRLF', 'one\r\n\r\ntwo\n\nthree', 'one\r\n\r\ntwo\n\nthree'],
    ['emoji, ZWJ sequences and accents', 'I ❤️ 👨‍👩‍👧 café 👍🏽', 'I ❤️ 👨‍👩‍👧 café 👍🏽'],
  ])('converts %s', (_case, input, expected) => {
    expect(whatsappToMrkdwn(input)).toBe(expected);
  });

  it.each([
    ['a channel broadcast', '<!channel> refund me', '&lt;!channel&gt; refund me'],
    ['@here', '<!here>', '&lt;!here&gt;'],
    ['a user mention', 'ping <@U0123ABCD>', 'ping &lt;@U0123ABCD&gt;'],
    ['a disguised link', '<https://evil.example|Your invoice>', '&lt;https://evil.example|Your invoice&gt;'],
    ['an escaped entity trying to pass as a control', '&lt;!channel&gt;', '&amp;lt;!channel&amp;gt;'],
  ])('keeps %s typed by a customer inert', (_case, input, expected) => {
    const output = whatsappToMrkdwn(input);
    expect(output).toBe(expected);
    expect(output).not.toMatch(/<[!@#]/);
  });
});

describe('escapeMrkdwn', () => {
  it('escapes only &, < and >', () => {
    expect(escapeMrkdwn(`<a href="x">&'</a>`)).toBe(`&lt;a href="x"&gt;&amp;'&lt;/a&gt;`);
  });
});
