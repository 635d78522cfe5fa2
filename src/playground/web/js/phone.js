// @ts-check
import { post } from './api.js';
import { formatPhone, formatTime, h, readAsBase64, StickyScroll } from './dom.js';
import { attempt, toast } from './store.js';

/**
 * The customer's WhatsApp phone: pick or create a customer and the business line they write to, send text, a
 * photo or document, a location, a reaction or a button reply, and watch the business's answers arrive with their
 * ticks (sent ✓, delivered ✓✓, read ✓✓ in blue).
 */

/**
 * @typedef {import('./store.js').Store} Store
 * @typedef {import('./api.js').PlaygroundState['phone'][number]} Chat
 * @typedef {Chat['messages'][number]} PhoneMessage
 */

const REACTIONS = ['👍', '❤️', '😂', '😮', '🙏'];
/** Where the "share location" button says the customer is. */
const HERE = { latitude: 38.7078, longitude: -9.1366, name: 'Praça do Comércio', address: 'Praça do Comércio, 1100-148 Lisboa' };

/** @param {HTMLElement} root @param {Store} store */
export function createPhone(root, store) {
  const customerSelect = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'customer-select', 'aria-label': 'Customer' }));
  const lineSelect = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'line-select', 'aria-label': 'Business line' }));
  const newName = /** @type {HTMLInputElement} */ (h('input', { placeholder: 'Name', required: true, 'aria-label': 'New customer name' }));
  const newNumber = /** @type {HTMLInputElement} */ (h('input', { placeholder: 'Number, e.g. 351912345678', required: true, pattern: '\\+?[0-9 ]{6,18}', 'aria-label': 'New customer number' }));
  const newForm = /** @type {HTMLFormElement} */ (
    h('form', { class: 'new-customer', hidden: true }, newName, newNumber, h('button', { class: 'btn btn-primary', type: 'submit', text: 'Add' }))
  );
  const chatEl = h('div', { class: 'wa-chat', role: 'log', 'aria-label': 'WhatsApp chat', 'data-testid': 'wa-chat' });
  const scroll = new StickyScroll(chatEl);
  const header = h('div', { class: 'wa-header' });
  const text = /** @type {HTMLInputElement} */ (h('input', { class: 'wa-input', placeholder: 'Message', 'aria-label': 'WhatsApp message', 'data-testid': 'wa-input' }));
  const fileInput = /** @type {HTMLInputElement} */ (h('input', { type: 'file', hidden: true, 'data-testid': 'wa-file' }));
  const attachMenu = h('div', { class: 'wa-attach-menu', hidden: true });
  const composer = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'wa-composer' },
      h('button', { type: 'button', class: 'wa-icon', title: 'Attach', 'aria-label': 'Attach', 'data-testid': 'wa-attach', onclick: () => (attachMenu.hidden = !attachMenu.hidden) }, '📎'),
      text,
      h('button', { type: 'submit', class: 'wa-send', title: 'Send', 'aria-label': 'Send', 'data-testid': 'wa-send' }, '➤'),
    )
  );
  /** @type {'image' | 'document'} */
  let pickedKind = 'image';

  root.append(
    h('div', { class: 'panel-title' }, h('span', { class: 'wa-logo', 'aria-hidden': 'true' }, '🟢'), 'Customer on WhatsApp'),
    h(
      'div',
      { class: 'phone-setup' },
      h('label', {}, 'Customer ', customerSelect),
      h('button', { type: 'button', class: 'btn', text: '+ New', onclick: () => (newForm.hidden = !newForm.hidden) }),
      h('label', {}, 'writes to ', lineSelect),
    ),
    newForm,
    h('div', { class: 'phone' }, header, chatEl, attachMenu, composer, fileInput),
  );

  const current = () => {
    const customer = store.state.customers.find((c) => c.waId === store.ui.customer) ?? store.state.customers[0];
    const line = store.state.lines.find((l) => l.phoneNumberId === store.ui.line) ?? store.state.lines[0];
    return { customer, line };
  };

  /** @param {Record<string, unknown>} message */
  const send = (message) => {
    const { customer, line } = current();
    if (!customer || !line) return Promise.resolve();
    return attempt(() => post('customer', { waId: customer.waId, name: customer.name, phoneNumberId: line.phoneNumberId, message }));
  };

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = text.value.trim();
    if (!body) return;
    text.value = '';
    void send({ kind: 'text', text: body });
  });
  attachMenu.append(
    h('button', { type: 'button', text: '🖼️ Photo', onclick: () => pick('image') }),
    h('button', { type: 'button', text: '📄 Document', onclick: () => pick('document') }),
    h('button', { type: 'button', text: '📍 Location', onclick: () => { attachMenu.hidden = true; void send({ kind: 'location', ...HERE }); } }),
    h('button', {
      type: 'button',
      text: '🔘 Button reply',
      title: "Tap a template's quick-reply button",
      onclick: () => {
        attachMenu.hidden = true;
        const last = lastBusinessMessage();
        void send({ kind: 'quick_reply', text: text.value.trim().slice(0, 20) || 'Yes, please', ...(last ? { messageId: last.id } : {}) });
        text.value = '';
      },
    }),
  );
  /** @param {'image' | 'document'} kind */
  function pick(kind) {
    pickedKind = kind;
    attachMenu.hidden = true;
    fileInput.accept = kind === 'image' ? 'image/*' : '';
    fileInput.click();
  }
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (!file) return;
    const dataBase64 = await readAsBase64(file);
    const caption = text.value.trim();
    text.value = '';
    await send({ kind: 'media', mediaType: pickedKind, filename: file.name, mimeType: file.type || 'application/octet-stream', dataBase64, ...(caption ? { caption } : {}) });
  });
  customerSelect.addEventListener('change', () => store.setUi({ customer: customerSelect.value }));
  lineSelect.addEventListener('change', () => store.setUi({ line: lineSelect.value }));
  newForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const waId = newNumber.value.replace(/\D/g, '');
    const name = newName.value.trim();
    if (waId.length < 6 || !name) return toast('A name and a number with its country code, please.', 'error');
    newForm.hidden = true;
    newName.value = newNumber.value = '';
    store.state.customers.push({ waId, name });
    store.setUi({ customer: waId });
    toast(`${name} is holding the phone now: send them a message.`);
  });

  const chatOf = () => {
    const { customer, line } = current();
    return store.state.phone.find((c) => c.waId === customer?.waId && c.phoneNumberId === line?.phoneNumberId);
  };
  const lastBusinessMessage = () => chatOf()?.messages.filter((m) => m.from === 'business').at(-1);

  /** @param {PhoneMessage} message */
  const bubble = (message) => {
    const mine = message.from === 'customer';
    const body = h('div', { class: 'wa-body' });
    const media = !message.media
      ? null
      : message.media.url && message.media.mimeType?.startsWith('image/')
        ? h('img', { class: 'wa-image', src: message.media.url, alt: message.media.filename ?? 'photo' })
        : h('a', { class: 'wa-doc', href: message.media.url ?? '#', target: '_blank', text: `📄 ${message.media.filename ?? message.type}` });
    if (message.template) {
      // A template's header media comes first, above its text, as WhatsApp shows it.
      if (media) body.append(media);
      body.append(
        h('div', { class: 'wa-template-tag', text: `Template · ${message.template.name} (${message.template.language})` }),
        h('div', { text: message.template.parameters.length ? message.template.parameters.join(' · ') : message.template.name }),
      );
    } else if (media) body.append(media);
    if (message.location) {
      body.append(h('div', { class: 'wa-location', text: `📍 ${message.location.name ?? 'Location'}${message.location.address ? ` — ${message.location.address}` : ''}` }));
    }
    if (message.type === 'button' || message.type === 'interactive') body.append(h('div', { class: 'wa-template-tag', text: 'Button reply' }));
    if (message.deleted) body.append(h('div', { class: 'wa-deleted', text: '🚫 You deleted this message' }));
    if (message.text) body.append(h('div', { class: 'wa-text', text: message.text }));
    const ticks = tickOf(message);
    const meta = h('div', { class: 'wa-meta' }, message.edited ? 'Edited ' : '', formatTime(new Date(message.at), store.now()), ticks);
    const reactions = message.reactions.length ? h('div', { class: 'wa-reactions' }, ...message.reactions.map((r) => h('span', { title: r.by === 'customer' ? 'You' : 'The business', text: r.emoji }))) : null;
    const buttons = message.buttons?.length
      ? h(
          'div',
          { class: 'wa-buttons' },
          ...message.buttons.map((b) => h('button', { type: 'button', text: b.title, onclick: () => send({ kind: 'button_reply', messageId: message.id, replyId: b.id, title: b.title }) })),
        )
      : null;
    // What a coexistence customer can do to their own message: edit a text, delete anything for everyone.
    const change = (kind) => {
      if (kind === 'revoke') return send({ kind: 'revoke', messageId: message.id });
      const text = window.prompt('Edit your message', message.text ?? '');
      if (text?.trim()) send({ kind: 'edit', messageId: message.id, text });
    };
    const react = mine
      ? message.deleted
        ? null
        : h(
            'div',
            { class: 'wa-react-bar', 'aria-label': 'Change your message' },
            message.type === 'text' ? h('button', { type: 'button', text: '✏️', title: 'Edit', onclick: () => change('edit') }) : null,
            h('button', { type: 'button', text: '🗑️', title: 'Delete for everyone', onclick: () => change('revoke') }),
          )
      : h(
          'div',
          { class: 'wa-react-bar', 'aria-label': 'React' },
          ...REACTIONS.map((emoji) => h('button', { type: 'button', text: emoji, title: `React ${emoji}`, onclick: () => send({ kind: 'reaction', messageId: message.id, emoji }) })),
        );
    return h(
      'div',
      { class: `wa-row ${mine ? 'wa-mine' : 'wa-theirs'}`, 'data-testid': mine ? 'wa-customer-message' : 'wa-business-message', dataset: { tick: message.tick ?? '', wamid: message.id } },
      h('div', { class: 'wa-bubble' }, body, meta, message.error ? h('div', { class: 'wa-error', text: `Not delivered: ${message.error}` }) : null, reactions, react),
      buttons,
    );
  };

  return {
    render() {
      const { customers, lines } = store.state;
      const { customer, line } = current();
      syncOptions(customerSelect, customers.map((c) => ({ value: c.waId, label: `${c.name} (${formatPhone(c.waId)})` })), customer?.waId ?? '');
      syncOptions(lineSelect, lines.map((l) => ({ value: l.phoneNumberId, label: `${l.label} ${formatPhone(l.displayPhoneNumber)}` })), line?.phoneNumberId ?? '');
      header.replaceChildren(
        h('div', { class: 'wa-avatar', 'aria-hidden': 'true', text: '🏪' }),
        h('div', {}, h('div', { class: 'wa-title', text: `Acme ${line?.label ?? ''}` }), h('div', { class: 'wa-subtitle', text: `${line ? formatPhone(line.displayPhoneNumber) : ''} · business account` })),
        h('div', { class: 'wa-holder', text: customer ? `📱 ${customer.name}` : '' }),
      );
      const chat = chatOf();
      scroll.update(() =>
        chatEl.replaceChildren(
          ...(chat?.messages.length ? chat.messages.map(bubble) : [h('div', { class: 'wa-empty', text: `Say hello to ${line?.label ?? 'the business'}: type below and press Enter.` })]),
        ),
      );
    },
  };
}

