// @ts-check
import { post } from './api.js';
import { renderBlocks, textHtml } from './block-kit.js';
import { h } from './dom.js';
import { attempt } from './store.js';

/**
 * Modals as dialogs: the view on top of the acting person's modal stack (views.open / push / update), submitted as
 * Slack's view_submission with every input's value, or closed. Also the confirm dialogs buttons may carry.
 */

/** @typedef {import('./store.js').Store} Store */

/** @param {HTMLElement} host @param {Store} store */
export function createModals(host, store) {
  /** The view shown now, by id and hash: a live update re-renders it only when Slack's copy changed. */
  let shown = '';

  /** @param {Record<string, any>} dialog @returns {Promise<boolean>} */
  const confirm = (dialog) =>
    new Promise((resolve) => {
      const done = (/** @type {boolean} */ ok) => {
        overlay.remove();
        resolve(ok);
      };
      const overlay = h(
        'div',
        { class: 'overlay', 'data-testid': 'confirm' },
        h(
          'div',
          { class: 'dialog dialog-small', role: 'alertdialog', 'aria-modal': 'true' },
          h('h2', { text: dialog.title?.text ?? 'Are you sure?' }),
          h('div', { class: 'bk-text', html: textHtml(dialog.text, store.directory) }),
          h(
            'div',
            { class: 'dialog-buttons' },
            h('button', { type: 'button', class: 'btn', text: dialog.deny?.text ?? 'Cancel', onclick: () => done(false) }),
            h('button', { type: 'button', class: `btn btn-${dialog.style === 'danger' ? 'danger' : 'primary'}`, text: dialog.confirm?.text ?? 'Yes', onclick: () => done(true) }),
          ),
        ),
      );
      document.body.append(overlay);
    });

  const render = () => {
    const user = store.ui.actingAs;
    const view = store.state.slack.modals[user];
    const key = view ? `${user}:${view.id}:${view.hash}` : '';
    if (key === shown) return;
    shown = key;
    if (!view) return void host.replaceChildren();
    /** @type {Map<string, { actionId: string, read: () => string | string[] | null }>} */
    const form = new Map();
    const ctx = {
      dir: store.directory,
      users: store.state.slack.users,
      channels: store.state.slack.channels,
      confirm,
      form,
      onAction: (/** @type {import('./block-kit.js').BlockAction} */ a) =>
        attempt(() => post('slack', { kind: a.kind, user, viewId: view.id, actionId: a.actionId, blockId: a.blockId, ...(a.kind === 'click' ? { value: a.value } : { selected: a.selected ?? null }) })),
    };
    const body = h('div', { class: 'dialog-body' }, renderBlocks(view.blocks, ctx));
    const close = () => attempt(() => post('slack', { kind: 'close', user, viewId: view.id }));
    const submit = async () => {
      /** @type {Record<string, Record<string, string | string[] | null>>} */
      const values = {};
      for (const [blockId, input] of form) values[blockId] = { [input.actionId]: input.read() };
      const answer = await attempt(() => post('slack', { kind: 'submit', user, viewId: view.id, values }));
      const errors = /** @type {{ errors?: Record<string, string> } | undefined} */ (answer)?.errors;
      for (const el of body.querySelectorAll('.bk-error')) el.remove();
      for (const [blockId, message] of Object.entries(errors ?? {})) {
        body.querySelector(`[data-block-id="${CSS.escape(blockId)}"]`)?.append(h('div', { class: 'bk-error', text: message }));
      }
    };
    const title = /** @type {{ text?: string } | undefined} */ (view.title)?.text ?? '';
    const submitText = /** @type {{ text?: string } | undefined} */ (view.submit)?.text;
    const closeText = /** @type {{ text?: string } | undefined} */ (view.close)?.text ?? 'Cancel';
    host.replaceChildren(
      h(
        'div',
        { class: 'overlay', 'data-testid': 'modal' },
        h(
          'div',
          { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
          h('div', { class: 'dialog-head' }, h('h2', { text: title }), h('button', { type: 'button', class: 'close', 'aria-label': 'Close', text: '×', onclick: close })),
          body,
          h(
            'div',
            { class: 'dialog-buttons' },
            h('button', { type: 'button', class: 'btn', text: closeText, 'data-testid': 'modal-close', onclick: close }),
            submitText ? h('button', { type: 'button', class: 'btn btn-primary', text: submitText, 'data-testid': 'modal-submit', onclick: () => void submit() }) : null,
          ),
        ),
      ),
    );
  };

  return { render, confirm };
}
