import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import type express from 'express';
import type { Logger } from '../logger';

/**
 * In front of Bolt's /slack/events in HTTP mode. Bolt refuses timestamps older than 5 minutes but accepts any in
 * the future (slack.md §9.2), so a captured request stamped ahead stays replayable: here a timestamp more than
 * 5 minutes from now, either way, is refused (401), as Slack's own check (`abs(now − ts) > 5 min`) does. Then the
 * signature is checked over the raw bytes, and a signed body Bolt could not even classify (no event, no payload
 * type: Bolt would leave it unanswered for 3 s and answer 404) is answered 400 at once. The raw body is handed on
 * as `req.rawBody`, which Bolt's ExpressReceiver reads instead of the stream.
 */

export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
/** Bolt's own default body limit (4 MB). */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export interface RequestScreenOptions {
  signingSecret: string;
  logger: Logger;
  /** Wall-clock seconds; Slack's timestamps are real time whatever clock the app's rules use. */
  nowSec?: () => number;
}

/** Whether a request timestamp (seconds, as the header carries it) is within 5 minutes of now, past or future. */
export function isFreshTimestamp(header: string | undefined, nowSec: number): boolean {
  if (!header || !/^\d{1,12}$/.test(header)) return false;
  return Math.abs(nowSec - Number(header)) <= MAX_CLOCK_SKEW_SECONDS;
}

function signatureMatches(secret: string, timestamp: string, raw: Buffer, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Absent, or an object: Bolt reads `.id` / `in` on these without checking (inference from its App.buildSource). */
const objectIfPresent = (body: Record<string, unknown>, key: string) => !(key in body) || isObject(body[key]);

/**
 * The ids Bolt reads to build a request's source (team, enterprise, user, channel) end up in template strings; an
 * array there is stringified recursively, and a deeply nested one overflows the stack (a 500). Each named field of
 * `holder` is absent, null or a string. `holder` itself may be anything: its own shape is checked elsewhere.
 */
function idsAreStrings(holder: unknown, ...keys: string[]): boolean {
  if (!isObject(holder)) return true;
  return keys.every((key) => holder[key] === undefined || holder[key] === null || typeof holder[key] === 'string');
}

const INTERACTION_TYPES = new Set(['shortcut', 'message_action', 'view_submission', 'view_closed', 'block_suggestion', 'dialog_submission']);

/**
 * Something Bolt can route without tripping over it: an event with an event, an interaction with a type it knows and
 * a user, a command, a check. Bolt classifies and reads these fields before any middleware of ours runs, and a
 * missing one throws there (a 500) or leaves the request unanswered; the rest is checked by handlers/request-guard.ts.
 */
export function isRoutableSlackBody(raw: string, contentType: string | undefined): boolean {
  let body: unknown;
  try {
    if ((contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
      const form = parseQuery(raw);
      if (typeof form.payload === 'string') body = JSON.parse(form.payload);
      else return typeof form.command === 'string' || form.ssl_check !== undefined;
    } else {
      body = JSON.parse(raw);
    }
  } catch {
    return false;
  }
  if (!isObject(body) || typeof body.type !== 'string') return false;
  if (body.type === 'url_verification') return true;
  if ('event' in body || body.type === 'event_callback') {
    const event = body.event;
    if (!isObject(event) || typeof event.type !== 'string') return false;
    const userOk = !('user' in event) || typeof event.user === 'string' || isObject(event.user);
    const channelOk = !('channel' in event) || typeof event.channel === 'string' || isObject(event.channel);
    // Bolt reads `authorizations[0].team_id` whenever the list has a first element, so that must be an object.
    const authorizations = body.authorizations;
    const authorizationsOk = !Array.isArray(authorizations) || authorizations.length === 0 || isObject(authorizations[0]);
    const idsOk =
      idsAreStrings(body, 'team_id', 'enterprise_id') &&
      idsAreStrings(Array.isArray(authorizations) ? authorizations[0] : undefined, 'team_id', 'enterprise_id', 'user_id') &&
      idsAreStrings(event.user, 'id') &&
      idsAreStrings(event.channel, 'id', 'creator') &&
      idsAreStrings(event, 'channel_id') &&
      idsAreStrings(event.item, 'channel') &&
      idsAreStrings(event.subteam, 'created_by');
    return userOk && channelOk && authorizationsOk && idsOk && objectIfPresent(event, 'item') && objectIfPresent(event, 'subteam');
  }
  const routes = 'actions' in body || 'name' in body || INTERACTION_TYPES.has(body.type);
  const actionsOk = !('actions' in body) || (Array.isArray(body.actions) && body.actions.length > 0 && body.actions.every(isObject));
  const viewOk = !body.type.startsWith('view_') || isObject(body.view);
  // An org-wide install sends `team: null`.
  const teamOk = body.team === null || objectIfPresent(body, 'team');
  const idsOk =
    idsAreStrings(body.team, 'id', 'enterprise_id') &&
    idsAreStrings(body.enterprise, 'id') &&
    idsAreStrings(body.user, 'id', 'team_id') &&
    idsAreStrings(body.channel, 'id') &&
    idsAreStrings(body.view, 'app_installed_team_id');
  return routes && actionsOk && viewOk && teamOk && idsOk && isObject(body.user) && objectIfPresent(body, 'channel');
}

/**
 * Slack's notice that it is holding back this workspace's events (slack.md §1.1, past 30,000 an hour). Bolt answers
 * url_verification and ssl_check itself but cannot route this one: unanswered, it would get Bolt's 404 after 3 s,
 * and Slack counts every delivery not answered 200 against the app's event subscriptions (same section).
 */
export function isAppRateLimitedNotice(raw: string, contentType: string | undefined): boolean {
  if (!(contentType ?? '').startsWith('application/json') || !raw.includes('app_rate_limited')) return false;
  try {
    const body: unknown = JSON.parse(raw);
    return isObject(body) && body.type === 'app_rate_limited';
  } catch {
    return false;
  }
}

async function readRaw(req: express.Request, limit: number): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) return 'too_large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function screenSlackRequests(opts: RequestScreenOptions): express.RequestHandler {
  const nowSec = opts.nowSec ?? (() => Math.floor(Date.now() / 1000));
  return (req, res, next) => {
    const timestamp = req.header('x-slack-request-timestamp');
    if (!isFreshTimestamp(timestamp, nowSec())) {
      opts.logger.warn({ timestamp: timestamp?.slice(0, 20) }, 'refused a Slack request whose timestamp is not within 5 minutes of now');
      res.status(401).end();
      return;
    }
    readRaw(req, BODY_LIMIT_BYTES).then(
      (raw) => {
        if (raw === 'too_large') {
          res.status(413).end();
          return;
        }
        if (!signatureMatches(opts.signingSecret, timestamp as string, raw, req.header('x-slack-signature'))) {
          res.status(401).end();
          return;
        }
        const text = raw.toString('utf8');
        if (isAppRateLimitedNotice(text, req.header('content-type'))) {
          opts.logger.warn('Slack is holding back events for this workspace (app_rate_limited): over 30,000 events in an hour');
          res.status(200).end();
          return;
        }
        if (!isRoutableSlackBody(text, req.header('content-type'))) {
          opts.logger.warn('refused a signed Slack request with no event or payload type');
          res.status(400).end();
          return;
        }
        (req as express.Request & { rawBody?: Buffer }).rawBody = raw;
        next();
      },
      (err: unknown) => {
        opts.logger.warn({ err }, 'could not read a Slack request');
        if (!res.headersSent) res.status(400).end();
      },
    );
  };
}
