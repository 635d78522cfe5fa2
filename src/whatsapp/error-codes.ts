/**
 * Meta's Graph error codes: how to react to each (retry, wait, give up) and how to say it to an agent.
 * Decisions branch on Meta's `code`, never on the HTTP status, which Meta does not keep consistent
 * (reference/whatsapp.md §4.1). Table from reference/whatsapp.md §4.2.
 */
import type { GraphErrorKind } from './gateway';
import { explainLocalFailure, labelLocalFailure, localFailureOf } from './local-failures';

export type GraphCodeKind = 'throttled' | 'transient' | 'permanent';

/** What an error is about, for the explanation shown in the thread. */
export type GraphErrorTopic =
  | 'token'
  | 'meta_outage'
  | 'app_rate_limit'
  | 'permission'
  | 'invalid_parameter'
  | 'policy_block'
  | 'throughput'
  | 'experiment'
  | 'access_denied'
  | 'missing_parameter'
  | 'invalid_value'
  | 'self_recipient'
  | 'undeliverable'
  | 'not_allowed_list'
  | 'account_locked'
  | 'payment'
  | 'window_closed'
  | 'spam_limit'
  | 'ecosystem'
  | 'marketing_opt_out'
  | 'unsupported_type'
  | 'media_unavailable'
  | 'media_rejected'
  | 'pair_rate_limit'
  | 'maintenance'
  | 'message_unavailable'
  | 'bsuid_unsupported'
  | 'template_limit'
  | 'template'
  | 'register_limit'
  | 'identity_changed';

export interface GraphErrorCodeInfo {
  kind: GraphCodeKind;
  short: string;
  topic: GraphErrorTopic;
}

const code = (kind: GraphCodeKind, topic: GraphErrorTopic, short: string): GraphErrorCodeInfo => ({ kind, topic, short });

/** Single codes. The 200–299 permission range and the 132xxx template family are matched in lookupGraphErrorCode. */
export const GRAPH_ERROR_CODES: Readonly<Record<number, GraphErrorCodeInfo>> = {
  0: code('permanent', 'token', 'Access token expired or invalid'),
  1: code('transient', 'meta_outage', 'API unknown error'),
  2: code('transient', 'meta_outage', 'API service temporarily unavailable'),
  4: code('throttled', 'app_rate_limit', 'App API call rate limit'),
  10: code('permanent', 'permission', 'Permission denied'),
  100: code('permanent', 'invalid_parameter', 'Invalid parameter'),
  190: code('permanent', 'token', 'Access token expired'),
  368: code('permanent', 'policy_block', 'Temporarily blocked for policy violations'),
  80007: code('throttled', 'app_rate_limit', 'WhatsApp Business Account rate limit'),
  130429: code('throttled', 'throughput', 'Cloud API throughput reached'),
  130472: code('permanent', 'experiment', "User's number is part of an experiment"),
  131000: code('transient', 'meta_outage', 'Something went wrong'),
  131005: code('permanent', 'access_denied', 'Access denied'),
  131008: code('permanent', 'missing_parameter', 'Required parameter missing'),
  131009: code('permanent', 'invalid_value', 'Parameter value not valid'),
  131016: code('transient', 'meta_outage', 'Service unavailable'),
  131021: code('permanent', 'self_recipient', 'Recipient cannot be the sender'),
  131026: code('permanent', 'undeliverable', 'Message undeliverable'),
  131030: code('permanent', 'not_allowed_list', 'Recipient not in the allowed list'),
  131031: code('permanent', 'account_locked', 'Business account locked'),
  131042: code('permanent', 'payment', 'Business eligibility or payment issue'),
  131047: code('permanent', 'window_closed', 'Re-engagement message: 24-hour window closed'),
  131048: code('permanent', 'spam_limit', 'Spam rate limit hit'),
  131049: code('permanent', 'ecosystem', 'Held back to maintain healthy ecosystem engagement'),
  131050: code('permanent', 'marketing_opt_out', 'User stopped marketing messages'),
  131051: code('permanent', 'unsupported_type', 'Unsupported message type'),
  131052: code('permanent', 'media_unavailable', 'Media download error'),
  131053: code('permanent', 'media_rejected', 'Media upload error'),
  131056: code('throttled', 'pair_rate_limit', 'Business/consumer pair rate limit hit'),
  131057: code('throttled', 'maintenance', 'Account in maintenance mode'),
  131060: code('permanent', 'message_unavailable', 'Message currently unavailable'),
  131062: code('permanent', 'bsuid_unsupported', 'Business-scoped user id recipient not supported'),
  131064: code('permanent', 'template_limit', 'Messaging limit reached for template classification violations'),
  132000: code('permanent', 'template', 'Template parameter count mismatch'),
  132001: code('permanent', 'template', 'Template does not exist'),
  132005: code('permanent', 'template', 'Template hydrated text too long'),
  132007: code('permanent', 'template', 'Template format character policy violated'),
  132012: code('permanent', 'template', 'Template parameter format mismatch'),
  132015: code('permanent', 'template', 'Template is paused'),
  132016: code('permanent', 'template', 'Template is disabled'),
  133016: code('throttled', 'register_limit', 'Account register/deregister rate limit exceeded'),
  137000: code('permanent', 'identity_changed', 'Recipient identity key hash mismatch'),
};

