// @ts-check
import { subscribe } from './api.js';
import { createControls } from './controls.js';
import { h } from './dom.js';
import { createModals } from './modal.js';
import { createPhone } from './phone.js';
import { createSlack } from './slack.js';
import { Store } from './store.js';

/**
 * The playground page: controls on top, the customer's phone on the left, the team's Slack on the right. It
 * renders whatever the sandbox's emulators report over server-sent events.
 */

/** @typedef {import('./api.js').PlaygroundState} PlaygroundState */

/** @param {PlaygroundState} state */
function start(state) {
  /** @type {{ actingAs?: string, customer?: string, line?: string }} */
  let saved = {};
  try {
    saved = JSON.parse(localStorage.getItem('threadline-playground') ?? '{}');
  } catch {
    saved = {};
  }
  const params = new URLSearchParams(location.search);
  const persona = (id) => state.personas.find((p) => p.id === id || p.name === id)?.id;
  const store = new Store(state, {
    actingAs: persona(params.get('as')) ?? persona(saved.actingAs) ?? state.personas[0]?.id ?? '',
    channel: state.lines[0]?.channel ?? '',
    thread: null,
    slackView: 'channel',
    customer: saved.customer ?? state.customers[0]?.waId ?? '',
    line: saved.line ?? state.lines[0]?.phoneNumberId ?? '',
    dismissed: new Set(),
  });
  const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const modals = createModals(byId('modals'), store);
  const panels = [createControls(byId('controls'), store), createPhone(byId('phone'), store), createSlack(byId('slack'), store, modals), modals];
  store.subscribe(() => {
    for (const panel of panels) panel.render();
  });
  store.emit();
  const status = byId('connection');
  return { store, status };
}

let app = /** @type {ReturnType<typeof start> | undefined} */ (undefined);
subscribe(
  (state) => {
    if (!app) app = start(state);
    else app.store.setState(state);
    document.body.dataset.ready = 'true';
  },
  (connected) => {
    const status = document.getElementById('connection');
    if (status) status.replaceChildren(connected ? '' : h('span', { class: 'offline', text: 'Reconnecting to the sandbox…' }));
  },
);
