// The page's modules are plain browser JS, type-checked on their own (src/playground/web/tsconfig.json); their pure
// parts run here as they are.
// @ts-expect-error: no declaration file, on purpose (the browser loads the .js as it is)
import * as mrkdwnModule from '../../src/playground/web/js/mrkdwn.js';

interface Directory {
  userName(id: string): string;
  channelName(id: string): string;
}
const { mrkdwnToHtml, plainToHtml } = mrkdwnModule as { mrkdwnToHtml(text: string, dir: Directory): string; plainToHtml(text: string): string };

const dir: Directory = { userName: (id: string) => ({ U0ANA: 'Ana' })[id] ?? id, channelName: (id: string) => ({ C0SANDBOX01: 'support-whatsapp' })[id] ?? id };

describe("the playground's mrkdwn rendering", () => {
  it('never lets message text become markup: a customer cannot script the page', () => {
    const html = mrkdwnToHtml('&lt;img src=x onerror=alert(1)&gt; "quoted" <javascript:alert(1)|click>', dir);
    expect(html).not.toMatch(/<img|onerror=alert\(1\)>/);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;quoted&quot;');
    expect(plainToHtml('<b>hi</b>')).toBe('&lt;b&gt;hi&lt;/b&gt;');
  });

  it('shows bold, italic, strike, code, quotes, mentions, channels and labelled links as Slack does', () => {
    const html = mrkdwnToHtml('*State* _soon_ ~old~ `x`\n&gt; quoted\n<@U0ANA> in <#C0SANDBOX01> <https://example.com|*the site*>', dir);
    expect(html).toContain('<strong>State</strong>');
    expect(html).toContain('<em>soon</em>');
    expect(html).toContain('<del>old</del>');
    expect(html).toContain('<code>x</code>');
    expect(html).toContain('<blockquote>quoted</blockquote>');
    expect(html).toContain('<span class="mention">@Ana</span>');
    expect(html).toContain('<span class="mention">#support-whatsapp</span>');
    expect(html).toContain('<a href="https://example.com" target="_blank" rel="noopener"><strong>the site</strong></a>');
  });

  it('turns a permalink into a link the page can follow to the thread', () => {
    const html = mrkdwnToHtml('<https://emulator.slack.test/archives/C0SANDBOX01/p1796422480209000|Earlier conversation>', dir);
    expect(html).toContain('data-channel="C0SANDBOX01" data-ts="1796422480.209000"');
  });
});
