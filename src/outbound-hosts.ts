/**
 * Where threadline's outbound requests may go, in one place: a URL that came from a payload (a Slack file's
 * url_private, a response_url, a Graph media URL) is trusted only if its host is the platform's own, so a token is
 * never sent to, and a request never made to, a host someone else chose. Every rule also accepts the configured API
 * base's own origin (SLACK_API_URL, WHATSAPP_API_URL): that is where the emulators, or a proxy you set, live.
 */

/** Slack's domains (slack.md §7.2); a maintained SDK's advisory draws the same line (slack-go GHSA-3q3v-34v2-g88f). */
const SLACK_DOMAINS = ['slack.com', 'slack-gov.com'];
/** Where response_url points (slack.md §3). */
const SLACK_HOOK_HOSTS = ['hooks.slack.com', 'hooks.slack-gov.com'];
/** Meta's media CDN hosts (whatsapp.md §3.3: lookaside.fbsbx.com seen; *.fbcdn.net reported). */
const META_MEDIA_DOMAINS = ['fbsbx.com', 'fbcdn.net', 'facebook.com'];

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function sameOrigin(url: URL, base: string): boolean {
  const parsed = parse(base);
  return parsed !== undefined && parsed.origin === url.origin;
}

function httpsUnder(url: URL, domains: readonly string[]): boolean {
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

function httpsIsOneOf(url: URL, hosts: readonly string[]): boolean {
  return url.protocol === 'https:' && !url.username && !url.password && hosts.includes(url.hostname.toLowerCase());
}

/** The bot token may go there: Slack's file hosts (url_private, upload_url), or SLACK_API_URL's origin. */
export function isSlackFileUrl(url: string, slackApiUrl: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && (httpsUnder(parsed, SLACK_DOMAINS) || sameOrigin(parsed, slackApiUrl));
}

/** A response_url threadline answers on: Slack's hooks host, or SLACK_API_URL's origin. */
export function isSlackResponseUrl(url: string, slackApiUrl: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && (httpsIsOneOf(parsed, SLACK_HOOK_HOSTS) || sameOrigin(parsed, slackApiUrl));
}

/** A Web API call: only to SLACK_API_URL's origin. */
export function isSlackApiUrl(url: string, slackApiUrl: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && sameOrigin(parsed, slackApiUrl);
}

/** A Graph call: only to WHATSAPP_API_URL's origin. */
export function isGraphApiUrl(url: string, graphApiUrl: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && sameOrigin(parsed, graphApiUrl);
}

/** The WhatsApp token may go there to download media: Meta's media hosts, or WHATSAPP_API_URL's origin. */
export function isWhatsAppMediaUrl(url: string, graphApiUrl: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && (httpsUnder(parsed, META_MEDIA_DOMAINS) || sameOrigin(parsed, graphApiUrl));
}

/**
 * A fetch for @slack/bolt (clientOptions.fetch covers Web API calls and respond()): anything but SLACK_API_URL's
 * origin and Slack's response_url hosts is refused before a byte leaves.
 */
export function guardSlackFetch(slackApiUrl: string, inner: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!isSlackApiUrl(url, slackApiUrl) && !isSlackResponseUrl(url, slackApiUrl)) {
      return Promise.reject(new Error(`refused to call ${parse(url)?.host ?? 'an unparsable URL'}: not Slack's API or hooks host`));
    }
    // A failure from another realm (Jest's vm context) would lose its cause inside WebClient (see
    // web-api-gateway.ts fetchKeepingCause): re-thrown as this realm's Error, tests see what production sees.
    return inner(input, init).catch((error: unknown) => {
      if (error instanceof Error) throw error;
      throw new Error(String(error), { cause: error });
    });
  };
}
