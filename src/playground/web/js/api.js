// @ts-check
/**
 * The playground's own API (src/playground/playground.ts): the emulators' state and what people do. Nothing here
 * talks to threadline; the emulators do, over its real webhooks and /slack/events.
 */

/**
 * @typedef {import('../../state-types').PlaygroundState} PlaygroundState
 * @typedef {{ ok: boolean, error?: string, status?: number, errors?: Record<string, string> }} ActionAnswer
 */

/**
 * @param {'customer' | 'slack' | 'clock' | 'faults'} path
 * @param {unknown} body
 * @returns {Promise<ActionAnswer>}
 */
export async function post(path, body) {
  const res = await fetch(`/playground/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = /** @type {ActionAnswer} */ (await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` })));
  if (!answer.ok) throw new Error(answer.error ?? `HTTP ${res.status}`);
  return answer;
}

/**
 * Live state over server-sent events; the browser reconnects by itself.
 * @param {(state: PlaygroundState) => void} onState
 * @param {(connected: boolean) => void} onConnection
 */
export function subscribe(onState, onConnection) {
  const source = new EventSource('/playground/api/events');
  source.addEventListener('state', (event) => onState(JSON.parse(/** @type {MessageEvent} */ (event).data)));
  source.addEventListener('open', () => onConnection(true));
  source.addEventListener('error', () => onConnection(false));
  return source;
}
