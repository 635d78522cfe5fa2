import type { Deps } from '../deps';
import type { SlackGateway } from '../slack/gateway';

/**
 * Links to conversation threads for /queue and App Home without one chat.getPermalink per row. Slack documents a
 * top-level message's permalink as `https://<workspace>.slack.com/archives/<channel>/p<ts without the dot>`
 * (chat.getPermalink, "Standard success response"). The workspace part (its domain, or an Enterprise Grid host) is
 * learned once per gateway from a real chat.getPermalink answer and the rest are built from it. If Slack ever answers
 * in another shape, each row asks Slack itself (Special tier, "hundreds of requests per minute"; slack.md §1.2), at
 * most MAX_LOOKUPS rows.
 */

const MAX_LOOKUPS = 20;
const PERMALINK = /^(https:\/\/[^/?#]+\/archives\/)([A-Z0-9]+)\/p(\d+)$/;

const bases = new WeakMap<SlackGateway, string>();

export interface ThreadRef {
  channelId: string;
  threadTs: string | null;
}

export function threadKey(ref: { channelId: string; threadTs: string }): string {
  return `${ref.channelId}/${ref.threadTs}`;
}

export function buildThreadLink(base: string, ref: { channelId: string; threadTs: string }): string {
  return `${base}${ref.channelId}/p${ref.threadTs.replace('.', '')}`;
}

/** The base (`https://…/archives/`) when `permalink` is exactly what the format predicts for `ref`. */
export function learnArchiveBase(permalink: string, ref: { channelId: string; threadTs: string }): string | undefined {
  const m = PERMALINK.exec(permalink);
  if (!m || m[2] !== ref.channelId || m[3] !== ref.threadTs.replace('.', '')) return undefined;
  return m[1];
}

/** Links keyed by threadKey; rows whose card is not posted yet (no threadTs) or that Slack refuses get none. */
export async function linkThreads(deps: Pick<Deps, 'slack' | 'logger'>, refs: readonly ThreadRef[]): Promise<Map<string, string>> {
  const posted = refs.filter((r): r is { channelId: string; threadTs: string } => Boolean(r.threadTs));
  const links = new Map<string, string>();
  if (posted.length === 0) return links;
  let base = bases.get(deps.slack);
  let lookups = posted;
  if (!base) {
    const first = posted[0]!;
    const permalink = await askSlack(deps, first);
    if (permalink) {
      links.set(threadKey(first), permalink);
      base = learnArchiveBase(permalink, first);
      if (base) bases.set(deps.slack, base);
    }
    lookups = posted.slice(1);
  }
  if (base) {
    for (const ref of lookups) links.set(threadKey(ref), buildThreadLink(base, ref));
    return links;
  }
  const answers = await Promise.all(lookups.slice(0, MAX_LOOKUPS).map((ref) => askSlack(deps, ref)));
  answers.forEach((permalink, i) => {
    if (permalink) links.set(threadKey(lookups[i]!), permalink);
  });
  return links;
}

async function askSlack(deps: Pick<Deps, 'slack' | 'logger'>, ref: { channelId: string; threadTs: string }): Promise<string | undefined> {
  try {
    return await deps.slack.getPermalink({ channel: ref.channelId, ts: ref.threadTs });
  } catch (err) {
    deps.logger.warn({ err, channel: ref.channelId, threadTs: ref.threadTs }, 'no permalink for a conversation thread');
    return undefined;
  }
}
