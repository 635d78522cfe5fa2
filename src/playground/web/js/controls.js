// @ts-check
import { post } from './api.js';
import { h } from './dom.js';
import { attempt, toast } from './store.js';

/**
 * The bar above both panels: who the page acts as in Slack, the sandbox clock with its jumps, and the faults that
 * make the emulated Slack or WhatsApp misbehave.
 */

/** @typedef {import('./store.js').Store} Store */

const ROLE_HINT = {
  agent: 'claims, replies, notes, hands off their own conversations',
  manager: 'also reassigns anyone’s conversations and posts the digest',
  admin: 'also sets roles, routing and timeouts (/threadline)',
};

/** @param {HTMLElement} root @param {Store} store */
export function createControls(root, store) {
  const people = h('div', { class: 'people', role: 'radiogroup', 'aria-label': 'Acting as' });
  const clockText = h('span', { class: 'clock-text', 'data-testid': 'clock' });
  const faultsPanel = h('div', { class: 'faults-panel', hidden: true, 'data-testid': 'faults-panel' });
  const faultsButton = h('button', { type: 'button', class: 'btn', 'data-testid': 'faults-button', onclick: () => (faultsPanel.hidden = !faultsPanel.hidden) }, '⚡ Faults');

  /** @param {Record<string, unknown>} body */
  const clock = (body) => attempt(() => post('clock', body));

  root.append(
    h('div', { class: 'brand' }, h('strong', { text: 'threadline' }), h('span', { class: 'sandbox-badge', text: 'SANDBOX' }), h('span', { class: 'muted', text: 'a WhatsApp number as a team inbox in Slack' })),
    h('div', { class: 'control' }, h('span', { class: 'control-label', text: 'Acting in Slack as' }), people),
    h(
      'div',
      { class: 'control' },
      h('span', { class: 'control-label', text: 'Sandbox clock' }),
      clockText,
      h('button', { type: 'button', class: 'btn', 'data-testid': 'clock-30m', title: 'An owner who left the customer waiting is reminded', text: '+30 min', onclick: () => clock({ advanceMinutes: 30 }) }),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'clock-25h', title: 'The 24-hour window closes', text: '+25 h', onclick: () => clock({ advanceMinutes: 25 * 60 }) }),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'clock-digest', text: 'to 09:00', onclick: () => clock({ to: store.state.digest.time }) }),
    ),
    h('div', { class: 'control faults-host' }, faultsButton, faultsPanel),
  );

  const slackMethod = /** @type {HTMLSelectElement} */ (h('select', { 'aria-label': 'Slack method', 'data-testid': 'fault-slack-method' }));
  const slackKind = /** @type {HTMLSelectElement} */ (h('select', { 'aria-label': 'Slack answer', 'data-testid': 'fault-slack-kind' }));
  const waCode = /** @type {HTMLSelectElement} */ (h('select', { 'aria-label': 'WhatsApp error', 'data-testid': 'fault-wa-code' }));
  const times = /** @type {HTMLSelectElement} */ (h('select', { 'aria-label': 'How many calls' }, ...[1, 3, 10].map((n) => h('option', { value: String(n), text: `next ${n} call${n === 1 ? '' : 's'}` }))));
  const pending = h('ul', { class: 'faults-list', 'data-testid': 'faults-list' });
  /** @param {Record<string, unknown>} body @param {string} done */
  const inject = async (body, done) => {
    if (await attempt(() => post('faults', body))) toast(done);
  };
  faultsPanel.append(
    h('p', { class: 'muted', text: 'Make the emulated platforms misbehave and watch what threadline shows.' }),
    h('div', { class: 'fault-row' }, h('strong', { text: 'Slack' }), slackMethod, 'answers', slackKind,
      h('button', { type: 'button', class: 'btn', 'data-testid': 'fault-slack-inject', text: 'Break', onclick: () => inject({ target: 'slack', method: slackMethod.value, kind: slackKind.value, times: Number(times.value) }, `Slack's ${slackMethod.value} will fail`) })),
    h('div', { class: 'fault-row' }, h('strong', { text: 'WhatsApp' }), 'sends fail with', waCode,
      h('button', { type: 'button', class: 'btn', 'data-testid': 'fault-wa-inject', text: 'Break', onclick: () => inject({ target: 'whatsapp', code: waCode.value === 'timeout' ? 'timeout' : Number(waCode.value), times: Number(times.value) }, 'WhatsApp sends will fail') })),
    h('div', { class: 'fault-row' }, 'for the', times, h('button', { type: 'button', class: 'btn', text: 'Clear all', onclick: () => inject({ target: 'clear' }, 'Faults cleared') })),
    pending,
  );

  let optionsFilled = false;
  setInterval(() => (clockText.textContent = describeClock(store)), 1000);

  return {
    render() {
      const { state, ui } = store;
      if (!optionsFilled) {
        optionsFilled = true;
        slackMethod.replaceChildren(...state.faultOptions.slackMethods.map((m) => h('option', { value: m, text: m })));
        slackKind.replaceChildren(...state.faultOptions.slackKinds.map((k) => h('option', { value: k, text: k === 'http_429' ? '429 Too Many Requests' : k === 'timeout' ? 'nothing (timeout)' : k.replace('http_', 'HTTP ') })));
        waCode.replaceChildren(
          ...state.faultOptions.whatsappCodes.map((c) => h('option', { value: String(c.code), text: `${c.code} ${c.title}` })),
          h('option', { value: 'timeout', text: 'no answer (an uncertain send)' }),
        );
      }
      people.replaceChildren(
        ...state.personas.map((p) =>
          h(
            'button',
            { type: 'button', role: 'radio', 'aria-checked': String(p.id === ui.actingAs), class: `person${p.id === ui.actingAs ? ' active' : ''}`, title: `${p.title}: ${ROLE_HINT[p.role]}`, 'data-testid': `act-as-${p.name}`, onclick: () => store.setUi({ actingAs: p.id }) },
            h('span', { class: 'person-name', text: p.displayName ?? p.name }),
            h('span', { class: `role role-${p.role}`, text: p.role }),
          ),
        ),
      );
      clockText.textContent = describeClock(store);
      faultsButton.classList.toggle('armed', state.faults.length > 0);
      pending.replaceChildren(...state.faults.map((f) => h('li', { text: `${f.target === 'slack' ? 'Slack' : 'WhatsApp'}: ${f.description} — ${f.remaining} more` })));
    },
  };
}

/** @param {Store} store */
function describeClock(store) {
  const now = store.now();
  const ahead = store.state.aheadMs;
  const text = now.toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone: store.state.digest.timeZone, timeZoneName: 'short' });
  if (ahead < 60_000) return text;
  const hours = Math.floor(ahead / 3_600_000);
  const minutes = Math.round((ahead % 3_600_000) / 60_000);
  return `${text} (+${hours ? `${hours} h ` : ''}${minutes ? `${minutes} min` : ''})`.replace(' )', ')');
}
