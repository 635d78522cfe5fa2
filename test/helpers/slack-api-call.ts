/**
 * Calls a Slack Web API method over HTTP exactly as @slack/web-api v8 sends it: form-encoded, non-string values
 * JSON-stringified, the token as a bearer header (slack.md §1.4). `as: 'json'` sends a JSON body instead.
 */

export interface SlackHttpAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function callSlackApi(
  apiUrl: string,
  method: string,
  params: Record<string, unknown>,
  opts: { token?: string | null; as?: 'form' | 'json' } = {},
): Promise<SlackHttpAnswer> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string;
  if (opts.as === 'json') {
    headers['content-type'] = 'application/json; charset=utf-8';
    body = JSON.stringify(params);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      form.set(key, typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value));
    }
    body = form.toString();
  }
  const response = await fetch(`${apiUrl}${method}`, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { nonJsonBody: text };
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
