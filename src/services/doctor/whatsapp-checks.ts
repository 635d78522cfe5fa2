import type { Config } from '../../config';
import type { GraphAnswer, GraphSetupProbe, PhoneNumberInfo, TokenInfo } from '../../whatsapp/setup-probe';
import { type CheckResult, failed, passed, warned } from './check-result';
import { GRAPH_VERSIONS, RECOMMENDED_MIN_VERSION, versionNumber } from './graph-versions';
import { checkWebhookFields } from './webhook-fields-check';

/**
 * Meta's side of the setup: the API version is still served, the access token is valid (and not about to expire),
 * every configured phone number id exists and is reachable with the token, the app is subscribed to each WABA's
 * webhooks and takes their `messages` field at threadline's URL, without which no customer message ever arrives
 * (reference/whatsapp.md §1, §5).
 */

const DAY_MS = 86_400_000;
/** Warn this long before a token or version stops working. */
const TOKEN_WARN_DAYS = 7;
const VERSION_WARN_DAYS = 90;

const TOKEN_FIX =
  'create a System User token with whatsapp_business_messaging and whatsapp_business_management (Business Settings → Users → System Users → Generate new token) and put it in WHATSAPP_ACCESS_TOKEN';
const INVALID_TOKEN = 190;

export function checkApiVersion(version: string, now: Date): CheckResult {
  const name = 'Graph API version';
  const known = GRAPH_VERSIONS.find((v) => v.version === version);
  const newest = GRAPH_VERSIONS[0]?.version ?? RECOMMENDED_MIN_VERSION;
  if (!known) {
    if (versionNumber(version) > versionNumber(newest)) return warned(name, `${version} is newer than threadline's table (newest known ${newest})`, `use ${newest} unless you know ${version} is out`);
    return failed(name, `${version} is no longer served (calls fall back to another version)`, `set WHATSAPP_API_VERSION=${RECOMMENDED_MIN_VERSION}`);
  }
  if (known.availableUntil) {
    const until = new Date(`${known.availableUntil}T00:00:00Z`);
    const daysLeft = Math.floor((until.getTime() - now.getTime()) / DAY_MS);
    if (daysLeft < 0) return failed(name, `${version} expired on ${known.availableUntil}`, `set WHATSAPP_API_VERSION=${RECOMMENDED_MIN_VERSION} or newer`);
    if (daysLeft < VERSION_WARN_DAYS) return warned(name, `${version} expires on ${known.availableUntil} (${daysLeft} days)`, `move WHATSAPP_API_VERSION to ${newest}`);
  }
  if (versionNumber(version) < versionNumber(RECOMMENDED_MIN_VERSION)) {
    return warned(name, `${version} is older than the ${RECOMMENDED_MIN_VERSION} threadline is built for`, `set WHATSAPP_API_VERSION=${RECOMMENDED_MIN_VERSION}`);
  }
  return passed(name, known.availableUntil ? `${version}, served until ${known.availableUntil}` : `${version}, no end date announced`);
}

function refusedToken(detail: string): CheckResult {
  return failed('WhatsApp access token', detail, TOKEN_FIX);
}

function unreachable(config: Config, detail: string): string {
  return `Graph at ${config.whatsapp.apiUrl} did not answer (${detail}): check WHATSAPP_API_URL and this machine's DNS, proxy and firewall`;
}

function describeToken(token: TokenInfo, now: Date): CheckResult {
  if (!token.isValid) return refusedToken('Graph says the token is not valid (expired, revoked or mistyped)');
  if (!token.scopes.includes('whatsapp_business_messaging')) {
    return failed('WhatsApp access token', `valid, but without whatsapp_business_messaging (has ${token.scopes.join(', ') || 'no scopes'})`, TOKEN_FIX);
  }
  if (!token.expiresAt) return passed('WhatsApp access token', 'valid, never expires');
  const daysLeft = (token.expiresAt * 1000 - now.getTime()) / DAY_MS;
  const when = new Date(token.expiresAt * 1000).toISOString().slice(0, 16).replace('T', ' ');
  if (daysLeft < TOKEN_WARN_DAYS) {
    // Dashboard tokens last under 24 hours (reference/whatsapp.md §5 Tokens).
    return warned('WhatsApp access token', `valid, but expires ${when} UTC`, TOKEN_FIX);
  }
  return passed('WhatsApp access token', `valid until ${when} UTC`);
}

