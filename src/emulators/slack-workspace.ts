import type { Clock } from '../clock';
import type { SeedChannel, SeedUser, StoredMessage } from './slack-types';

/**
 * The emulated workspace: users, channels and their messages, kept the way Slack keeps them (ts strings that only
 * grow, replies pointing at their parent through thread_ts, reply counts on the parent).
 */

export interface WorkspaceIdentity {
  teamId: string;
  teamDomain: string;
  apiAppId: string;
  botUserId: string;
  botId: string;
  botName: string;
}

export interface EmulatedChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_im: boolean;
  is_member: boolean;
  /** The people in it (the bot is `is_member`); for DMs the other person. */
  members: Set<string>;
  /** Seeded without a member list: everyone in the workspace is in it, people added later too. */
  openToAll: boolean;
  /** For DMs: the other person. */
  user?: string;
  created: number;
  messages: StoredMessage[];
}

export const DEFAULT_USERS: SeedUser[] = [
  { id: 'U0ANA', name: 'ana', realName: 'Ana Souza', displayName: 'Ana', tz: 'America/Sao_Paulo' },
  { id: 'U0BRUNO', name: 'bruno', realName: 'Bruno Lima', displayName: 'Bruno', tz: 'Europe/Lisbon' },
  { id: 'U0CARLA', name: 'carla', realName: 'Carla Mendes', displayName: 'Carla', tz: 'Europe/Madrid' },
];

