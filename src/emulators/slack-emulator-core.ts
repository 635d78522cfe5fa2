import type { SlackFileStore } from './slack-file-store';
import type { SlackRateLimiter } from './slack-rate-limits';
import type { SocketModeHub } from './slack-socket-hub';
import type { ResponseUrlRegistry } from './slack-response-urls';
import type { SlackSenderIdentity } from './slack-signing';
import type { EphemeralMessage, RecordedCall, SlackParams, StoredMessage } from './slack-types';
import type { SlackViewStore } from './slack-view-store';
import type { SlackWorkspace } from './slack-workspace';

/** The emulator's shared state and settings, handed to the API handlers and the people simulators. */

export interface AppDelivery {
  kind: 'event' | 'interaction' | 'command';
  body: string;
  contentType: string;
  headers: Record<string, string>;
  eventId?: string;
  status: number;
  responseText: string;
  at: Date;
  /** 'socket': sent as a Socket Mode envelope (body and contentType still show the HTTP request it stands for). */
  transport?: 'http' | 'socket';
  envelopeId?: string;
}

export interface EmulatorCore {
  readonly token: string;
  readonly signingSecret: string;
  /** The app-level token (xapp-…) apps.connections.open takes (slack.md §9.5). */
  readonly appToken: string;
  /**
   * The bot token's granted scopes, sent back as `x-oauth-scopes` on every Web API answer to it as Slack does
   * (slack.md §1.4); the manifest's by default, fewer to play an app installed before a scope was added.
   */
  grantedScopes: readonly string[];
  /** Socket Mode connections of the app; when one is open, people's actions go over it instead of HTTP. */
  readonly socket: SocketModeHub;
  appUrl: string | undefined;
  readonly deliverBotMessageEvents: boolean;
  readonly sender: SlackSenderIdentity;
  readonly workspace: SlackWorkspace;
  readonly files: SlackFileStore;
  readonly views: SlackViewStore;
  readonly rateLimiter: SlackRateLimiter;
  readonly responseUrls: ResponseUrlRegistry;
  readonly ephemerals: EphemeralMessage[];
  readonly calls: RecordedCall[];
  readonly deliveries: AppDelivery[];
  /** Event bodies by event_id, for redelivery. */
  readonly eventBodies: Map<string, string>;
  /** `http://127.0.0.1:PORT` */
  baseUrl(): string;
  /** Called after the bot posted a message (chat.postMessage, file share). */
  onBotMessage(message: StoredMessage): void;
  /** Something may have changed (a call answered, a request to the app answered): the playground's live updates. */
  notify(): void;
}

export type ApiResult = { ok: boolean } & Record<string, unknown>;
export type ApiHandler = (core: EmulatorCore, params: SlackParams) => ApiResult;

export function fail(error: string, problem?: string): ApiResult {
  return problem === undefined
    ? { ok: false, error }
    : { ok: false, error, response_metadata: { messages: [`[ERROR] ${problem}`] } };
}

/** Slack's cursors are base64 of `next_ts:<ts>` (or similar); we keep the ts to resume from. */
export function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith('next_ts:') ? decoded.slice('next_ts:'.length) : undefined;
}
