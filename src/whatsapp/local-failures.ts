/**
 * threadline's own failures: the ones where Meta never answered (Graph unreachable, no answer in time, something
 * else answered) or the request never left (Slack did not hand over the agent's file). They travel and are stored
 * with a reserved code below zero: Meta's codes are all zero or above (reference/whatsapp.md §4.2), so a stored
 * code can never be mistaken for one of Meta's — in particular for Meta's own 0, "AuthException: token expired or
 * invalid", which is what these failures were once stored as.
 */

export type LocalFailure =
  | 'graph_unreachable'
  | 'graph_connection_lost'
  | 'graph_timeout'
  | 'graph_unreadable_answer'
  | 'slack_file'
  | 'outside_api_url'
  | 'media_link';

export const LOCAL_FAILURE_CODES = {
  graph_unreachable: -1,
  graph_connection_lost: -2,
  graph_timeout: -3,
  graph_unreadable_answer: -4,
  slack_file: -5,
  outside_api_url: -6,
  media_link: -7,
} as const satisfies Record<LocalFailure, number>;

const BY_CODE: ReadonlyMap<number, LocalFailure> = new Map(
  (Object.entries(LOCAL_FAILURE_CODES) as [LocalFailure, number][]).map(([failure, code]) => [code, failure]),
);

/**
 * Before the reserved codes, threadline stored its own failures with code 0 and one of these titles, which only
 * threadline ever wrote (graph-client.ts, delivery/whatsapp-sends.ts); Meta's titles for its code 0 are its own
 * ("AuthException", "Error validating access token…"). Such a row is read as the local failure it was, so a message
 * that failed on the network before this change does not claim the token expired.
 */
const LEGACY_TITLES: readonly [RegExp, LocalFailure][] = [
  [/^Could not connect to Graph\b/, 'graph_unreachable'],
  [/^Connection to Graph failed\b/, 'graph_connection_lost'],
  [/^No answer from Graph within \d+ ms$/, 'graph_timeout'],
  [/^HTTP \d{3} without a Graph error body$/, 'graph_unreadable_answer'],
  [/^Unexpected Graph .+ response$/, 'graph_unreadable_answer'],
  [/^Graph accepted the send without a message id$/, 'graph_unreadable_answer'],
  [/^Slack did not hand over the file\b/, 'slack_file'],
  [/^Graph URL outside WHATSAPP_API_URL$/, 'outside_api_url'],
  [/^Media URL (is not on a Meta media host|redirected|expired or not found)$/, 'media_link'],
];

/** The local failure a stored error stands for, or undefined when the error is Meta's. */
export function localFailureOf(error: { code: number; title?: string | undefined }): LocalFailure | undefined {
  if (error.code < 0) return BY_CODE.get(error.code);
  if (error.code !== 0) return undefined;
  const title = error.title?.trim() ?? '';
  return LEGACY_TITLES.find(([pattern]) => pattern.test(title))?.[1];
}

/** A few words naming the failure, where Meta's code would otherwise be shown (thread notice, digest). */
export function labelLocalFailure(failure: LocalFailure): string {
  switch (failure) {
    case 'graph_unreachable':
      return 'WhatsApp’s servers unreachable';
    case 'graph_connection_lost':
      return 'connection to WhatsApp lost';
    case 'graph_timeout':
      return 'no answer from WhatsApp in time';
    case 'graph_unreadable_answer':
      return 'no WhatsApp answer threadline could read';
    case 'slack_file':
      return 'Slack did not hand over the file';
    case 'outside_api_url':
      return 'call outside WHATSAPP_API_URL refused';
    case 'media_link':
      return 'media link not on Meta’s servers';
    default:
      return failure satisfies never;
  }
}

/** What happened and what to do, in plain words: the thread notice and the digest's failures. */
export function explainLocalFailure(failure: LocalFailure): string {
  switch (failure) {
    case 'graph_unreachable':
      return 'threadline could not reach WhatsApp’s servers (Meta’s Graph API), so the message never left; it tried several times and gave up. An admin should check this server’s internet connection, DNS, firewall or proxy, and WHATSAPP_API_URL. Then send the message again.';
    case 'graph_connection_lost':
      return 'The connection to WhatsApp’s servers broke before they answered, several times, so threadline gave up. An admin should check this server’s network or proxy. Then send the message again.';
    case 'graph_timeout':
      return 'WhatsApp’s servers (Meta’s Graph API) did not answer in time, several times, so threadline gave up. Meta may be slow (see metastatus.com) or this server’s network is struggling. Send the message again later; if it keeps happening, an admin should check the network or raise WHATSAPP_TIMEOUT_MS.';
    case 'graph_unreadable_answer':
      return 'Something other than Meta’s API answered threadline (for example a proxy or an outage page), so WhatsApp never said whether it took the message. An admin should check the proxy and WHATSAPP_API_URL. Then send the message again.';
    case 'slack_file':
      return 'Slack did not hand the attached file over to threadline, so it could not be passed on to WhatsApp. The file may have been deleted or be too large to fetch. Attach it again; if that keeps failing, an admin should check that the Slack app has the files:read scope.';
    case 'outside_api_url':
      return 'threadline refused to send the access token to an address outside WHATSAPP_API_URL. An admin must check WHATSAPP_API_URL.';
    case 'media_link':
      return 'The media link WhatsApp gave did not lead to Meta’s media servers (it redirected, expired or pointed elsewhere), so threadline did not follow it with the access token. Ask the customer to send it again.';
    default:
      return failure satisfies never;
  }
}