export function lookupGraphErrorCode(errorCode: number): GraphErrorCodeInfo | undefined {
  const known = GRAPH_ERROR_CODES[errorCode];
  if (known) return known;
  if (errorCode >= 200 && errorCode <= 299) return code('permanent', 'permission', 'Missing permission');
  if (errorCode >= 132000 && errorCode <= 132999) return code('permanent', 'template', 'Template error');
  return undefined;
}

/** Unknown codes fall back on the HTTP status: a 5xx is worth retrying, anything else is not. */
export function classifyGraphErrorCode(errorCode: number, httpStatus?: number): GraphCodeKind {
  const info = lookupGraphErrorCode(errorCode);
  if (info) return info.kind;
  return httpStatus !== undefined && httpStatus >= 500 ? 'transient' : 'permanent';
}

const SECOND = 1000;
const MAX_DELAY_MS = 5 * 60 * SECOND;
/** Throughput upgrades finish within about a minute (reference/whatsapp.md §5). */
const MAINTENANCE_DELAY_MS = 60 * SECOND;

/**
 * How long to wait before retry number `attempt` (0 = first retry); undefined when the error must not be retried.
 * `kind` overrides the code's own class, for errors that never got a Graph answer (threadline's own, local-failures.ts).
 * Pass `random` (0 ≤ r < 1) to spread retries by up to +25 %; without it the delay is deterministic.
 */
export function retryDelayMs(
  errorCode: number,
  attempt: number,
  options: { kind?: GraphErrorKind; httpStatus?: number; random?: () => number } = {},
): number | undefined {
  const kind = options.kind ?? classifyGraphErrorCode(errorCode, options.httpStatus);
  const n = Math.max(0, Math.floor(attempt));
  let base: number;
  switch (kind) {
    case 'throttled':
      if (errorCode === 131056) base = SECOND * 4 ** n; // "retry after 4^X seconds" (reference/whatsapp.md §4.2)
      else if (errorCode === 131057) base = MAINTENANCE_DELAY_MS;
      else base = SECOND * 2 ** n;
      break;
    case 'transient':
      base = 2 * SECOND * 2 ** n;
      break;
    case 'permanent':
    case 'uncertain':
    case 'too_large':
      return undefined;
    default:
      return kind satisfies never;
  }
  const capped = Math.min(base, MAX_DELAY_MS);
  return options.random ? Math.round(capped * (1 + 0.25 * options.random())) : capped;
}

function explainTopic(topic: GraphErrorTopic): string {
  switch (topic) {
    case 'token':
      return 'WhatsApp refused threadline’s access token: it has expired or is invalid. An admin must renew WHATSAPP_ACCESS_TOKEN (a System User token does not expire daily).';
    case 'meta_outage':
      return 'WhatsApp had a temporary problem on Meta’s side. threadline retries automatically.';
    case 'app_rate_limit':
      return 'threadline made too many calls to Meta’s API and hit the app or account rate limit. threadline retries automatically after a pause.';
    case 'permission':
      return 'threadline’s access token lacks permission for this WhatsApp number. An admin must grant the app whatsapp_business_messaging for this account.';
    case 'invalid_parameter':
      return 'WhatsApp rejected the request as invalid (a parameter is missing, misspelled or not allowed, or the recipient cannot receive WhatsApp messages).';
    case 'policy_block':
      return 'Meta has temporarily blocked this WhatsApp number for policy violations. An admin must check the account in Meta Business Manager.';
    case 'throughput':
      return 'This WhatsApp number is sending too fast overall and hit Meta’s throughput limit. threadline retries automatically.';
    case 'experiment':
      return 'The customer’s number is part of a Meta experiment, so WhatsApp did not deliver this message.';
    case 'access_denied':
      return 'Meta denied access to this WhatsApp number. An admin must check that the app’s token may send from it.';
    case 'missing_parameter':
      return 'WhatsApp rejected the message because a required part was missing. This is likely a threadline bug; please report it.';
    case 'invalid_value':
      return 'WhatsApp rejected a value in the message, for example a reply or reaction to a message that was deleted or is older than 30 days.';
    case 'self_recipient':
      return 'The recipient is the business number itself, and WhatsApp does not allow sending to yourself.';
    case 'undeliverable':
      return 'WhatsApp could not deliver this message: the number may not be on WhatsApp, the customer may use an old WhatsApp version, or they have not accepted WhatsApp’s latest terms.';
    case 'not_allowed_list':
      return 'This number is not on the test number’s allowed list. While the WhatsApp number is a test number, an admin must add the recipient (up to 5) in Meta’s App Dashboard.';
    case 'account_locked':
      return 'The WhatsApp Business Account is locked, usually after a policy violation or a failed verification. An admin must check Meta Business Manager.';
    case 'payment':
      return 'Meta refused the message because of a payment or eligibility problem on the WhatsApp Business Account. An admin must check the payment method in Meta Business Manager.';
    case 'window_closed':
      return 'The 24-hour window is closed: the customer last wrote more than 24 hours ago, so only an approved template can reach them now. Send a template, or wait for the customer to write again.';
    case 'spam_limit':
      return 'Meta is limiting this number because too many earlier messages were blocked or reported as spam. Slow down and check the number’s quality rating.';
    case 'ecosystem':
      return 'Meta held this marketing message back to keep customer engagement healthy. Wait at least 24 hours before trying again.';
    case 'marketing_opt_out':
      return 'The customer has stopped marketing messages from this business, so WhatsApp did not deliver it.';
    case 'unsupported_type':
      return 'This message type is not supported by the WhatsApp API (for example a poll or an edit from the customer). Ask the customer to send it another way.';
    case 'media_unavailable':
      return 'The media could not be fetched from WhatsApp: it may be larger than 100 MB or no longer available. Ask the customer to send it again.';
    case 'media_rejected':
      return 'WhatsApp rejected the attachment: its file type, size or MIME type is not accepted (images: JPEG or PNG up to 5 MB; video and audio up to 16 MB; documents up to 100 MB). Try a different file.';
    case 'pair_rate_limit':
      return 'threadline is sending too fast to this customer (WhatsApp allows about one message every 6 seconds per customer, with short bursts). threadline retries automatically.';
    case 'maintenance':
      return 'The WhatsApp Business Account is in maintenance mode for about a minute (for example during a throughput upgrade). threadline retries automatically.';
    case 'message_unavailable':
      return 'This customer message is currently unavailable on WhatsApp and could not be shown.';
    case 'bsuid_unsupported':
      return 'This message cannot be sent to a customer known only by their WhatsApp user id. It can be sent once their phone number is known.';
    case 'template_limit':
      return 'This number reached its messaging limit because of template classification violations. An admin must review the templates in WhatsApp Manager.';
    case 'template':
      return 'The template message was rejected: it does not match the approved template (parameters, name or language), or the template is paused or disabled.';
    case 'register_limit':
      return 'Too many register or deregister attempts for this number. threadline retries later.';
    case 'identity_changed':
      return 'The customer’s WhatsApp identity changed (for example a new phone or a reinstall), so the message was not sent. Send it again to confirm.';
    default:
      return topic satisfies never;
  }
}