/** "1732440000.000100": seconds, a dot, six digits. */
export function formatTs(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

export function parseTs(ts: string): number | undefined {
  const m = /^(\d+)\.(\d{6})$/.exec(ts);
  return m ? Number(m[1]) * 1e6 + Number(m[2]) : undefined;
}

/** Numeric comparison of ts strings; anything unparsable sorts first. */
export function compareTs(a: string, b: string): number {
  return (parseTs(a) ?? -1) - (parseTs(b) ?? -1);
}

export class SlackWorkspace {
  readonly users = new Map<string, SeedUser>();
  readonly channels = new Map<string, EmulatedChannel>();
  private lastMicros = 0;
  private dmCounter = 0;

  constructor(
    readonly identity: WorkspaceIdentity,
    readonly clock: Clock,
    private readonly seeds: { users: SeedUser[]; channels: SeedChannel[] },
  ) {
    this.seed();
  }

  /** Forget every message, DM and extra channel; keep the seeded users and channels. */
  reset(): void {
    this.users.clear();
    this.channels.clear();
    this.dmCounter = 0;
    this.seed();
  }

  private seed(): void {
    for (const user of this.seeds.users) this.users.set(user.id, user);
    this.users.set(this.identity.botUserId, { id: this.identity.botUserId, name: this.identity.botName, isBot: true });
    for (const channel of this.seeds.channels) this.addChannel(channel);
  }

  nowSec(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  /** Strictly increasing even when the clock stands still (a ManualClock) or two posts share a microsecond. */
  nextTs(): string {
    this.lastMicros = Math.max(this.clock.now().getTime() * 1000, this.lastMicros + 100);
    return formatTs(this.lastMicros);
  }

  addUser(user: SeedUser): void {
    this.users.set(user.id, user);
    if (user.isBot) return;
    for (const channel of this.channels.values()) if (channel.openToAll) channel.members.add(user.id);
  }

  private humanIds(): string[] {
    return [...this.users.values()].filter((u) => !u.isBot).map((u) => u.id);
  }

  /** Adds the person; false when they already were in it. */
  join(channelId: string, userId: string): boolean {
    const channel = this.channels.get(channelId);
    if (!channel || channel.is_im) throw new Error(`no channel ${channelId} to join`);
    if (!this.users.has(userId)) throw new Error(`unknown user ${userId}`);
    if (channel.members.has(userId)) return false;
    channel.members.add(userId);
    return true;
  }

  /** Removes the person; false when they were not in it. */
  leave(channelId: string, userId: string): boolean {
    const channel = this.channels.get(channelId);
    if (!channel || channel.is_im) throw new Error(`no channel ${channelId} to leave`);
    return channel.members.delete(userId);
  }

  /** Whether the person can see the channel's messages: a member, or the other side of a DM. */
  isMember(channel: EmulatedChannel, userId: string): boolean {
    if (userId === this.identity.botUserId) return channel.is_member;
    return channel.members.has(userId);
  }

  addChannel(seed: SeedChannel): EmulatedChannel {
    const existing = this.channels.get(seed.id);
    if (existing) return existing;
    const channel: EmulatedChannel = {
      id: seed.id,
      name: seed.name,
      is_private: seed.isPrivate ?? seed.id.startsWith('G'),
      is_im: false,
      is_member: seed.botIsMember ?? true,
      members: new Set(seed.members ?? this.humanIds()),
      openToAll: seed.members === undefined,
      created: this.nowSec(),
      messages: [],
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** One DM channel per person, reused (conversations.open). */
  openDm(userId: string): EmulatedChannel {
    for (const channel of this.channels.values()) if (channel.is_im && channel.user === userId) return channel;
    this.dmCounter += 1;
    const channel: EmulatedChannel = {
      id: `D0${String(this.dmCounter).padStart(7, '0')}`,
      name: userId,
      is_private: true,
      is_im: true,
      is_member: true,
      members: new Set([userId]),
      openToAll: false,
      user: userId,
      created: this.nowSec(),
      messages: [],
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** Slack accepts a channel id, a `#name`, or a user id (which means the DM with that user). */
  resolveChannel(ref: string | undefined): EmulatedChannel | undefined {
    if (!ref) return undefined;
    const byId = this.channels.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^#/, '');
    for (const channel of this.channels.values()) if (!channel.is_im && channel.name === name) return channel;
    if (/^[UW]/.test(ref) && this.users.has(ref)) return this.openDm(ref);
    return undefined;
  }

  findMessage(channelId: string, ts: string): StoredMessage | undefined {
    return this.channels.get(channelId)?.messages.find((m) => m.ts === ts);
  }

  /** A ts that can take replies: a top-level message (thread_ts absent or equal to its own ts). */
  findParent(channelId: string, ts: string): StoredMessage | undefined {
    const message = this.findMessage(channelId, ts);
    return message && (message.thread_ts === undefined || message.thread_ts === message.ts) ? message : undefined;
  }

  /** Parent first, then replies in ts order (conversations.replies). */
  listThread(channelId: string, parentTs: string): StoredMessage[] {
    const messages = this.channels.get(channelId)?.messages ?? [];
    return messages.filter((m) => m.ts === parentTs || m.thread_ts === parentTs);
  }

  listTopLevel(channelId: string): StoredMessage[] {
    const messages = this.channels.get(channelId)?.messages ?? [];
    return messages.filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts || m.subtype === 'thread_broadcast');
  }

  /** Stores the message with a fresh ts and keeps the parent's reply bookkeeping the way Slack shows it. */
  appendMessage(channel: EmulatedChannel, fields: Omit<StoredMessage, 'type' | 'channel' | 'ts'>): StoredMessage {
    const message: StoredMessage = { type: 'message', channel: channel.id, ts: this.nextTs(), ...fields };
    channel.messages.push(message);
    if (message.thread_ts !== undefined) {
      const parent = this.findParent(channel.id, message.thread_ts);
      if (parent) {
        message.parent_user_id = parent.user;
        this.refreshThreadStats(channel.id, parent);
      }
    }
    return message;
  }

  removeMessage(channelId: string, ts: string): StoredMessage | undefined {
    const channel = this.channels.get(channelId);
    const index = channel?.messages.findIndex((m) => m.ts === ts) ?? -1;
    if (!channel || index < 0) return undefined;
    const [removed] = channel.messages.splice(index, 1);
    if (removed?.thread_ts !== undefined && removed.thread_ts !== removed.ts) {
      const parent = this.findParent(channelId, removed.thread_ts);
      if (parent) this.refreshThreadStats(channelId, parent);
    }
    return removed;
  }

  private refreshThreadStats(channelId: string, parent: StoredMessage): void {
    const replies = this.listThread(channelId, parent.ts).filter((m) => m.ts !== parent.ts);
    if (replies.length === 0) {
      delete parent.thread_ts;
      delete parent.reply_count;
      delete parent.reply_users;
      delete parent.reply_users_count;
      delete parent.latest_reply;
      return;
    }
    const authors = [...new Set(replies.map((r) => r.user ?? r.bot_id ?? '').filter(Boolean))];
    parent.thread_ts = parent.ts;
    parent.reply_count = replies.length;
    parent.reply_users = authors;
    parent.reply_users_count = authors.length;
    parent.latest_reply = replies[replies.length - 1]?.ts;
  }

  /** The author fields of a message posted with the bot token (slack.md §2.4, §6.1). */
  botAuthor(custom: { username?: string; iconEmoji?: string; iconUrl?: string }): Partial<StoredMessage> {
    const { botId, botUserId, apiAppId, teamId, botName } = this.identity;
    const author: Partial<StoredMessage> = {
      user: botUserId,
      bot_id: botId,
      app_id: apiAppId,
      team: teamId,
      bot_profile: { id: botId, app_id: apiAppId, name: botName, team_id: teamId },
    };
    if (custom.username !== undefined) {
      author.subtype = 'bot_message';
      author.username = custom.username;
    }
    if (custom.iconEmoji !== undefined || custom.iconUrl !== undefined) {
      author.icons = {
        ...(custom.iconEmoji !== undefined ? { emoji: custom.iconEmoji } : {}),
        ...(custom.iconUrl !== undefined ? { image_48: custom.iconUrl } : {}),
      };
    }
    return author;
  }

  isBotMessage(message: StoredMessage): boolean {
    return message.bot_id === this.identity.botId;
  }
}

/** The message as the Web API shows it: no `channel` field, metadata only when asked for (slack.md §2.3). */
export function toApiMessage(message: StoredMessage, opts: { includeMetadata: boolean }): Record<string, unknown> {
  const { channel: _channel, metadata, ...rest } = message;
  const copy = structuredClone(rest) as Record<string, unknown>;
  if (opts.includeMetadata && metadata) copy.metadata = structuredClone(metadata);
  return copy;
}
