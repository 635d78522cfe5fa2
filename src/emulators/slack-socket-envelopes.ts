import { randomUUID } from 'node:crypto';
import type { AppDelivery } from './slack-emulator-core';
import type { RequestBody } from './slack-signing';
import type { SocketAck, SocketEnvelope } from './slack-socket-hub';
import type { AppResponse } from './slack-types';

/**
 * The same deliveries the HTTP path signs, as Socket Mode envelopes (slack.md §9.5): the payload is the body Slack
 * would have POSTed, as JSON (an interaction's `payload` field parsed, a slash command's form fields as an object).
 * Retries of an event carry retry_attempt / retry_reason in the envelope instead of headers (slack.md §2.1).
 */

export interface EnvelopeRetry {
  attempt: number;
  reason: string;
}

function parseObject(text: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('a Slack payload must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Only these can answer through the ack: a command's response, a modal's response_action. */
const ANSWERING_INTERACTIONS = new Set(['view_submission', 'block_suggestion']);

export function toSocketEnvelope(kind: AppDelivery['kind'], request: RequestBody, retry?: EnvelopeRetry): SocketEnvelope {
  const envelopeId = randomUUID();
  switch (kind) {
    case 'event':
      return {
        envelope_id: envelopeId,
        type: 'events_api',
        payload: parseObject(request.body),
        accepts_response_payload: false,
        retry_attempt: retry?.attempt ?? 0,
        retry_reason: retry?.reason ?? '',
      };
    case 'interaction': {
      const payload = parseObject(new URLSearchParams(request.body).get('payload') ?? '{}');
      return { envelope_id: envelopeId, type: 'interactive', payload, accepts_response_payload: ANSWERING_INTERACTIONS.has(String(payload.type)) };
    }
    case 'command':
      return {
        envelope_id: envelopeId,
        type: 'slash_commands',
        payload: Object.fromEntries(new URLSearchParams(request.body)),
        accepts_response_payload: true,
      };
    default:
      return kind satisfies never;
  }
}

/**
 * The ack as the HTTP path's answer: status 200 with the payload as the body. An empty payload (`{}`, what
 * @slack/socket-mode sends for a bare ack()) is an empty body, like Bolt's HTTP 200 without content.
 */
export function ackToAppResponse(ack: SocketAck): AppResponse {
  const payload = ack.payload;
  const empty = payload === undefined || payload === null || (typeof payload === 'object' && Object.keys(payload).length === 0);
  return empty ? { status: 200, text: '' } : { status: 200, text: JSON.stringify(payload), json: payload };
}
