import { describeNetworkError } from './network-error';

/**
 * One read-only HTTP call of a setup probe (`threadline doctor`, the start-up check), answered as data: the parsed
 * JSON body, or in a few words why there is none. Shared by the Slack and the Graph probes, which differ only in how
 * an API says no (Slack's `ok:false`, Graph's `error` object).
 */

export type JsonAnswer = { kind: 'json'; status: number; headers: Headers; json: unknown } | { kind: 'unreachable'; detail: string };

export interface ProbeFetchOptions {
  timeoutMs: number;
  /** What a right base URL would have answered and the setting that names it: "a Slack answer (is SLACK_API_URL right?)". */
  notAnAnswer: string;
}

export async function fetchJsonAnswer(
  url: string | URL,
  init: { method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  opts: ProbeFetchOptions,
): Promise<JsonAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(opts.timeoutMs),
      // Both APIs answer in place; a redirect means the base URL points elsewhere (a portal, a captive proxy), and
      // following it would hand the token to whatever answers there.
      redirect: 'error',
    });
  } catch (error) {
    return { kind: 'unreachable', detail: describeNetworkError(error) };
  }
  try {
    return { kind: 'json', status: response.status, headers: response.headers, json: await response.json() };
  } catch {
    return { kind: 'unreachable', detail: `HTTP ${response.status} without ${opts.notAnAnswer}` };
  }
}
