import {
  guardSlackFetch,
  isGraphApiUrl,
  isSlackApiUrl,
  isSlackFileUrl,
  isSlackResponseUrl,
  isWhatsAppMediaUrl,
} from '../../src/outbound-hosts';

const SLACK = 'https://slack.com/api/';
const EMULATOR = 'http://127.0.0.1:4555/api/';
const GRAPH = 'https://graph.facebook.com';

describe('where the Slack bot token may go (file downloads and uploads)', () => {
  it.each([
    'https://files.slack.com/files-pri/T1-F1/download/a.png',
    'https://files.slack-gov.com/files-pri/T1-F1/a.pdf',
    'https://slack.com/files-pri/T1-F1/a.pdf',
    'https://FILES.SLACK.COM/files-pri/T1-F1/a.png',
  ])('%s is a Slack file host', (url) => {
    expect(isSlackFileUrl(url, SLACK)).toBe(true);
  });

  it.each([
    ['plain http', 'http://files.slack.com/files-pri/T1-F1/a.png'],
    ['a look-alike domain', 'https://files.slack.com.evil.example/a.png'],
    ['a suffix that is not a subdomain', 'https://evilslack.com/a.png'],
    ['credentials in the URL', 'https://user:pw@files.slack.com/a.png'],
    ['an external file', 'https://drive.example.com/doc'],
    ['the emulator when SLACK_API_URL is the real one', 'http://127.0.0.1:4555/files-pri/T1-F1/a.png'],
    ['not a URL', 'files.slack.com/a.png'],
  ])('%s is refused', (_what, url) => {
    expect(isSlackFileUrl(url, SLACK)).toBe(false);
  });

  it("accepts SLACK_API_URL's own origin (the emulator), and only that origin", () => {
    expect(isSlackFileUrl('http://127.0.0.1:4555/files-pri/T1-F1/a.png', EMULATOR)).toBe(true);
    expect(isSlackFileUrl('http://127.0.0.1:4556/files-pri/T1-F1/a.png', EMULATOR)).toBe(false);
    expect(isSlackFileUrl('http://localhost:4555/files-pri/T1-F1/a.png', EMULATOR)).toBe(false);
  });
});

describe('response_url and Web API calls', () => {
  it("answers on Slack's hooks host or the emulator's origin only", () => {
    expect(isSlackResponseUrl('https://hooks.slack.com/actions/T1/1/abc', SLACK)).toBe(true);
    expect(isSlackResponseUrl('https://hooks.slack-gov.com/commands/T1/1/abc', SLACK)).toBe(true);
    expect(isSlackResponseUrl('http://127.0.0.1:4555/response/abc', EMULATOR)).toBe(true);
    expect(isSlackResponseUrl('https://hooks.slack.com.evil.example/x', SLACK)).toBe(false);
    expect(isSlackResponseUrl('https://files.slack.com/x', SLACK)).toBe(false);
    expect(isSlackResponseUrl('http://169.254.169.254/latest/meta-data', SLACK)).toBe(false);
  });

  it("Web API calls go to SLACK_API_URL's origin", () => {
    expect(isSlackApiUrl('https://slack.com/api/chat.postMessage', SLACK)).toBe(true);
    expect(isSlackApiUrl('https://hooks.slack.com/x', SLACK)).toBe(false);
  });

  it('the fetch given to Bolt refuses any other host before sending anything', async () => {
    const sent: string[] = [];
    const inner = ((input: string | URL | Request) => {
      sent.push(String(input));
      return Promise.resolve(new Response('{"ok":true}'));
    }) as typeof fetch;
    const guarded = guardSlackFetch(SLACK, inner);
    await guarded('https://hooks.slack.com/actions/T1/1/abc', { method: 'POST' });
    await guarded(new URL('https://slack.com/api/auth.test'));
    await expect(guarded('https://attacker.example/collect', { method: 'POST' })).rejects.toThrow('attacker.example');
    expect(sent).toEqual(['https://hooks.slack.com/actions/T1/1/abc', 'https://slack.com/api/auth.test']);
  });
});

describe('where the WhatsApp token may go', () => {
  it("Graph calls go to WHATSAPP_API_URL's origin only", () => {
    expect(isGraphApiUrl('https://graph.facebook.com/v25.0/123/messages', GRAPH)).toBe(true);
    expect(isGraphApiUrl('https://graph.facebook.com.evil.example/v25.0/123/messages', GRAPH)).toBe(false);
    expect(isGraphApiUrl('http://graph.facebook.com/v25.0/123/messages', GRAPH)).toBe(false);
  });

  it("media downloads go to Meta's media hosts or WHATSAPP_API_URL's origin", () => {
    expect(isWhatsAppMediaUrl('https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1', GRAPH)).toBe(true);
    expect(isWhatsAppMediaUrl('https://scontent.xx.fbcdn.net/v/t1/1.jpg', GRAPH)).toBe(true);
    expect(isWhatsAppMediaUrl('http://127.0.0.1:4600/media/1', 'http://127.0.0.1:4600')).toBe(true);
    expect(isWhatsAppMediaUrl('https://lookaside.fbsbx.com.evil.example/x', GRAPH)).toBe(false);
    expect(isWhatsAppMediaUrl('https://files.slack.com/x', GRAPH)).toBe(false);
  });
});
