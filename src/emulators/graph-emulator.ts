/**
 * A WhatsApp Cloud API (Graph) emulator: a real HTTP server on loopback that speaks Graph's wire format for
 * sends and media, signs and posts webhooks to the app like Meta (statuses after each send, customer messages
 * on demand), enforces the 24-hour window and send limits, records every call and injects faults (DESIGN §6).
 * Usable from jest, the benchmark and plain scripts alike.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../clock';
import { CustomerDirectory } from './graph-customers';
import { buildGraphErrorBody, type GraphErrorSpec, graphErrors } from './graph-errors';
import { buildFaultResult, DEFAULT_TIMEOUT_FAULT_MS, FaultRegistry, type FaultSpec } from './graph-faults';
import { BodyTooLargeError, bearerToken, type GraphRoute, matchGraphRoute, readBody, type RouteResult, writeResult } from './graph-http';
import { handleMediaDelete, handleMediaDownload, handleMediaGet, handleMediaUpload, type MediaRouteContext } from './graph-media-routes';
import { MediaStore, type StoredMedia } from './graph-media-store';
import { createSendLimiters, handleSend, type SendRouteContext } from './graph-message-route';
import { AppSubscriptions, type AppWebhookSettings } from './graph-app-subscriptions';
import { handleDebugToken, handlePhoneNumberGet, handleSubscribedApps, wabaOf } from './graph-setup-routes';
import {
  type CustomerSendArgs,
  type EmulatedRead,
  type EmulatedSend,
  type GraphCall,
  type GraphEmulatorOptions,
  type GraphEmulatorStats,
  type ManualStatusArgs,
  emptyStats,
} from './graph-emulator-types';
import { buildCustomerMessageWebhook, buildSendStatusWebhook } from './graph-emulator-webhooks';
import { WebhookSender, type WebhookDelivery } from './graph-webhook-sender';
import { buildTemplateStatusWebhook, defaultTemplateCatalogue, type EmulatedTemplate, handleTemplateList } from './graph-templates';
import { type BusinessNumberRef, DEFAULT_BUSINESS_NUMBER, type PostedWebhook } from './whatsapp-webhooks';

export type * from './graph-emulator-types';
export type { FaultSpec } from './graph-faults';
export type { WebhookDelivery } from './graph-webhook-sender';
export type { EmulatedTemplate } from './graph-templates';

/** Documents may be 100 MB (reference/whatsapp.md §3.3); a little headroom for the multipart framing. */
const MAX_REQUEST_BYTES = 110 * 1024 * 1024;
const DEFAULT_APP_ID = '300000000000003';

