import type { Clock } from '../clock';
import type { SlackGateway } from './gateway';

/**
 * Which channels a person is in, as Slack says (users.conversations), kept for a short while: every queue view and
 * every action asks, and users.conversations is Tier 3 (50+ per minute; Slack's method reference). A join or leave
 * (member_joined_channel / member_left_channel) forgets the person at once, so the next look-up asks Slack again;
 * the TTL only bounds what a missed event (another process heard it) can leave stale.
 */
export interface ChannelMembership {
  /** The channel ids the person is in. Throws the gateway's SlackError when Slack cannot say. */
  channelsOf(userId: string): Promise<ReadonlySet<string>>;
  /** They joined or left a channel: the next look-up asks Slack. */
  forget(userId: string): void;
}

export const MEMBERSHIP_TTL_MS = 60_000;
/** Far more people than a team of 3–20 has: the oldest entry goes when it is full. */
const MAX_ENTRIES = 10_000;

interface Entry {
  expiresAt: number;
  channels: Promise<ReadonlySet<string>>;
}

export function createChannelMembership(args: {
  slack: Pick<SlackGateway, 'listUserChannels'>;
  clock: Clock;
  ttlMs?: number;
}): ChannelMembership {
  const ttlMs = args.ttlMs ?? MEMBERSHIP_TTL_MS;
  const entries = new Map<string, Entry>();
  /** Bumped by forget(): a look-up that started before a join or leave must not store what it saw. */
  const generations = new Map<string, number>();

  return {
    channelsOf(userId) {
      const now = args.clock.now().getTime();
      const cached = entries.get(userId);
      if (cached && cached.expiresAt > now) return cached.channels;
      const generation = generations.get(userId) ?? 0;
      const channels = args.slack.listUserChannels(userId).then((ids) => new Set(ids) as ReadonlySet<string>);
      const entry = { expiresAt: now + ttlMs, channels };
      entries.delete(userId);
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      entries.set(userId, entry);
      const drop = () => {
        if (entries.get(userId) === entry) entries.delete(userId);
      };
      channels.then(
        () => {
          if ((generations.get(userId) ?? 0) !== generation) drop();
        },
        // A failed look-up is never reused.
        drop,
      );
      return channels;
    },
    forget(userId) {
      entries.delete(userId);
      generations.set(userId, (generations.get(userId) ?? 0) + 1);
    },
  };
}
