import type { Clock } from '../clock';

/** Shapes shared by the Slack emulator's files. Field names follow Slack's wire format (snake_case) on purpose. */

export interface SeedUser {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
  tz?: string;
  isBot?: boolean;
}

export interface SeedChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** The bot was invited (default true); conversations.info reports it as `is_member`. */
  botIsMember?: boolean;
  /**
   * The people in the channel (conversations.members, users.conversations). Left out, the channel is open to the
   * whole workspace: every person seeded or added later is a member, like a #general.
   */
  members?: readonly string[];
}

export interface BucketSpec {
  perSecond: number;
  burst: number;
}

export interface SlackEmulatorOptions {
  token?: string;
  signingSecret?: string;
  /** The app-level token (xapp-…) accepted by apps.connections.open for Socket Mode. */
  appToken?: string;
  /** The bot token's granted scopes (`x-oauth-scopes`); default: manifest.json's bot scopes. */
  grantedScopes?: readonly string[];
  /** How often the Socket Mode server pings each connection (0: never); default 10 s. */
  socketPingIntervalMs?: number;
  /** Our app's base URL; signed requests go to `${appUrl}/slack/events`. */
  appUrl?: string;
  port?: number;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  apiAppId?: string;
  users?: SeedUser[];
  /** Channel ids (named after the id) or { id, name }. */
  channels?: Array<string | SeedChannel>;
  rateLimits?: {
    /** chat.postMessage (and files.completeUploadExternal) per channel (slack.md §1.1). */
    postMessagePerChannel?: BucketSpec;
    /** Workspace-wide buckets per method, e.g. { 'reactions.add': { perSecond: 50 / 60, burst: 50 } } (slack.md §1.2). */
    perMethod?: Record<string, BucketSpec>;
  };
  /** Sends a message event for the bot's own posts too, as real Slack does (slack.md §2.4). Off by default. */
  deliverBotMessageEvents?: boolean;
  clock?: Clock;
  /** Called whenever the workspace may have changed (the sandbox playground's live updates). */
  onActivity?: () => void;
}

export type SlackParams = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  /** Form fields decoded, JSON fields (blocks, metadata, files, view, …) parsed. */
  params: SlackParams;
  /** The fields exactly as they arrived (form values are strings); for wire-format assertions. */
  raw: Record<string, unknown>;
  contentType: string;
  token: string | undefined;
  at: Date;
  /** HTTP status answered, once answered. */
  status?: number;
  /** The JSON body answered (or undefined for faults that answer nothing). */
  response?: unknown;
  fault?: FaultKind;
}

export type FaultKind = 'http_429' | 'http_500' | 'http_503' | 'ok_false' | 'timeout' | 'reset';

export interface FaultSpec {
  /** Web API method, or the pseudo methods 'files.upload_bytes' (the upload URL) and 'files.download'. */
  method: string;
  kind: FaultKind;
  /** How many calls the fault hits; default 1. */
  times?: number;
  retryAfterSec?: number;
  /** For ok_false; default 'internal_error'. */
  error?: string;
  /** For timeout: how long the response is held; default 30 s. */
  delayMs?: number;
  /** The call takes effect first and only then the response fails (the "uncertain" case). */
  afterEffect?: boolean;
  /** Only calls for this channel (`channel` or `channel_id`): one channel's 429 must not stall the others. */
  channel?: string;
}

export interface MessageReaction {
  name: string;
  users: string[];
  count: number;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  bot_profile?: { id: string; app_id: string; name: string; team_id: string };
  username?: string;
  icons?: { emoji?: string; image_48?: string };
  client_msg_id?: string;
  team?: string;
  blocks?: unknown[];
  metadata?: MessageMetadata;
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  reactions?: MessageReaction[];
  files?: Record<string, unknown>[];
  upload?: boolean;
  edited?: { user: string; ts: string };
}

export interface StoredFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  declaredLength: number;
  bytes?: Buffer;
  user: string;
  created: number;
  altText?: string;
  completed: boolean;
  shares: { public: Record<string, FileShare[]>; private: Record<string, FileShare[]> };
}

export interface FileShare {
  ts: string;
  thread_ts?: string;
  channel_name: string;
  reply_users_count: number;
}

export interface StoredView {
  id: string;
  team_id: string;
  app_id: string;
  bot_id: string;
  user: string;
  type: string;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  state: { values: Record<string, Record<string, unknown>> };
  hash: string;
  root_view_id: string;
  previous_view_id: string | null;
  clear_on_close: boolean;
  notify_on_close: boolean;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  message_ts: string;
  /** 'api' for chat.postEphemeral, 'response_url' for respond(). */
  via: 'api' | 'response_url';
}

export interface RecordedResponseUrlPost {
  url: string;
  body: Record<string, unknown>;
  at: Date;
  /** What the response_url was issued for. */
  source: { kind: 'block_actions' | 'slash_command' | 'message_action'; channel: string; user: string; messageTs?: string };
  status: number;
}

/** What our app answered to a signed request. `json` is the parsed body when it was JSON. */
export interface AppResponse {
  status: number;
  text: string;
  json?: unknown;
}