function describeNumber(id: string, channel: string | undefined, answer: GraphAnswer<PhoneNumberInfo>, config: Config): CheckResult {
  const name = `number ${id}${channel ? ` → ${channel}` : ''}`;
  if (answer.kind === 'unreachable') return failed(name, 'Graph did not answer', unreachable(config, answer.detail));
  if (answer.kind === 'refused') {
    if (answer.code === INVALID_TOKEN) return failed(name, 'refused: the access token is not valid', TOKEN_FIX);
    return failed(
      name,
      `Graph knows no phone number ${id} this token can see (${answer.code})`,
      "copy the Phone number ID (not the phone number) from WhatsApp → API Setup into WHATSAPP_NUMBER_CHANNELS, and give the System User access to that number's WhatsApp Business Account",
    );
  }
  const n = answer.value;
  const facts = [
    n.displayPhoneNumber,
    n.verifiedName ? `"${n.verifiedName}"` : undefined,
    n.qualityRating ? `quality ${n.qualityRating}` : undefined,
    n.messagingLimitTier ? `limit ${n.messagingLimitTier}` : undefined,
  ].filter(Boolean);
  const detail = facts.length > 0 ? facts.join(', ') : 'exists';
  if (n.qualityRating === 'RED') {
    return warned(name, detail, 'quality is low: Meta may lower the messaging limit; see WhatsApp Manager → Insights');
  }
  return passed(name, detail);
}

export async function checkWhatsApp(config: Config, probe: GraphSetupProbe, now: Date): Promise<CheckResult[]> {
  const results: CheckResult[] = [checkApiVersion(config.whatsapp.apiVersion, now)];
  const numbers = [...config.whatsapp.numberChannels];

  const debug = await probe.debugToken();
  let token: TokenInfo | undefined;
  if (debug.kind === 'unreachable') return [...results, failed('WhatsApp access token', 'Graph did not answer', unreachable(config, debug.detail))];
  if (debug.kind === 'refused' && debug.code === INVALID_TOKEN) return [...results, refusedToken(`Graph refused it (${debug.message || 'code 190'})`)];
  if (debug.kind === 'ok') {
    token = debug.value;
    const line = describeToken(token, now);
    results.push(line);
    if (line.status === 'fail') return results;
  }

  const numberAnswers = await Promise.all(numbers.map(async ([id, channel]) => ({ id, channel, answer: await probe.phoneNumber(id) })));
  if (debug.kind === 'refused') {
    // Token debug is not open to every token; a number that answers proves the token just as well.
    const proof = numberAnswers.find((n) => n.answer.kind === 'ok');
    const invalid = numberAnswers.find((n) => n.answer.kind === 'refused' && n.answer.code === INVALID_TOKEN);
    if (invalid) return [...results, refusedToken('Graph refused it (190)')];
    results.push(
      proof
        ? passed('WhatsApp access token', `accepted by Graph (token debug not permitted: expiry unknown)`)
        : warned('WhatsApp access token', 'not verified: token debug is not permitted for it and no phone number id is configured to prove it', 'set WHATSAPP_NUMBER_CHANNELS'),
    );
  }
  if (numbers.length === 0) {
    // A valid setup (one channel for every number); there is simply no number id to look up.
    results.push(passed('phone numbers', `none mapped (WHATSAPP_NUMBER_CHANNELS unset): every number's conversations go to ${config.slack.defaultChannel ?? 'SLACK_CHANNEL'}`));
  }
  for (const { id, channel, answer } of numberAnswers) results.push(describeNumber(id, channel, answer, config));

  const wabaIds = config.whatsapp.businessAccountId ? [config.whatsapp.businessAccountId] : (token?.wabaIds ?? []);
  if (wabaIds.length === 0) {
    results.push(warned('webhook subscription', 'not checked: the WhatsApp Business Account is unknown', 'set WHATSAPP_BUSINESS_ACCOUNT_ID'));
  }
  for (const wabaId of wabaIds) results.push(await checkSubscription(config, probe, wabaId, token?.appId));
  results.push(await checkWebhookFields(config, probe, token?.appId));
  return results;
}

async function checkSubscription(config: Config, probe: GraphSetupProbe, wabaId: string, appId: string | undefined): Promise<CheckResult> {
  const name = `webhooks of WABA ${wabaId}`;
  const answer = await probe.subscribedApps(wabaId);
  if (answer.kind === 'unreachable') return failed(name, 'Graph did not answer', unreachable(config, answer.detail));
  if (answer.kind === 'refused') {
    return failed(name, `subscribed_apps refused (${answer.code})`, 'check WHATSAPP_BUSINESS_ACCOUNT_ID and that the token has whatsapp_business_management on that account');
  }
  const subscribed = appId ? answer.value.includes(appId) : answer.value.length > 0;
  if (!subscribed) {
    return failed(
      name,
      'the app is not subscribed: no customer message will arrive',
      `curl -X POST '${config.whatsapp.apiUrl}/${config.whatsapp.apiVersion}/${wabaId}/subscribed_apps' -H 'Authorization: Bearer <WHATSAPP_ACCESS_TOKEN>'`,
    );
  }
  // Which fields (messages, …) the app takes is the app's setting, not the WABA's: checkWebhookFields reads it.
  return passed(name, 'the app is subscribed');
}