/** @param {PhoneMessage} message */
function tickOf(message) {
  if (message.from === 'customer') return h('span', { class: `wa-tick${message.tick === 'read' ? ' read' : ''}`, title: message.tick === 'read' ? 'Read by the business' : 'Delivered', text: '✓✓' });
  switch (message.tick) {
    case 'read':
      return h('span', { class: 'wa-tick read', title: 'Read', text: '✓✓' });
    case 'delivered':
      return h('span', { class: 'wa-tick', title: 'Delivered', text: '✓✓' });
    case 'sent':
      return h('span', { class: 'wa-tick', title: 'Sent', text: '✓' });
    case 'failed':
      return h('span', { class: 'wa-tick failed', title: 'Failed', text: '⚠' });
    default:
      return h('span', { class: 'wa-tick', title: 'Sending', text: '🕓' });
  }
}

/**
 * Replaces a select's options only when they changed, so an open dropdown is not reset by a live update.
 * @param {HTMLSelectElement} select
 * @param {{ value: string, label: string }[]} options
 * @param {string} value
 */
export function syncOptions(select, options, value) {
  const key = JSON.stringify(options);
  if (select.dataset.options !== key) {
    select.replaceChildren(...options.map((o) => h('option', { value: o.value, text: o.label })));
    select.dataset.options = key;
  }
  if (select.value !== value) select.value = value;
}
