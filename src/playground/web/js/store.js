// @ts-check
import { h } from './dom.js';

/**
 * The page's state: the latest sandbox state from the server, plus what this browser tab chose (who it acts as,
 * which channel and thread are open, which customer holds the phone). Panels re-render when either changes.
 */

/**
 * @typedef {import('./api.js').PlaygroundState} PlaygroundState
 * @typedef {{
 *   actingAs: string,
 *   channel: string,
 *   thread: string | null,
 *   slackView: 'channel' | 'home' | 'messages',
 *   customer: string,
 *   line: string,
 *   dismissed: Set<string>,
 * }} UiState
 */

export class Store {
  /** @param {PlaygroundState} state @param {UiState} ui */
  constructor(state, ui) {
    this.state = state;
    this.ui = ui;
    /** When the state arrived, to run the sandbox clock forward between updates. */
    this.receivedAt = Date.now();
    /** @type {Set<() => void>} */
    this.listeners = new Set();
  }

  /** @param {() => void} listener */
  subscribe(listener) {
    this.listeners.add(listener);
  }

  /** @param {PlaygroundState} state */
  setState(state) {
    this.state = state;
    this.receivedAt = Date.now();
    this.emit();
  }

  /** @param {Partial<UiState>} patch */
  setUi(patch) {
    Object.assign(this.ui, patch);
    try {
      localStorage.setItem('threadline-playground', JSON.stringify({ actingAs: this.ui.actingAs, customer: this.ui.customer, line: this.ui.line }));
    } catch {
      // Private windows may refuse storage; the choice then lasts for this tab only.
    }
    this.emit();
  }

  emit() {
    for (const listener of this.listeners) listener();
  }

  /** The sandbox's time now (it keeps running between updates). */
  now() {
    return new Date(new Date(this.state.now).getTime() + (Date.now() - this.receivedAt));
  }

  /** @param {string} id */
  userName(id) {
    const user = this.state.slack.users.find((u) => u.id === id);
    return user ? user.displayName : id;
  }

  /** @param {string} id */
  channelName(id) {
    return this.state.slack.channels.find((c) => c.id === id)?.name ?? id;
  }

  get directory() {
    return { userName: (/** @type {string} */ id) => this.userName(id), channelName: (/** @type {string} */ id) => this.channelName(id) };
  }
}

/**
 * A short message at the bottom of the page (an action that failed, or what just happened).
 * @param {string} text
 * @param {'error' | 'info'} [kind]
 */
export function toast(text, kind = 'info') {
  const host = document.getElementById('toasts');
  if (!host) return;
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', text });
  host.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 3500);
}

/**
 * Runs an action and shows its failure instead of throwing it away.
 * @param {() => Promise<unknown>} run
 */
export async function attempt(run) {
  try {
    return await run();
  } catch (err) {
    toast(err instanceof Error ? err.message : String(err), 'error');
    return undefined;
  }
}