export interface GraphEmulator {
  /** Base URL such as http://127.0.0.1:PORT; clients append /<version>/… */
  readonly url: string;
  readonly accessToken: string;
  readonly appSecret: string;
  /** The app's POST /webhooks/whatsapp URL; settable after start, since the app usually starts second. */
  webhookUrl: string | undefined;
  readonly businessNumbers: readonly BusinessNumberRef[];
  readonly calls: GraphCall[];
  readonly sent: EmulatedSend[];
  readonly reads: EmulatedRead[];
  readonly webhookDeliveries: WebhookDelivery[];
  readonly stats: GraphEmulatorStats;
  /** Free-form sends to this customer (wa_id or BSUID) now fail with 131047 until the customer writes again. */
  closeWindow(waIdOrUserId: string): void;
  /** Whether the app is subscribed to this WABA's webhooks (GET /<WABA_ID>/subscribed_apps); all are at start. */
  setWebhookSubscription(wabaId: string, subscribed: boolean): void;
  /** The app's webhook settings (GET /<APP_ID>/subscriptions): `messages` subscribed at webhookUrl, active, until changed. */
  setAppWebhook(change: Partial<AppWebhookSettings>): void;
  openWindow(waIdOrUserId: string): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  pendingFaults(): Array<{ spec: FaultSpec; remaining: number }>;
  /**
   * Stores media as if a customer had sent it; returns the media id for a webhook. `reportedFileSize` is what media
   * info answers as `file_size`, to play a file over the 100 MB inbound limit (reference/whatsapp.md §2.4, §3.3)
   * without holding one.
   */
  addMedia(args: { data: Buffer; mimeType: string; filename?: string; reportedFileSize?: number }): string;
  findMedia(mediaId: string): StoredMedia | undefined;
  customerSends(args: CustomerSendArgs): Promise<{ wamid: string; status: number; body: string }>;
  sendStatus(args: ManualStatusArgs): Promise<PostedWebhook>;
  /** The WABA's template catalogue; edit it freely (a status change Meta would announce: setTemplateStatus). */
  templates: EmulatedTemplate[];
  /**
   * Changes a template's status (PAUSED, DISABLED, APPROVED, …) and posts the message_template_status_update webhook
   * Meta sends for it.
   */
  setTemplateStatus(args: { name: string; language: string; status: string; reason?: string }): Promise<PostedWebhook | undefined>;
  /** Marketing templates to this customer fail with 131050 (they stopped marketing messages). */
  optOutOfMarketing(waIdOrUserId: string): void;
  /** Marketing templates to this customer fail with 131049 (Meta's per-user marketing limit). */
  limitMarketing(waIdOrUserId: string): void;
  /** Resolves when every scheduled status webhook has been posted. */
  flushWebhooks(): Promise<void>;
  /** Resolves when every request in flight (held ones included) has finished and webhooks are flushed. */
  settle(): Promise<void>;
  /** Forgets calls, sends, media, windows, limits, faults, stats and setAppWebhook changes; keeps the options and webhookUrl. */
  reset(): void;
  close(): Promise<void>;
}

export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const emulator = new GraphEmulatorServer(options);
  await emulator.listen(options.port ?? 0);
  return emulator;
}

class GraphEmulatorServer implements GraphEmulator {
  readonly accessToken: string;
  readonly appSecret: string;
  webhookUrl: string | undefined;
  readonly businessNumbers: readonly BusinessNumberRef[];
  readonly calls: GraphCall[] = [];
  readonly sent: EmulatedSend[] = [];
  readonly reads: EmulatedRead[] = [];
  readonly stats: GraphEmulatorStats = emptyStats();
  templates: EmulatedTemplate[];

  private readonly optedOut = new Set<string>();
  private readonly marketingLimited = new Set<string>();
  private readonly server: Server;
  private readonly clock: Clock;
  private readonly faults = new FaultRegistry();
  private readonly media = new MediaStore();
  private readonly customers = new CustomerDirectory();
  private readonly sender: WebhookSender;
  private readonly sendContext: SendRouteContext;
  private readonly held = new Map<NodeJS.Timeout, () => void>();
  private readonly inFlight = new Set<Promise<void>>();
  private baseUrl = '';
  private readonly subscribedWabas: Set<string>;
  private readonly appSubscriptions = new AppSubscriptions();

