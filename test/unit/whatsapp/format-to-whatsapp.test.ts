import { mentionedUserIds, mrkdwnToWhatsApp, unescapeMrkdwn } from '../../../src/whatsapp/format-to-whatsapp';

const USERS = new Map([
  ['U1', 'Maria'],
  ['U2', 'Tom & Co'],
]);
const names = { user: (id: string) => USERS.get(id) };
const withChannels = { ...names, channel: (id: string) => (id === 'C7' ? 'support' : undefined) };

describe('mrkdwnToWhatsApp', () => {
  it.each([
    ['plain text', 'Thanks, we will ship today', 'Thanks, we will ship today'],
    ['bold, italic, strike and inline code', '*bold* _italic_ ~strike~ `code`', '*bold* _italic_ ~strike~ `code`'],
    ['nested and adjacent styles', '*bold _both_*_a_~b~', '*bold _both_*_a_~b~'],
    ['a quote', '&gt; as you asked', '> as you asked'],
    ['a code block with escapes', '```\nif (a &amp;&amp; b &lt; c) {}\n```', '```\nif (a && b < c) {}\n```'],
    ['entities', '&lt;b&gt; R&amp;D', '<b> R&D'],
    ['an escaped entity the agent typed', 'type &amp;lt; for <', 'type &lt; for <'],
    ['a double-escaped ampersand', '&amp;amp;', '&amp;'],
    ['emoji and surrogate pairs untouched', '👨‍👩‍👧 ❤️ 👍🏽 café', '👨‍👩‍👧 ❤️ 👍🏽 café'],
    ['newlines', 'line one\nline two\n\npara', 'line one\nline two\n\npara'],
  ])('passes through %s', (_case, input, expected) => {
    expect(mrkdwnToWhatsApp(input, names)).toBe(expected);
  });

  it.each([
    ['a labelled link', '<https://example.com/a|our site>', 'our site (https://example.com/a)'],
    ['a bare link', 'see <https://example.com>', 'see https://example.com'],
    ['a link labelled with its own url', '<https://example.com|https://example.com>', 'https://example.com'],
    ['an auto-linked domain', '<http://www.example.com|www.example.com>', 'www.example.com'],
    ['&amp; in a query string', '<https://x.example/?a=1&amp;b=2|search>', 'search (https://x.example/?a=1&b=2)'],
    ['&amp; in a bare link', '<https://x.example/?a=1&amp;b=2>', 'https://x.example/?a=1&b=2'],
    ['an escaped label', '<https://x.example|Q&amp;A &lt;new&gt;>', 'Q&A <new> (https://x.example)'],
    ['a mailto link', '<mailto:help@example.com|help@example.com>', 'help@example.com'],
    ['a labelled mailto link', '<mailto:help@example.com|Email us>', 'Email us (help@example.com)'],
    ['adjacent links', '<https://a.example|A><https://b.example|B>', 'A (https://a.example)B (https://b.example)'],
    ['a link inside bold', '*<https://a.example|read this>*', '*read this (https://a.example)*'],
  ])('converts %s', (_case, input, expected) => {
    expect(mrkdwnToWhatsApp(input, names)).toBe(expected);
  });

  it.each([
    ['a resolved user', 'thanks <@U1>!', 'thanks @Maria!'],
    ['a resolved name with an ampersand, as given', '<@U2>', '@Tom & Co'],
    ['an unresolved user with a label', '<@U9|jo>', '@jo'],
    ['an unresolved user without a label', '<@U9>', '@someone'],
    ['a channel with its name', '<#C1|general>', '#general'],
    ['a channel without a name', '<#C1>', 'a channel'],
    ['a channel with an empty label', 'ask in <#C1|>', 'ask in a channel'],
    ['@here', '<!here> please look', 'everyone please look'],
    ['@channel', '<!channel>', 'everyone'],
    ['@everyone', '<!everyone>', 'everyone'],
    ['a labelled @here', '<!here|@here>', 'everyone'],
    ['a user group', 'ask <!subteam^S1|@support-team>', 'ask support-team'],
    ['a user group without a label', '<!subteam^S1>', 'the team'],
    ['a date', '<!date^1392734382^{date_short}|Feb 18, 2014>', 'Feb 18, 2014'],
  ])('renders %s', (_case, input, expected) => {
    expect(mrkdwnToWhatsApp(input, names)).toBe(expected);
  });

  it('resolves channel names through the optional resolver', () => {
    expect(mrkdwnToWhatsApp('<#C7> or <#C8|sales>', withChannels)).toBe('#support or #sales');
  });

  it('sends a control sequence the agent typed as literal text', () => {
    expect(mrkdwnToWhatsApp('type &lt;!channel&gt; to ping', names)).toBe('type <!channel> to ping');
  });

  it.each([
    ['common shortcodes', ':smile: :+1: :tada: :white_check_mark:', '😄 👍 🎉 ✅'],
    ['a skin tone', ':thumbsup::skin-tone-3:', '👍🏼'],
    ['a flag', ':flag-de: :flag-br: :de:', '🇩🇪 🇧🇷 🇩🇪'],
    ['+1 and -1 with tones', ':+1::skin-tone-2: :-1::skin-tone-6:', '👍🏻 👎🏿'],
    ['a tone on an emoji whose text form carries a variation selector', ':v::skin-tone-4:', '\u270C\u{1F3FD}'],
    ['a tone after an emoji that takes none', ':smile::skin-tone-2:', '😄\u{1F3FB}'],
    ['names outside the old short table', ':face_with_monocle: :pinching_hand: :flag-england: :melting_face:', '🧐 🤏 🏴󠁧󠁢󠁥󠁮󠁧󠁿 🫠'],
    ['an unknown shortcode, left as typed', ':not_an_emoji: ok', ':not_an_emoji: ok'],
    ['a shortcode after an unknown one sharing its colon', 'a:b::smile:', 'a:b:😄'],
    ['times', 'at 10:30:45 :wave:', 'at 10:30:45 👋'],
    ['an object property name', ':constructor: :toString:', ':constructor: :toString:'],
    ['shortcodes in inline code', 'type `:smile:` for :smile:', 'type `:smile:` for 😄'],
    ['shortcodes in a code block', '```\n:fire:\n```', '```\n:fire:\n```'],
  ])('turns %s into Unicode', (_case, input, expected) => {
    expect(mrkdwnToWhatsApp(input, names)).toBe(expected);
  });

  it('resolves mentions inside code too, since Slack sends them as controls there', () => {
    expect(mrkdwnToWhatsApp('`<@U1>`', names)).toBe('`@Maria`');
  });
});

describe('mentionedUserIds', () => {
  it('lists each mentioned user once, in order, ignoring channels and broadcasts', () => {
    expect(mentionedUserIds('<@U2|tom> hi <@U1>, <@U2> <#C1|x> <!here> <!subteam^S1>')).toEqual(['U2', 'U1']);
  });

  it('finds none in plain text', () => {
    expect(mentionedUserIds('email me at a@b.com')).toEqual([]);
  });
});

describe('unescapeMrkdwn', () => {
  it('decodes exactly the three Slack entities and nothing else', () => {
    expect(unescapeMrkdwn('&amp;&lt;&gt;&quot;&#39;&amp;gt;')).toBe('&<>&quot;&#39;&gt;');
  });
});
