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

  /** What the person had entered in the view shown now, by block: kept when a views.update re-renders it. */
  /** @type {{ viewId: string, values: Map<string, { actionId: string, type: string, value: import('./block-kit.js').InputValue }>, focused?: string }} */
  let entered = { viewId: '', values: new Map() };

  /** @param {Map<string, import('./block-kit.js').FormInput>} form */
  const formValues = (form) => {
    /** @type {Record<string, Record<string, import('./block-kit.js').InputValue>>} */
    const values = {};
    for (const [blockId, input] of form) values[blockId] = { [input.actionId]: input.read() };
    return values;
  };

  /** @param {File} file @returns {Promise<string>} */
  const uploadFile = async (file) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    const answer = await post('slack', { kind: 'file_input_upload', user: store.ui.actingAs, name: file.name, mimetype: file.type || undefined, dataBase64: btoa(binary) });
    return String(/** @type {{ fileId?: string }} */ (answer).fileId ?? '');
  };

  const render = () => {
    const user = store.ui.actingAs;
    const view = store.state.slack.modals[user];
    const key = view ? `${user}:${view.id}:${view.hash}` : '';
    if (key === shown) return;
    shown = key;
    if (!view) {
      entered = { viewId: '', values: new Map() };
      return void host.replaceChildren();
    }
    /** @type {Map<string, import('./block-kit.js').FormInput>} */
    const form = new Map();
    const ctx = {
      dir: store.directory,
      users: store.state.slack.users,
      channels: store.state.slack.channels,
      confirm,
      form,
      uploadFile,
      // A dispatching input sends the form as it is now, as Slack's view.state in block_actions (slack.md §4).
      onAction: (/** @type {import('./block-kit.js').BlockAction} */ a) =>
        attempt(() =>
          post('slack', {
            kind: a.kind,
            user,
            viewId: view.id,
            actionId: a.actionId,
            blockId: a.blockId,
            ...(a.kind === 'click' ? { value: a.value } : { selected: a.selected ?? null }),
            values: formValues(form),
          }),
        ),
    };
    const body = h('div', { class: 'dialog-body' }, renderBlocks(view.blocks, ctx));
    // The same view updated (views.update): Slack keeps what the person entered in every input whose block_id and
    // element stay, whatever initial_value the update carries (bolt-python#1064); a new block_id starts afresh.
    if (entered.viewId === view.id) {
      for (const [blockId, input] of form) {
        const before = entered.values.get(blockId);
        if (before && before.actionId === input.actionId && before.type === input.type) input.write(before.value);
      }
    }
    const remember = () => {
      entered = { viewId: view.id, values: new Map([...form].map(([blockId, input]) => [blockId, { actionId: input.actionId, type: input.type, value: input.read() }])) };
      const focused = document.activeElement?.closest('[data-block-id]');
      if (focused instanceof HTMLElement && body.contains(focused)) entered.focused = focused.dataset.blockId;
    };
    body.addEventListener('input', remember);
    body.addEventListener('change', remember);
    body.addEventListener('focusin', remember);
    const refocus = entered.viewId === view.id ? entered.focused : undefined;
    remember();
    const close = () => attempt(() => post('slack', { kind: 'close', user, viewId: view.id }));
    const submit = async () => {
      const answer = await attempt(() => post('slack', { kind: 'submit', user, viewId: view.id, values: formValues(form) }));
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
    if (refocus) {
      const field = /** @type {HTMLInputElement | null} */ (body.querySelector(`[data-block-id="${CSS.escape(refocus)}"] input, [data-block-id="${CSS.escape(refocus)}"] textarea, [data-block-id="${CSS.escape(refocus)}"] select`));
      field?.focus();
      if (field && 'setSelectionRange' in field && field.type === 'text') field.setSelectionRange(field.value.length, field.value.length);
    }
  };

  return { render, confirm };
}