  constructor(private readonly options: GraphEmulatorOptions) {
    this.accessToken = options.accessToken ?? 'test-whatsapp-token';
    this.appSecret = options.appSecret ?? 'test-app-secret';
    this.webhookUrl = options.webhookUrl;
    this.businessNumbers = options.businessNumbers?.length ? options.businessNumbers : [DEFAULT_BUSINESS_NUMBER];
    this.clock = options.clock ?? systemClock;
    this.subscribedWabas = new Set(this.businessNumbers.map(wabaOf));
    this.templates = options.templateCatalogue ?? defaultTemplateCatalogue();
    this.sender = new WebhookSender(
      () => ({ url: this.webhookUrl, appSecret: this.appSecret }),
      () => this.clock.now(),
      (delivery) => {
        if (delivery.status !== undefined && delivery.status >= 200 && delivery.status < 300) this.stats.webhooksPosted += 1;
        else this.stats.webhookFailures += 1;
        options.onActivity?.();
      },
    );
    this.sendContext = {
      options,
      clock: this.clock,
      stats: this.stats,
      sent: this.sent,
      reads: this.reads,
      customers: this.customers,
      media: this.media,
      sender: this.sender,
      limiters: createSendLimiters(options),
      findNumber: (id) => this.findNumber(id),
      templates: this.templates,
      marketing: { optedOut: (r) => this.optedOut.has(r), limited: (r) => this.marketingLimited.has(r) },
    };
    this.server = createServer((req, res) => {
      const handled = this.handle(req, res).catch((err: unknown) => {
        writeResult(res, { status: 500, json: buildGraphErrorBody({ code: 1, httpStatus: 500, title: String(err) }) });
      });
      this.inFlight.add(handled);
      void handled.finally(() => {
        this.inFlight.delete(handled);
        options.onActivity?.();
      });
    });
  }

  get url(): string {
    return this.baseUrl;
  }

