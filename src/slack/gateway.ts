import type { KnownBlock, View } from '@slack/types';

/**
 * The narrow surface of Slack the app uses. The implementation (web-api-gateway.ts) wraps @slack/web-api with
 * blind retries off; every failure is thrown as one of the SlackError classes below so the delivery engine can
 * decide: wait (rate limited), retry (transient), check before retrying (uncertain), or give up (permanent).
 */

/** Message metadata our posts carry so an uncertain post can be found again by reading the thread back. */
export interface PostMetadata {
  /** Our slack_outbox row id. */
  opId: number;
  conversationId: number;
}

export interface PostMessageArgs {
  channel: string;
  threadTs?: string;
  text: string;
  blocks?: KnownBlock[];
  /** chat:write.customize: post under the customer's name (slack.md §6.1). */
  username?: string;
  iconEmoji?: string;
  iconUrl?: string;
  metadata?: PostMetadata;
}

export interface UpdateMessageArgs {
  channel: string;
  ts: string;
  text: string;
  blocks?: KnownBlock[];
}

export interface EphemeralArgs {
  channel: string;
  user: string;
  threadTs?: string;
  text: string;
  blocks?: KnownBlock[];
}

export interface UploadFileArgs {
  channel: string;
  threadTs: string;
  filename: string;
  data: Buffer;
  title?: string;
  altText?: string;
  /** Shown above the file; when set Slack ignores blocks (slack.md §7.1). */
  initialComment?: string;
  username?: string;
}

export interface SlackFileRef {
  id: string;
  name: string;
  mimetype: string;
  size: number;
  urlPrivateDownload: string;
}

export interface SlackUser {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
  isBot: boolean;
  tz?: string;
}

/** An answer on a response_url (response-url.ts). */
export interface RespondArgs {
  responseUrl: string;
  text: string;
  blocks?: KnownBlock[] | undefined;
}

export interface SlackGateway {
  postMessage(args: PostMessageArgs): Promise<{ ts: string }>;
  updateMessage(args: UpdateMessageArgs): Promise<void>;
  postEphemeral(args: EphemeralArgs): Promise<void>;
  /** Add-only: `already_reacted` counts as success (reactions.remove is Tier 2, ~20/min; slack.md §1.2). */
  addReaction(args: { channel: string; ts: string; name: string }): Promise<void>;
  /** files.getUploadURLExternal → upload → files.completeUploadExternal (files.upload is retired; slack.md §7.1). */
  uploadFile(args: UploadFileArgs): Promise<{ fileId: string }>;
  /** Whether a file we uploaded is already shared into the channel (after an uncertain upload). */
  isFileShared(args: { fileId: string; channel: string }): Promise<boolean>;
  /** Read a thread back and find our post carrying this op id (exactly-once after an uncertain post). */
  findPostedReply(args: { channel: string; threadTs: string; opId: number }): Promise<string | undefined>;
  /** Same for a top-level message (the header card), looking through the channel's recent history. */
  findPostedMessage(args: { channel: string; opId: number; oldest?: string }): Promise<string | undefined>;
  /** url_private_download with the bot token; rejects Slack's HTML sign-in page (slack.md §7.2). */
  downloadFile(url: string): Promise<Buffer>;
  getUser(userId: string): Promise<SlackUser>;
  getPermalink(args: { channel: string; ts: string }): Promise<string>;
  /** Whether the bot is in the channel (conversations.info): it only hears replies where it is a member. */
  isMember(channel: string): Promise<boolean>;
  /**
   * The public and private channels a person is in (users.conversations, every page). Private channels are listed
   * only where the bot is a member too, which is everywhere a conversation can live.
   */
  listUserChannels(userId: string): Promise<string[]>;
  openView(args: { triggerId: string; view: View }): Promise<{ viewId: string }>;
  updateView(args: { viewId: string; view: View }): Promise<void>;
  publishHome(args: { userId: string; view: View }): Promise<void>;
  /** Open (or reuse) a DM with a user and return its channel id. */
  openDm(userId: string): Promise<string>;
  /** An ephemeral answer on a slash command's response_url: seen where the command was run (response-url.ts). */
  respond(args: RespondArgs): Promise<void>;
}

/** Base class: `method` is the Web API method that failed. */
export abstract class SlackError extends Error {
  abstract readonly kind: 'rate_limited' | 'transient' | 'uncertain' | 'permanent';
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(`${method}: ${message}`);
    this.name = new.target.name;
  }
}

/** HTTP 429: wait Retry-After before calling this method for this channel again (slack.md §1.3). */
export class SlackRateLimitedError extends SlackError {
  readonly kind = 'rate_limited';
  constructor(
    method: string,
    readonly retryAfterMs: number,
  ) {
    super(method, `rate limited, retry after ${retryAfterMs} ms`);
  }
}

/** The request certainly did not take effect (connection refused, 5xx before processing): safe to retry. */
export class SlackTransientError extends SlackError {
  readonly kind = 'transient';
}

/** The request may or may not have taken effect (timeout, connection reset after sending). */
export class SlackUncertainError extends SlackError {
  readonly kind = 'uncertain';
}

/** Slack answered ok:false (channel_not_found, not_in_channel, invalid_blocks, …): retrying will not help. */
export class SlackPermanentError extends SlackError {
  readonly kind = 'permanent';
  constructor(
    method: string,
    readonly code: string,
  ) {
    super(method, code);
  }
}
