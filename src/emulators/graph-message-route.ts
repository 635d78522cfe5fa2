/**
 * POST /<PHONE_NUMBER_ID>/messages in the Graph emulator: validation, send limits, the 24-hour window and the
 * status webhooks that follow an accepted send (reference/whatsapp.md §3.1, §4.2, §5).
 */
import type { Clock } from '../clock';
import { type CustomerDirectory, isWindowOpen } from './graph-customers';
import type { EmulatedRead, EmulatedSend, GraphEmulatorOptions, GraphEmulatorStats } from './graph-emulator-types';
import { buildSendStatusWebhook } from './graph-emulator-webhooks';
import { buildGraphErrorBody, type GraphErrorSpec, graphErrors } from './graph-errors';
import { parseJsonObject, type RouteResult } from './graph-http';
import type { MediaStore } from './graph-media-store';
import { PairLimiter, ThroughputLimiter } from './graph-rate-limits';
import { validateSendBody, type ValidatedSend } from './graph-send-validation';
import type { WebhookSender } from './graph-webhook-sender';
import { checkTemplateSend, type EmulatedTemplate, type MarketingRules } from './graph-templates';
import { type BusinessNumberRef, newWamid, type StatusName } from './whatsapp-webhooks';

const DEFAULT_STATUS_DELAY_MS = 5;
/** Default Cloud API throughput per business number (reference/whatsapp.md §5). */
const DEFAULT_PER_NUMBER_PER_SECOND = 80;

export interface SendRouteContext {
  options: GraphEmulatorOptions;
  clock: Clock;
  stats: GraphEmulatorStats;
  sent: EmulatedSend[];
  reads: EmulatedRead[];
  customers: CustomerDirectory;
  media: MediaStore;
  sender: WebhookSender;
  limiters?: { throughput: ThroughputLimiter; pair?: PairLimiter | undefined } | undefined;
  findNumber(phoneNumberId: string): BusinessNumberRef | undefined;
  templates: EmulatedTemplate[];
  marketing: MarketingRules;
}

export function createSendLimiters(options: GraphEmulatorOptions): SendRouteContext['limiters'] {
  if (!options.limits) return undefined;
  return {
    throughput: new ThroughputLimiter(options.limits.perNumberPerSecond ?? DEFAULT_PER_NUMBER_PER_SECOND),
    pair: options.limits.perRecipient ? new PairLimiter(options.limits.perRecipient) : undefined,
  };
}

function reject(ctx: SendRouteContext, spec: GraphErrorSpec): RouteResult {
  ctx.stats.messagesRejected += 1;
  return { status: spec.httpStatus, json: buildGraphErrorBody(spec) };
}

export function handleSend(ctx: SendRouteContext, phoneNumberId: string, raw: Buffer): RouteResult {
  const number = ctx.findNumber(phoneNumberId);
  if (!number) return reject(ctx, graphErrors.unknownObject('post', phoneNumberId));
  const body = parseJsonObject(raw);
  if (!body) return reject(ctx, graphErrors.invalidParameter('The request body must be a JSON object.'));
  const nowMs = ctx.clock.now().getTime();
  const validation = validateSendBody(body, { mediaExists: (id) => ctx.media.find(id, nowMs) !== undefined });
  if (!validation.ok) return reject(ctx, validation.error);
  const value = validation.value;
  if (value.kind === 'read') {
    ctx.reads.push({ messageId: value.messageId, typingIndicator: value.typingIndicator, phoneNumberId, at: ctx.clock.now() });
    return { status: 200, json: { success: true } };
  }

  const templateName = value.type === 'template' ? String(value.content['name']) : undefined;
  if (templateName !== undefined && ctx.options.templates && !ctx.options.templates.includes(templateName)) {
    return reject(ctx, graphErrors.templateMissing(templateName));
  }
  if (value.type === 'template') {
    const problem = checkTemplateSend(ctx.templates, value.content, value.waId ?? value.recipient ?? '', ctx.marketing);
    if (problem) return reject(ctx, problem);
  }
  const customer = ctx.customers.resolve({ waId: value.waId, userId: value.recipient });
  if (ctx.limiters && !ctx.limiters.throughput.tryTake(phoneNumberId, nowMs)) {
    ctx.stats.throughputLimited += 1;
    return reject(ctx, graphErrors.throughput());
  }
  if (ctx.limiters?.pair && !ctx.limiters.pair.tryTake(`${phoneNumberId}:${customer.userId}`, nowMs)) {
    ctx.stats.pairLimited += 1;
    return reject(ctx, graphErrors.pairRateLimit());
  }
  // Only approved templates may be sent outside the 24-hour window (reference/whatsapp.md §5).
  const windowFailure = !isWindowOpen(customer, nowMs) && value.type !== 'template';
  if (windowFailure) {
    ctx.stats.windowClosed += 1;
    if (ctx.options.windowFailureMode !== 'async') return reject(ctx, graphErrors.windowClosed());
  }

  const send = recordSend(ctx, { phoneNumberId, value, userId: customer.userId, windowFailure, body });
  scheduleStatuses(ctx, number, send);
  return {
    status: 200,
    json: {
      messaging_product: 'whatsapp',
      contacts: [value.to !== undefined ? { input: value.to, wa_id: value.waId } : { input: value.recipient, user_id: value.recipient }],
      messages: [{ id: send.wamid }],
    },
  };
}

function recordSend(
  ctx: SendRouteContext,
  args: { phoneNumberId: string; value: ValidatedSend; userId: string; windowFailure: boolean; body: Record<string, unknown> },
): EmulatedSend {
  const { value } = args;
  const send: EmulatedSend = {
    wamid: newWamid(),
    phoneNumberId: args.phoneNumberId,
    to: value.to,
    waId: value.waId,
    recipient: value.recipient,
    userId: args.userId,
    type: value.type,
    content: value.content,
    text: value.type === 'text' ? String(value.content['body']) : undefined,
    callbackData: value.callbackData,
    contextMessageId: value.contextMessageId,
    windowFailure: args.windowFailure,
    body: args.body,
    at: ctx.clock.now(),
  };
  ctx.sent.push(send);
  ctx.stats.messagesAccepted += 1;
  return send;
}

/** Reactions only ever get `sent` (reference/whatsapp.md §2.5); a send outside the window gets `failed` (§4.2). */
function scheduleStatuses(ctx: SendRouteContext, number: BusinessNumberRef, send: EmulatedSend): void {
  const delayMs = ctx.options.statusDelayMs ?? DEFAULT_STATUS_DELAY_MS;
  const auto = ctx.options.autoStatuses ?? [];
  const statuses: StatusName[] = send.windowFailure ? ['failed'] : send.type === 'reaction' ? auto.filter((s) => s === 'sent') : auto;
  if (statuses.length === 0 || !ctx.sender.hasTarget()) return;
  const window = graphErrors.windowClosed();
  ctx.sender.schedule(
    statuses.map((status) => ({
      delayMs,
      payload: () =>
        buildSendStatusWebhook(
          number,
          send,
          {
            wamid: send.wamid,
            status,
            errors: status === 'failed' ? [{ code: window.code, title: window.title, details: window.details ?? window.title }] : undefined,
          },
          ctx.clock.now(),
        ),
    })),
    'status',
  );
}
