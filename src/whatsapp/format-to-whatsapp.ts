/**
 * An agent's Slack mrkdwn reply → WhatsApp text. Bold, italic, strike, code and quotes are written the same on
 * both sides and pass through; what WhatsApp lacks — angle-bracket links and mentions, entity escapes,
 * `:shortcode:` emoji — is turned into plain text (slack.md §6.2).
 */

export interface MentionNames {
  /** Display name for a Slack user id, when the caller resolved it (see mentionedUserIds). */
  user(id: string): string | undefined;
  channel?(id: string): string | undefined;
}

/**
 * Code first, so code keeps its `:colons:` (Slack does not render emoji in code), then `<…>` control sequences.
 * A literal "<" is always sent as `&lt;` (slack.md §5), so any raw `<…>` is a control sequence.
 */
const CODE_OR_CONTROL = /```[\s\S]*?```|`[^`\n]+`|<[^<>]*>/g;
const CONTROL_SEQUENCE = /<[^<>]*>/g;
const USER_MENTION = /<@([A-Z0-9]+)(?:\|[^<>]*)?>/g;
const BROADCASTS: ReadonlySet<string> = new Set(['here', 'channel', 'everyone']);

export function mrkdwnToWhatsApp(text: string, names: MentionNames): string {
  return replaceMatches(text, CODE_OR_CONTROL, convertProse, (match) =>
    match.startsWith('<') ? renderControl(match.slice(1, -1), names) : convertCode(match, names),
  );
}

/** Slack user ids mentioned in the text, in order and without repeats, so the caller can resolve names first. */
export function mentionedUserIds(mrkdwn: string): string[] {
  return [...new Set(Array.from(mrkdwn.matchAll(USER_MENTION), (m) => m[1] ?? ''))].filter((id) => id !== '');
}

/**
 * `&amp;` `&lt;` `&gt;` in one pass, so an escaped escape (`&amp;lt;`) becomes the literal `&lt;` the agent
 * typed rather than `<` (slack.md §5).
 */
export function unescapeMrkdwn(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_entity, name: string) =>
    name === 'amp' ? '&' : name === 'lt' ? '<' : '>',
  );
}

function convertProse(text: string): string {
  return unescapeMrkdwn(replaceShortcodes(text));
}

function convertCode(code: string, names: MentionNames): string {
  return replaceMatches(code, CONTROL_SEQUENCE, unescapeMrkdwn, (match) => renderControl(match.slice(1, -1), names));
}

function renderControl(inner: string, names: MentionNames): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : unescapeMrkdwn(inner.slice(bar + 1));
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `@${names.user(id) ?? stripAt(label) ?? 'someone'}`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `#${names.channel?.(id) ?? label ?? 'channel'}`;
  }
  if (target.startsWith('!')) return renderSpecial(target.slice(1), label);
  return renderLink(unescapeMrkdwn(target), label);
}

/** `<!here>`, `<!subteam^S1|@team>`, `<!date^…|fallback>` (slack.md §6.2). */
function renderSpecial(command: string, label: string | undefined): string {
  if (BROADCASTS.has(command)) return `@${command}`;
  if (command.startsWith('subteam^')) return `@${stripAt(label) ?? 'team'}`;
  return label ?? '';
}

/** WhatsApp has no link labels, only bare URLs it links itself (slack.md §6.2): `label (url)`. */
function renderLink(url: string, label: string | undefined): string {
  const shown = url.startsWith('mailto:') ? url.slice('mailto:'.length) : url;
  if (label === undefined || label === '') return shown;
  const withoutScheme = url.replace(/^[a-z][a-z0-9+.-]*:(\/\/)?/i, '');
  if (label === url || label === shown || label === withoutScheme) return label;
  return `${label} (${shown})`;
}

function stripAt(label: string | undefined): string | undefined {
  const name = label?.replace(/^@/, '');
  return name === '' ? undefined : name;
}

/** Runs `onMatch` on every match of `pattern` and `onGap` on the text between matches. */
function replaceMatches(
  text: string,
  pattern: RegExp,
  onGap: (gap: string) => string,
  onMatch: (match: string) => string,
): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out += onGap(text.slice(last, match.index)) + onMatch(match[0]);
    last = match.index + match[0].length;
  }
  return out + onGap(text.slice(last));
}

