/**
 * The Graph emulator's options and the records it keeps, shared by its route and webhook modules.
 */
import type { Clock } from '../clock';
import type { StatusName, BusinessNumberRef, GraphErrorObject } from './whatsapp-webhooks';

export interface GraphEmulatorOptions {
  accessToken?: string;
  appSecret?: string;
  webhookUrl?: string;
  /** When set, calls to any other version fail as an unknown path. */
  apiVersion?: string;
  port?: number;
  /** Statuses posted after each accepted send, in order (reactions only ever get `sent`, reference/whatsapp.md §2.5). */
  autoStatuses?: ('sent' | 'delivered' | 'read')[];
  /** Wait before each automatic status webhook; default 5 ms. */
  statusDelayMs?: number;
  /** Enables send limits: throughput per number (default 80/s) and, if given, the per-recipient pair limit. */
  limits?: { perNumberPerSecond?: number; perRecipient?: { per6s: number; burst: number } };
  businessNumbers?: BusinessNumberRef[];
  /**
   * How a send outside the 24-hour window fails: `sync` = HTTP 400 with 131047; `async` = 200 + wamid, then a
   * `failed` status webhook with 131047. Meta does both (reference/whatsapp.md §4.2).
   */
  windowFailureMode?: 'sync' | 'async';
  /** Approved template names; when set, other names fail with 132001. */
  templates?: string[];
  /**
   * The WABA's template catalogue (graph-templates.ts): listed by GET /<WABA_ID>/message_templates and checked on
   * every template send. Default: defaultTemplateCatalogue().
   */
  templateCatalogue?: import('./graph-templates').EmulatedTemplate[];
  clock?: Clock;
  /** The Meta app the access token belongs to (debug_token's app_id, subscribed_apps' id, GET /<APP_ID>/subscriptions). */
  appId?: string;
  /** debug_token answers code 10 (not permitted for this token). */
  debugTokenRefused?: boolean;
  /** debug_token's expires_at in Unix seconds; default 0 (never, a System User token). */
  tokenExpiresAt?: number;
  /** Called whenever a call was answered or a webhook posted (the sandbox playground's live updates). */
  onActivity?: () => void;
}

export interface GraphCall {
  at: Date;
  method: string;
  path: string;
  route: string;
  authorization?: string | undefined;
  userAgent?: string | undefined;
  contentType?: string | undefined;
  /** The request body, when it was JSON. */
  json?: unknown;
  /** 0 when the connection was dropped or the client gave up before the answer. */
  status: number;
  response?: unknown;
  fault?: string | undefined;
}

/** An accepted send, as Graph understood it. */
export interface EmulatedSend {
  wamid: string;
  phoneNumberId: string;
  /** `to` exactly as sent. */
  to?: string | undefined;
  waId?: string | undefined;
  /** BSUID recipient, when the send used `recipient` without `to`. */
  recipient?: string | undefined;
  /** The customer's BSUID, known or allocated by the emulator. */
  userId: string;
  type: string;
  /** The object named after `type`. */
  content: Record<string, unknown>;
  /** text.body, for text sends. */
  text?: string | undefined;
  callbackData?: string | undefined;
  contextMessageId?: string | undefined;
  /** True when the window was closed and a `failed` status (131047) follows. */
  windowFailure: boolean;
  body: Record<string, unknown>;
  at: Date;
}

export interface EmulatedRead {
  messageId: string;
  typingIndicator: boolean;
  phoneNumberId: string;
  at: Date;
}

export interface GraphEmulatorStats {
  messagesAccepted: number;
  messagesRejected: number;
  /** 130429 answers. */
  throughputLimited: number;
  /** 131056 answers. */
  pairLimited: number;
  /** 131047, sync or async. */
  windowClosed: number;
  mediaUploaded: number;
  mediaDownloaded: number;
  faultsInjected: number;
  webhooksPosted: number;
  webhookFailures: number;
}

export function emptyStats(): GraphEmulatorStats {
  return {
    messagesAccepted: 0,
    messagesRejected: 0,
    throughputLimited: 0,
    pairLimited: 0,
    windowClosed: 0,
    mediaUploaded: 0,
    mediaDownloaded: 0,
    faultsInjected: 0,
    webhooksPosted: 0,
    webhookFailures: 0,
  };
}

export interface CustomerSendArgs {
  /** Which business number receives it; default the first. */
  phoneNumberId?: string;
  /** The customer's wa_id (phone digits). Leave out for a username user known only by BSUID (reference/whatsapp.md §6). */
  from?: string;
  /** The customer's BSUID; allocated when absent. `null` leaves BSUIDs out, as in pre-2026 payloads. */
  userId?: string | null;
  username?: string;
  /** Profile name; default "WhatsApp User". */
  name?: string;
  /** Text body; default "Hello". Ignored when `message` is given. */
  text?: string;
  /** Any raw message object; `id`, `timestamp`, `from` and `from_user_id` are filled in when missing. */
  message?: Record<string, unknown>;
  /** Quote an earlier message (its wamid). */
  contextId?: string;
}

export interface ManualStatusArgs {
  wamid: string;
  status: StatusName;
  errors?: GraphErrorObject[];
  /** Defaults to the send's own biz_opaque_callback_data. */
  callbackData?: string;
}