/** Topics where Meta's own details tell the agent something the generic sentence cannot. */
const TOPICS_WITH_DETAILS: ReadonlySet<GraphErrorTopic> = new Set([
  'invalid_parameter',
  'invalid_value',
  'missing_parameter',
  'media_rejected',
  'template',
]);

/** Template refusals, one sentence each: what went wrong and what the agent can do (reference/whatsapp.md §4.2). */
const TEMPLATE_EXPLANATIONS: Readonly<Record<number, string>> = {
  132000: 'The template was refused: the number of values does not match the approved template (it may have been edited in WhatsApp Manager). Open “Send a template” again so the form matches.',
  132001: 'The template was refused: it does not exist in this language (it was deleted, renamed or is not approved yet). Pick another one.',
  132005: 'The template was refused: once filled in, its text is too long. Use shorter values.',
  132007: 'The template was refused: it breaks WhatsApp’s formatting rules (for example in a value). Change the values and send again.',
  132012: 'The template was refused: a value has the wrong format for this template (for example its header needs an image, a video or a document).',
  132015: 'The template was refused: Meta paused it because of low quality (customers blocked or ignored it). Pick another one, or wait until it is unpaused.',
  132016: 'The template was refused: Meta disabled it because of low quality. Pick another one.',
};

/** A failure WhatsApp reported without any error object. */
export const UNEXPLAINED_FAILURE = 'WhatsApp reported the message as not delivered without saying why.';

/** One or two plain sentences saying why a message did not go out: the thread notice, and the digest's failures. */
export function explainGraphError(error: { code: number; title?: string | undefined; details?: string | undefined }): string {
  const local = localFailureOf(error);
  if (local) return explainLocalFailure(local);
  const template = TEMPLATE_EXPLANATIONS[error.code];
  if (template) return template;
  const info = lookupGraphErrorCode(error.code);
  const details = error.details?.trim();
  if (!info) {
    const said = [error.title?.trim(), details].filter(Boolean).join(': ');
    return `WhatsApp returned error ${error.code}${said ? ` (${said})` : ''}. threadline does not know this error yet; the message may not have been delivered.`;
  }
  const text = explainTopic(info.topic);
  return details && TOPICS_WITH_DETAILS.has(info.topic) ? `${text} Meta says: ${details}` : text;
}

/**
 * What to show beside the explanation: Meta's code, for whoever takes it to Meta's support, or — for threadline's own
 * failures, which have no Meta code (local-failures.ts) — what happened, so nobody looks the failure up as Meta's.
 */
export function describeErrorOrigin(error: { code: number; title?: string | undefined } | undefined, metaPrefix: string): string {
  if (!error) return 'WhatsApp gave no error code';
  const local = localFailureOf(error);
  return local ? `threadline: ${labelLocalFailure(local)}, not a WhatsApp error` : `${metaPrefix} ${error.code}`;
}