/** Unknown shortcodes stay as typed; the closing colon may open the next one (`:a::smile:`). */
function replaceShortcodes(text: string): string {
  const pattern = /:([a-z0-9_+'-]+):/g;
  let out = '';
  let last = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const emoji = SHORTCODE_EMOJI.get(match[1] ?? '');
    if (emoji === undefined) {
      pattern.lastIndex = match.index + match[0].length - 1;
      continue;
    }
    out += text.slice(last, match.index) + emoji;
    last = pattern.lastIndex;
  }
  return out + text.slice(last);
}

/** The commonly used Slack shortcodes; WhatsApp shows Unicode only and `:smile:` would arrive literally (slack.md §6.2). */
const SHORTCODE_EMOJI: ReadonlyMap<string, string> = new Map(
  Object.entries({
    grinning: '😀',
    smiley: '😃',
    smile: '😄',
    grin: '😁',
    laughing: '😆',
    satisfied: '😆',
    sweat_smile: '😅',
    joy: '😂',
    rolling_on_the_floor_laughing: '🤣',
    slightly_smiling_face: '🙂',
    simple_smile: '🙂',
    upside_down_face: '🙃',
    wink: '😉',
    blush: '😊',
    innocent: '😇',
    heart_eyes: '😍',
    kissing_heart: '😘',
    yum: '😋',
    stuck_out_tongue: '😛',
    sunglasses: '😎',
    'star-struck': '🤩',
    partying_face: '🥳',
    hugging_face: '🤗',
    thinking_face: '🤔',
    neutral_face: '😐',
    expressionless: '😑',
    unamused: '😒',
    face_with_rolling_eyes: '🙄',
    grimacing: '😬',
    relieved: '😌',
    pensive: '😔',
    confused: '😕',
    slightly_frowning_face: '🙁',
    disappointed: '😞',
    worried: '😟',
    cry: '😢',
    sob: '😭',
    open_mouth: '😮',
    astonished: '😲',
    flushed: '😳',
    scream: '😱',
    angry: '😠',
    rage: '😡',
    see_no_evil: '🙈',
    skull: '💀',
    ghost: '👻',
    robot_face: '🤖',
    '+1': '👍',
    thumbsup: '👍',
    '-1': '👎',
    thumbsdown: '👎',
    ok_hand: '👌',
    wave: '👋',
    clap: '👏',
    raised_hands: '🙌',
    pray: '🙏',
    muscle: '💪',
    handshake: '🤝',
    crossed_fingers: '🤞',
    raised_hand: '✋',
    v: '\u270c\ufe0f',
    point_up: '\u261d\ufe0f',
    point_right: '👉',
    point_left: '👈',
    point_down: '👇',
    eyes: '👀',
    heart: '\u2764\ufe0f',
    broken_heart: '💔',
    yellow_heart: '💛',
    green_heart: '💚',
    blue_heart: '💙',
    purple_heart: '💜',
    sparkling_heart: '💖',
    fire: '🔥',
    tada: '🎉',
    sparkles: '✨',
    star: '⭐',
    boom: '💥',
    zap: '⚡',
    '100': '💯',
    white_check_mark: '✅',
    heavy_check_mark: '\u2714\ufe0f',
    x: '❌',
    warning: '\u26a0\ufe0f',
    question: '❓',
    exclamation: '❗',
    rocket: '🚀',
    bulb: '💡',
    memo: '📝',
    calendar: '📅',
    email: '📧',
    telephone_receiver: '📞',
    package: '📦',
    gift: '🎁',
    moneybag: '💰',
    hourglass_flowing_sand: '⏳',
    coffee: '☕',
    beers: '🍻',
    birthday: '🎂',
    pizza: '🍕',
    sunny: '\u2600\ufe0f',
    rainbow: '🌈',
    'skin-tone-2': '\u{1f3fb}',
    'skin-tone-3': '\u{1f3fc}',
    'skin-tone-4': '\u{1f3fd}',
    'skin-tone-5': '\u{1f3fe}',
    'skin-tone-6': '\u{1f3ff}',
  }),
);
