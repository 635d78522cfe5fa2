import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack's request signing and the body shapes Slack sends to an app (slack.md §9.2, §2.1, §3, §4). Pure functions,
 * so tests can also build requests with a wrong secret, an old timestamp or a tampered body.
 */

export interface SignedHeaders {
  'X-Slack-Request-Timestamp': string;
  'X-Slack-Signature': string;
}

/** `v0=` + hex HMAC-SHA256(secret, `v0:${timestamp}:${rawBody}`) over the exact bytes sent (slack.md §9.2). */
export function signSlackRequest(secret: string, rawBody: string, timestampSec: number): { headers: SignedHeaders } {
  const timestamp = String(Math.floor(timestampSec));
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return { headers: { 'X-Slack-Request-Timestamp': timestamp, 'X-Slack-Signature': `v0=${digest}` } };
}

/** Bolt's check: older than 5 minutes is refused, future timestamps are not (slack.md §9.2). */
export function verifySlackSignature(args: {
  secret: string;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowSec: number;
}): boolean {
  const ts = Number(args.timestamp);
  if (!args.timestamp || !Number.isFinite(ts) || ts < args.nowSec - 300 || !args.signature) return false;
  const expected = Buffer.from(signSlackRequest(args.secret, args.rawBody, ts).headers['X-Slack-Signature']);
  const given = Buffer.from(args.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface SlackSenderIdentity {
  teamId: string;
  teamDomain: string;
  apiAppId: string;
  botUserId: string;
  /** The legacy verification token Slack still puts in bodies. */
  verificationToken: string;
}

export interface RequestBody {
  body: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
}

/** The Events API envelope (slack.md §2.1): event_id is what the app deduplicates on. */
export function buildEventCallbackBody(
  identity: SlackSenderIdentity,
  event: Record<string, unknown>,
  ids: { eventId: string; eventTimeSec: number },
): RequestBody {
  const envelope = {
    token: identity.verificationToken,
    team_id: identity.teamId,
    context_team_id: identity.teamId,
    context_enterprise_id: null,
    api_app_id: identity.apiAppId,
    event,
    type: 'event_callback',
    event_id: ids.eventId,
    event_time: ids.eventTimeSec,
    authorizations: [
      {
        enterprise_id: null,
        team_id: identity.teamId,
        user_id: identity.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(ids.eventId).toString('base64url')}`,
  };
  return { body: JSON.stringify(envelope), contentType: 'application/json' };
}

/** Interactivity arrives form-encoded with one field, `payload`, holding JSON (slack.md §4). */
export function buildInteractionBody(payload: Record<string, unknown>): RequestBody {
  return {
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: 'application/x-www-form-urlencoded',
  };
}

export interface SlashCommandFields {
  channelId: string;
  channelName: string;
  userId: string;
  userName: string;
  command: string;
  text: string;
  responseUrl: string;
  triggerId: string;
}

/** Slash commands are flat form fields; there is no thread_ts (slack.md §3). */
export function buildSlashCommandBody(identity: SlackSenderIdentity, fields: SlashCommandFields): RequestBody {
  const form = new URLSearchParams({
    token: identity.verificationToken,
    team_id: identity.teamId,
    team_domain: identity.teamDomain,
    channel_id: fields.channelId,
    channel_name: fields.channelName,
    user_id: fields.userId,
    user_name: fields.userName,
    command: fields.command,
    text: fields.text,
    api_app_id: identity.apiAppId,
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId,
  });
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}
