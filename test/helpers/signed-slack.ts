import { randomBytes } from 'node:crypto';
import { buildEventCallbackBody, buildInteractionBody, type RequestBody, signSlackRequest } from '../../src/emulators/slack-signing';
import type { Harness } from './harness';

/**
 * Requests signed with the app's real signing secret but shaped by the test, for what the emulator's people never
 * send: other apps' events, junk, crafted ids, skewed timestamps (slack.md §9.2).
 */

export interface SignedAnswer {
  status: number;
  text: string;
}

export async function postSigned(h: Harness, request: RequestBody, opts: { timestampSec?: number } = {}): Promise<SignedAnswer> {
  const { headers } = signSlackRequest(h.slack.signingSecret, request.body, opts.timestampSec ?? Date.now() / 1000);
  const res = await fetch(`${h.app.url}/slack/events`, { method: 'POST', headers: { 'content-type': request.contentType, ...headers }, body: request.body });
  return { status: res.status, text: await res.text() };
}

function identityOf(h: Harness) {
  return { teamId: h.slack.teamId, teamDomain: 'threadline-emulator', apiAppId: h.slack.apiAppId, botUserId: h.slack.botUserId, verificationToken: 'emulator-verification-token' };
}

export function newEventId(): string {
  return `Ev0RAW${randomBytes(4).toString('hex').toUpperCase()}`;
}

export function eventRequest(h: Harness, event: Record<string, unknown>, eventId = newEventId()): RequestBody {
  return buildEventCallbackBody(identityOf(h), event, { eventId, eventTimeSec: Math.floor(Date.now() / 1000) });
}

export function sendSignedEvent(h: Harness, event: Record<string, unknown>, eventId?: string): Promise<SignedAnswer> {
  return postSigned(h, eventRequest(h, event, eventId));
}

export function sendSignedInteraction(h: Harness, payload: Record<string, unknown>): Promise<SignedAnswer> {
  return postSigned(h, buildInteractionBody(payload));
}

/** A slash command's form fields as given (junk included: every value is sent as a string). */
export function sendSignedCommand(h: Harness, fields: Record<string, string>): Promise<SignedAnswer> {
  return postSigned(h, { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' });
}