  get webhookDeliveries(): WebhookDelivery[] {
    return this.sender.deliveries;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  closeWindow(waIdOrUserId: string): void {
    this.customers.setWindow(waIdOrUserId, false);
  }

  setWebhookSubscription(wabaId: string, subscribed: boolean): void {
    if (subscribed) this.subscribedWabas.add(wabaId);
    else this.subscribedWabas.delete(wabaId);
  }

  setAppWebhook(change: Partial<AppWebhookSettings>): void {
    this.appSubscriptions.set(change);
  }

  openWindow(waIdOrUserId: string): void {
    this.customers.setWindow(waIdOrUserId, true);
  }

  injectFault(fault: FaultSpec): void {
    this.faults.inject(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  pendingFaults(): Array<{ spec: FaultSpec; remaining: number }> {
    return this.faults.remaining();
  }

  addMedia(args: { data: Buffer; mimeType: string; filename?: string; reportedFileSize?: number }): string {
    return this.media.add({ ...args, origin: 'inbound' }, this.clock.now().getTime()).id;
  }

  findMedia(mediaId: string): StoredMedia | undefined {
    return this.media.find(mediaId, this.clock.now().getTime());
  }

  async customerSends(args: CustomerSendArgs): Promise<{ wamid: string; status: number; body: string }> {
    const number = this.findNumber(args.phoneNumberId ?? '') ?? this.businessNumbers[0] ?? DEFAULT_BUSINESS_NUMBER;
    const customer = this.customers.resolve({ waId: args.from, userId: args.userId ?? undefined });
    // A customer message opens (or restarts) the 24-hour window (reference/whatsapp.md §5).
    customer.windowOpen = true;
    customer.lastMessageAtMs = this.clock.now().getTime();
    const { wamid, payload } = buildCustomerMessageWebhook(number, customer, args, this.clock.now());
    const posted = await this.sender.post(payload, 'message');
    return { wamid, status: posted.status, body: posted.body };
  }

  async sendStatus(args: ManualStatusArgs): Promise<PostedWebhook> {
    const send = this.sent.find((s) => s.wamid === args.wamid);
    const number = this.findNumber(send?.phoneNumberId ?? '') ?? this.businessNumbers[0] ?? DEFAULT_BUSINESS_NUMBER;
    return this.sender.post(buildSendStatusWebhook(number, send, args, this.clock.now()), 'status');
  }

  async setTemplateStatus(args: { name: string; language: string; status: string; reason?: string }): Promise<PostedWebhook | undefined> {
    const found = this.templates.find((t) => t.name === args.name && t.language === args.language);
    if (!found) throw new Error(`no template ${args.name} (${args.language})`);
    found.status = args.status;
    const wabaId = this.businessNumbers[0]?.wabaId ?? DEFAULT_BUSINESS_NUMBER.wabaId;
    if (!this.sender.hasTarget()) return undefined;
    return this.sender.post(buildTemplateStatusWebhook(wabaId, found, args.status, args.reason ?? 'NONE', this.clock.now()), 'template_status');
  }

  optOutOfMarketing(waIdOrUserId: string): void {
    this.optedOut.add(waIdOrUserId);
  }

  limitMarketing(waIdOrUserId: string): void {
    this.marketingLimited.add(waIdOrUserId);
  }

  flushWebhooks(): Promise<void> {
    return this.sender.flush();
  }

  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.sender.flush();
  }

  reset(): void {
    for (const list of [this.calls, this.sent, this.reads, this.sender.deliveries]) list.length = 0;
    Object.assign(this.stats, emptyStats());
    this.faults.clear();
    this.media.clear();
    this.customers.clear();
    this.optedOut.clear();
    this.marketingLimited.clear();
    this.appSubscriptions.reset();
    this.sendContext.limiters?.throughput?.clear();
    this.sendContext.limiters?.pair?.clear();
  }

  async close(): Promise<void> {
    this.sender.close();
    for (const [timer, release] of this.held) {
      clearTimeout(timer);
      release();
    }
    this.held.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private knowsWaba(wabaId: string): boolean {
    return this.businessNumbers.some((n) => (n.wabaId ?? DEFAULT_BUSINESS_NUMBER.wabaId) === wabaId);
  }

  private findNumber(phoneNumberId: string): BusinessNumberRef | undefined {
    return this.businessNumbers.find((n) => n.phoneNumberId === phoneNumberId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const route = matchGraphRoute(req.method ?? 'GET', url.pathname, (id) => this.findNumber(id) !== undefined);
    const call: GraphCall = {
      at: this.clock.now(),
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      route: route.name,
      authorization: req.headers.authorization,
      userAgent: req.headers['user-agent'],
      contentType: req.headers['content-type'],
      status: 0,
    };
    this.calls.push(call);
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_REQUEST_BYTES);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      call.status = 413;
      writeResult(res, { status: 413, json: buildGraphErrorBody(graphErrors.invalidParameter(err.message)) });
      return;
    }
    if (call.contentType?.includes('json')) call.json = safeJson(raw);

    // A read receipt is a POST /messages too, but recorded and faulted on its own: a fault meant for a send must
    // not be spent on the read receipt that happens to go first.
    const isRead = route.name === 'messages' && (call.json as { status?: unknown } | undefined)?.status === 'read';
    if (isRead) call.route = 'messages_read';
    const faultRoute = isRead ? 'messages_read' : route.name;
    const fault = faultRoute === 'unknown' || faultRoute === 'media_delete' ? undefined : this.faults.take(faultRoute);
    if (fault) {
      this.stats.faultsInjected += 1;
      call.fault = fault.kind;
    }
    if (fault && !fault.afterEffect && !(await this.applyFaultBefore(fault, res, call))) return;

    const result = await this.dispatch(route, req, url, raw);
    call.response = result.json;
    if (fault?.afterEffect) {
      call.status = await this.applyFaultAfter(fault, res, result);
      return;
    }
    call.status = result.status;
    writeResult(res, result);
  }

  /** False when the fault answered (or dropped) the call, so the route must not run; the call records the answer. */
  private async applyFaultBefore(fault: FaultSpec, res: ServerResponse, call: GraphCall): Promise<boolean> {
    if (fault.kind === 'timeout') return this.hold(res, fault.delayMs ?? DEFAULT_TIMEOUT_FAULT_MS);
    if (fault.kind === 'reset') {
      res.socket?.destroy();
      return false;
    }
    const replaced = buildFaultResult(fault);
    if (replaced) {
      call.status = replaced.status;
      call.response = replaced.json;
      writeResult(res, replaced);
    }
    return false;
  }

  private async applyFaultAfter(fault: FaultSpec, res: ServerResponse, result: RouteResult): Promise<number> {
    if (fault.kind === 'timeout') {
      if (!(await this.hold(res, fault.delayMs ?? DEFAULT_TIMEOUT_FAULT_MS))) return 0;
      writeResult(res, result);
      return result.status;
    }
    if (fault.kind === 'reset') {
      res.socket?.destroy();
      return 0;
    }
    const replaced = buildFaultResult(fault) ?? result;
    writeResult(res, replaced);
    return replaced.status;
  }

  /** Holds the response; true if the client is still waiting afterwards. */
  private hold(res: ServerResponse, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.held.delete(timer);
        res.off('close', release);
        resolve(!res.destroyed && !res.writableEnded && !res.socket?.destroyed);
      };
      const timer = setTimeout(release, ms);
      this.held.set(timer, release);
      res.on('close', release);
    });
  }

  private async dispatch(route: GraphRoute, req: IncomingMessage, url: URL, raw: Buffer): Promise<RouteResult> {
    if (route.name === 'unknown') return errorResult(graphErrors.unknownPath(url.pathname));
    if (route.name !== 'media_download' && this.options.apiVersion && route.version !== this.options.apiVersion) {
      return errorResult(graphErrors.unknownPath(url.pathname));
    }
    const appId = this.options.appId ?? DEFAULT_APP_ID;
    if (route.name === 'app_subscriptions') {
      const token = bearerToken(req);
      return this.appSubscriptions.handle({ appId, appSecret: this.appSecret, accessToken: this.accessToken, requestedAppId: route.appId, token, webhookUrl: this.webhookUrl });
    }
    if (bearerToken(req) !== this.accessToken) {
      if (route.name === 'messages') this.stats.messagesRejected += 1;
      return errorResult(graphErrors.invalidToken());
    }
    const mediaContext = this.mediaContext();
    const setup = {
      accessToken: this.accessToken,
      appId,
      businessNumbers: this.businessNumbers,
      subscribedWabas: this.subscribedWabas,
      debugTokenRefused: this.options.debugTokenRefused ?? false,
      tokenExpiresAt: this.options.tokenExpiresAt ?? 0,
      nowMs: this.clock.now().getTime(),
    };
    switch (route.name) {
      case 'debug_token':
        return handleDebugToken(setup, url.searchParams);
      case 'phone_number_get': {
        const number = this.findNumber(route.phoneNumberId);
        return number ? handlePhoneNumberGet(number) : errorResult(graphErrors.unknownObject('get', route.phoneNumberId));
      }
      case 'subscribed_apps':
        return handleSubscribedApps(setup, route.wabaId);
      case 'messages':
        return handleSend(this.sendContext, route.phoneNumberId, raw);
      case 'media_upload':
        if (!this.findNumber(route.phoneNumberId)) return errorResult(graphErrors.unknownObject('post', route.phoneNumberId));
        return handleMediaUpload(mediaContext, route.phoneNumberId, req, raw);
      case 'media_get':
        return handleMediaGet(mediaContext, route.mediaId);
      case 'media_delete':
        return handleMediaDelete(mediaContext, route.mediaId);
      case 'media_download':
        return handleMediaDownload(mediaContext, url.searchParams);
      case 'message_templates':
        if (!this.knowsWaba(route.wabaId)) return errorResult(graphErrors.unknownObject('get', route.wabaId));
        return handleTemplateList(this.templates, this.baseUrl, url.pathname, url.searchParams);
      default:
        return route satisfies never;
    }
  }

  private mediaContext(): MediaRouteContext {
    return {
      media: this.media,
      baseUrl: this.baseUrl,
      nowMs: () => this.clock.now().getTime(),
      onUploaded: () => (this.stats.mediaUploaded += 1),
      onDownloaded: () => (this.stats.mediaDownloaded += 1),
    };
  }
}

function errorResult(spec: GraphErrorSpec): RouteResult {
  return { status: spec.httpStatus, json: buildGraphErrorBody(spec) };
}

function safeJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
