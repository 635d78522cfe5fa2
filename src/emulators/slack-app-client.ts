import type { AppDelivery, EmulatorCore } from './slack-emulator-core';
import { type RequestBody, signSlackRequest } from './slack-signing';
import { ackToAppResponse, type EnvelopeRetry, toSocketEnvelope } from './slack-socket-envelopes';
import type { AppResponse } from './slack-types';

/**
 * Delivers what people do to our app the way Slack does: over the app's Socket Mode connection when it has one open
 * (slack.md §9.5), else as signed requests to its `/slack/events` (Bolt's default path, slack.md §9.1). Signed with
 * the wall clock, not the emulator's clock: the app checks the timestamp against real time (slack.md §9.2).
 */

/** Slack gives up after 3 s (slack.md §2.1); the emulator waits longer so a slow test machine does not flake. */
const APP_TIMEOUT_MS = 10_000;
export const SOCKET_ACK_TIMEOUT_MS = APP_TIMEOUT_MS;

interface DeliveryOptions {
  eventId?: string;
  /** A redelivery: X-Slack-Retry-Num / X-Slack-Retry-Reason over HTTP, retry_attempt / retry_reason in an envelope. */
  retry?: EnvelopeRetry;
}

export async function sendToApp(core: EmulatorCore, kind: AppDelivery['kind'], request: RequestBody, opts: DeliveryOptions = {}): Promise<AppResponse> {
  core.notify();
  try {
    return await deliverToApp(core, kind, request, opts);
  } finally {
    core.notify();
  }
}

async function deliverToApp(core: EmulatorCore, kind: AppDelivery['kind'], request: RequestBody, opts: DeliveryOptions): Promise<AppResponse> {
  if (core.socket.isConnected()) return sendOverSocket(core, kind, request, opts);
  if (!core.appUrl) throw new Error('the Slack emulator has no appUrl (pass it to startSlackEmulator or call setAppUrl) and no Socket Mode connection');
  const url = `${core.appUrl.replace(/\/+$/, '')}/slack/events`;
  const { headers: signed } = signSlackRequest(core.signingSecret, request.body, Date.now() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': request.contentType,
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...signed,
    ...(opts.retry ? { 'X-Slack-Retry-Num': String(opts.retry.attempt), 'X-Slack-Retry-Reason': opts.retry.reason } : {}),
  };
  const record = (status: number, responseText: string) =>
    core.deliveries.push({
      kind,
      body: request.body,
      contentType: request.contentType,
      headers,
      status,
      responseText,
      at: core.workspace.clock.now(),
      transport: 'http',
      ...(opts.eventId ? { eventId: opts.eventId } : {}),
    });
  try {
    const response = await fetch(url, { method: 'POST', headers, body: request.body, signal: AbortSignal.timeout(APP_TIMEOUT_MS) });
    const text = await response.text();
    record(response.status, text);
    return { status: response.status, text, ...parseJson(text) };
  } catch (error) {
    // Status 0 marks a delivery that got no HTTP answer at all (app down, or slower than the timeout).
    record(0, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** The ack stands in for the HTTP answer; no ack (timeout, closed socket) is recorded as status 0 and thrown. */
async function sendOverSocket(core: EmulatorCore, kind: AppDelivery['kind'], request: RequestBody, opts: DeliveryOptions): Promise<AppResponse> {
  const envelope = toSocketEnvelope(kind, request, opts.retry);
  const record = (status: number, responseText: string) =>
    core.deliveries.push({
      kind,
      body: request.body,
      contentType: request.contentType,
      headers: {},
      status,
      responseText,
      at: core.workspace.clock.now(),
      transport: 'socket',
      envelopeId: envelope.envelope_id,
      ...(opts.eventId ? { eventId: opts.eventId } : {}),
    });
  try {
    const response = ackToAppResponse(await core.socket.deliver(envelope));
    record(response.status, response.text);
    return response;
  } catch (error) {
    record(0, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

function parseJson(text: string): { json?: unknown } {
  if (text === '') return {};
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return {};
  }
}
