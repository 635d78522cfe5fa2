// @ts-check
import { escapeHtml } from './dom.js';

/**
 * Slack mrkdwn to HTML for the page: bold, italic, strike, code, quotes, links, mentions, dates and emoji
 * shortcodes, the way a Slack client shows them (slack.md §5). Everything is HTML-escaped first; only the markup
 * made here is HTML.
 */

/** The shortcodes threadline and its users are likely to use; others stay as `:name:`. */
const EMOJI = /** @type {Record<string, string>} */ ({
  heavy_check_mark: '✔️', white_check_mark: '✅', ballot_box_with_check: '☑️', eyes: '👀', ear: '👂', x: '❌',
  memo: '📝', pencil: '📝', warning: '⚠️', hourglass: '⌛', hourglass_flowing_sand: '⏳', alarm_clock: '⏰',
  speech_balloon: '💬', wave: '👋', thumbsup: '👍', '+1': '👍', thumbsdown: '👎', heart: '❤️', joy: '😂', pray: '🙏',
  tada: '🎉', rocket: '🚀', fire: '🔥', phone: '📞', iphone: '📱', email: '📧', inbox_tray: '📥', outbox_tray: '📤',
  arrow_right: '➡️', arrows_counterclockwise: '🔄', link: '🔗', paperclip: '📎', camera: '📷', frame_with_picture: '🖼️',
  round_pushpin: '📍', lock: '🔒', bust_in_silhouette: '👤', busts_in_silhouette: '👥', bar_chart: '📊',
  chart_with_upwards_trend: '📈', calendar: '📅', clock9: '🕘', sunrise: '🌅', no_entry: '⛔', question: '❓',
  exclamation: '❗', information_source: 'ℹ️', raising_hand: '🙋', handshake: '🤝', package: '📦', smile: '😄',
  slightly_smiling_face: '🙂', ok_hand: '👌', clap: '👏', flag_de: '🇩🇪', 'flag-de': '🇩🇪', 'flag-br': '🇧🇷',
});

/** @param {string} name */
export function emoji(name) {
  return EMOJI[name] ?? `:${name}:`;
}

/**
 * @typedef {{ userName: (id: string) => string, channelName: (id: string) => string }} Directory
 */

/**
 * `<!date^1700000000^{date_short_pretty} at {time}|fallback>` (slack.md §5), shown in the browser's zone.
 * @param {string} body
 */
function formatDateToken(body) {
  const [, seconds, format] = body.split('|')[0]?.split('^') ?? [];
  const date = new Date(Number(seconds) * 1000);
  if (!seconds || Number.isNaN(date.getTime())) return escapeHtml(body.split('|')[1] ?? body);
  const day = date.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return escapeHtml(
    (format ?? '{date_short_pretty} {time}')
      .replace(/\{date_(?:short|long)?(?:_pretty)?\}|\{date_num\}|\{date\}/g, day)
      .replace(/\{time(?:_secs)?\}/g, time)
      .replace(/\{ago\}/g, day),
  );
}

/**
 * One `<…>` token: a mention, channel, special mention, date or link.
 * @param {string} body
 * @param {Directory} dir
 */
function renderToken(body, dir) {
  const [target = '', label] = splitOnce(body, '|');
  if (target.startsWith('@')) return `<span class="mention">@${escapeHtml(label ?? dir.userName(target.slice(1)))}</span>`;
  if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(label ?? dir.channelName(target.slice(1)))}</span>`;
  if (target.startsWith('!subteam^')) return `<span class="mention">@${escapeHtml(label ?? 'group')}</span>`;
  if (target.startsWith('!date^')) return formatDateToken(body);
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  const href = decodeEntities(target);
  const text = label ? decodeEntities(label) : href;
  // Only web, mail and phone links are links: a javascript: URL from a message must never run in the page.
  if (!/^(https?:|mailto:|tel:)/i.test(href)) return formatInline(escapeHtml(text));
  const permalink = /\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})/.exec(href);
  const data = permalink ? ` data-channel="${permalink[1]}" data-ts="${permalink[2]}.${permalink[3]}"` : '';
  // Slack formats a link's label too (`<url|*name*>` shows a bold link).
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener"${data}>${formatInline(escapeHtml(text))}</a>`;
}

/** @param {string} s @param {string} sep @returns {[string, string | undefined]} */
function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/** Slack escapes only these three in message text (slack.md §5). @param {string} s */
function decodeEntities(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Inline formatting of an already escaped text run.
 * @param {string} html
 */
function formatInline(html) {
  return html
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(>])\*([^*\n]+)\*(?=$|[\s).,!?:;<])/g, '$1<strong>$2</strong>')
    .replace(/(^|[\s(>])_([^_\n]+)_(?=$|[\s).,!?:;<])/g, '$1<em>$2</em>')
    .replace(/(^|[\s(>])~([^~\n]+)~(?=$|[\s).,!?:;<])/g, '$1<del>$2</del>')
    .replace(/:([a-z0-9_+-]+):/g, (whole, name) => (EMOJI[name] ? EMOJI[name] : whole));
}

/**
 * @param {string} text Slack mrkdwn
 * @param {Directory} dir
 * @returns {string} HTML
 */
export function mrkdwnToHtml(text, dir) {
  /** @type {string[]} */
  const tokens = [];
  const stash = (/** @type {string} */ html) => `\u0000${tokens.push(html) - 1}\u0000`;
  let work = text
    .replace(/```([\s\S]*?)```/g, (_, code) => stash(`<pre>${escapeHtml(decodeEntities(code))}</pre>`))
    .replace(/<([^<>\n]+)>/g, (_, body) => stash(renderToken(body, dir)));
  work = escapeHtml(decodeEntities(work));
  const lines = work.split('\n').map((line) => {
    const quote = /^(?:&gt;|>)\s?(.*)$/.exec(line);
    return quote ? `<blockquote>${formatInline(quote[1] ?? '')}</blockquote>` : formatInline(line);
  });
  return lines
    .join('<br>')
    .replace(/<\/blockquote><br><blockquote>/g, '<br>')
    .replace(/<\/blockquote><br>/g, '</blockquote>')
    .replace(/\u0000(\d+)\u0000/g, (_, i) => tokens[Number(i)] ?? '');
}

/**
 * Plain text objects: escaped, emoji shortcodes resolved when `emoji` is on (slack.md §5).
 * @param {string} text
 */
export function plainToHtml(text) {
  return escapeHtml(text).replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole).replace(/\n/g, '<br>');
}
