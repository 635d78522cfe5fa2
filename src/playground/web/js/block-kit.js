// @ts-check
import { h } from './dom.js';
import { mrkdwnToHtml, plainToHtml } from './mrkdwn.js';

/**
 * Renders the Block Kit threadline posted (messages, ephemerals, modals, App Home) the way a Slack client lays it
 * out, generically: any block or element the app sends is shown, and every interactive element reports what the
 * person did through `onAction`, so the page can send Slack's real block_actions for it (slack.md §4, §5).
 */

/**
 * @typedef {Record<string, any>} Json
 * @typedef {import('./mrkdwn.js').Directory} Directory
 * @typedef {{ id: string, name: string, displayName: string, isBot: boolean }} UserOption
 * @typedef {{ id: string, name: string, kind: string }} ChannelOption
 * @typedef {{ actionId: string, blockId: string, kind: 'click' | 'choose', value?: string, selected?: string | string[] | null }} BlockAction
 * @typedef {string | string[] | null} InputValue
 * @typedef {{ actionId: string, type: string, read: () => InputValue, write: (value: InputValue) => void }} FormInput
 * @typedef {{
 *   dir: Directory,
 *   users: UserOption[],
 *   channels: ChannelOption[],
 *   onAction: (action: BlockAction) => void,
 *   confirm: (dialog: Json) => Promise<boolean>,
 *   form?: Map<string, FormInput>,
 *   uploadFile?: (file: File) => Promise<string>,
 *   errors?: Record<string, string>,
 * }} BlockContext
 */

/** @param {Json | undefined} textObject @param {Directory} dir */
export function textHtml(textObject, dir) {
  if (!textObject || typeof textObject.text !== 'string') return '';
  return textObject.type === 'mrkdwn' ? mrkdwnToHtml(textObject.text, dir) : plainToHtml(textObject.text);
}

/** @param {Json | undefined} textObject */
function plain(textObject) {
  return textObject && typeof textObject.text === 'string' ? textObject.text : '';
}

/**
 * @param {unknown[]} blocks
 * @param {BlockContext} ctx
 */
export function renderBlocks(blocks, ctx) {
  return h('div', { class: 'blocks' }, ...blocks.map((b) => renderBlock(/** @type {Json} */ (b), ctx)));
}

/** @param {Json} block @param {BlockContext} ctx @returns {HTMLElement} */
function renderBlock(block, ctx) {
  const blockId = typeof block.block_id === 'string' ? block.block_id : '';
  switch (block.type) {
    case 'header':
      return h('div', { class: 'bk-header', html: plainToHtml(plain(block.text)) });
    case 'section': {
      const body = h('div', { class: 'bk-section-body' });
      if (block.text) body.append(h('div', { class: 'bk-text', html: textHtml(block.text, ctx.dir) }));
      if (Array.isArray(block.fields)) {
        body.append(h('div', { class: 'bk-fields' }, ...block.fields.map((f) => h('div', { class: 'bk-field', html: textHtml(f, ctx.dir) }))));
      }
      const accessory = block.accessory ? renderElement(block.accessory, blockId, ctx) : null;
      return h('div', { class: 'bk-section' }, body, accessory && h('div', { class: 'bk-accessory' }, accessory));
    }
    case 'context':
      return h(
        'div',
        { class: 'bk-context' },
        ...(block.elements ?? []).map((/** @type {Json} */ e) =>
          e.type === 'image' ? h('img', { src: e.image_url, alt: e.alt_text ?? '', class: 'bk-context-img' }) : h('span', { html: textHtml(e, ctx.dir) }),
        ),
      );
    case 'divider':
      return h('hr', { class: 'bk-divider' });
    case 'actions':
      return h('div', { class: 'bk-actions' }, ...(block.elements ?? []).map((/** @type {Json} */ e) => renderElement(e, blockId, ctx)));
    case 'image':
      return h(
        'figure',
        { class: 'bk-image' },
        block.title ? h('figcaption', { text: plain(block.title) }) : null,
        h('img', { src: block.image_url ?? block.slack_file?.url ?? '', alt: block.alt_text ?? '' }),
      );
    case 'rich_text':
      return h('div', { class: 'bk-text', text: richTextToPlain(block) });
    case 'input':
      return renderInput(block, ctx);
    default:
      return h('div', { class: 'bk-unknown', text: `[${String(block.type)} block]` });
  }
}

/** @param {Json} block */
function richTextToPlain(block) {
  /** @param {Json} node @returns {string} */
  const walk = (node) => {
    if (typeof node.text === 'string') return node.text;
    if (node.type === 'user') return `@${node.user_id}`;
    if (node.type === 'link') return node.text ?? node.url ?? '';
    if (node.type === 'emoji') return `:${node.name}:`;
    return Array.isArray(node.elements) ? node.elements.map(walk).join('') : '';
  };
  return walk(block);
}

/** @param {Json} element @param {string} blockId @param {BlockContext} ctx @returns {HTMLElement} */
function renderElement(element, blockId, ctx) {
  const actionId = String(element.action_id ?? '');
  /** @param {Omit<BlockAction, 'actionId' | 'blockId'>} rest */
  const act = (rest) => ctx.onAction({ actionId, blockId, ...rest });
  switch (element.type) {
    case 'button': {
      const cls = `btn${element.style ? ` btn-${element.style}` : ''}`;
      return h('button', {
        class: cls,
        type: 'button',
        dataset: { actionId },
        html: plainToHtml(plain(element.text)),
        onclick: async () => {
          if (element.confirm && !(await ctx.confirm(element.confirm))) return;
          if (element.url) window.open(element.url, '_blank', 'noopener');
          act({ kind: 'click', value: element.value });
        },
      });
    }
    case 'image':
      return h('img', { class: 'bk-accessory-img', src: element.image_url, alt: element.alt_text ?? '' });
    case 'overflow':
      return selectOf(element, [{ value: '', label: '⋯', disabled: true }, ...optionsOf(element)], '', (v) => act({ kind: 'choose', selected: v }));
    case 'static_select':
    case 'external_select':
      return selectOf(element, withPlaceholder(element, optionsOf(element)), element.initial_option?.value ?? '', (v) => act({ kind: 'choose', selected: v }));
    case 'users_select':
      return selectOf(element, withPlaceholder(element, userOptions(ctx)), element.initial_user ?? '', (v) => act({ kind: 'choose', selected: v }));
    case 'conversations_select':
    case 'channels_select':
      return selectOf(element, withPlaceholder(element, channelOptions(ctx)), element.initial_conversation ?? element.initial_channel ?? '', (v) =>
        act({ kind: 'choose', selected: v }),
      );
    case 'radio_buttons':
    case 'checkboxes':
      return choiceGroup(element, `${blockId}/${actionId}`, () => undefined, (values) =>
        act({ kind: 'choose', selected: element.type === 'radio_buttons' ? (values[0] ?? null) : values }),
      );
    default:
      return h('span', { class: 'bk-unknown', text: `[${String(element.type)}]` });
  }
}

/** @param {Json} element @returns {{ value: string, label: string, disabled?: boolean }[]} */
function optionsOf(element) {
  const direct = element.options ?? [];
  const grouped = (element.option_groups ?? []).flatMap((/** @type {Json} */ g) => g.options ?? []);
  return [...direct, ...grouped].map((/** @type {Json} */ o) => ({ value: String(o.value), label: plain(o.text) }));
}

/** @param {Json} element @param {{ value: string, label: string, disabled?: boolean }[]} options */
function withPlaceholder(element, options) {
  return [{ value: '', label: plain(element.placeholder) || 'Choose…', disabled: true }, ...options];
}

/** @param {BlockContext} ctx */
function userOptions(ctx) {
  return ctx.users.filter((u) => !u.isBot).map((u) => ({ value: u.id, label: u.displayName }));
}

/** @param {BlockContext} ctx */
function channelOptions(ctx) {
  return ctx.channels.filter((c) => c.kind === 'channel').map((c) => ({ value: c.id, label: `#${c.name}` }));
}

/**
 * @param {Json} element
 * @param {{ value: string, label: string, disabled?: boolean }[]} options
 * @param {string} initial
 * @param {(value: string) => void} [onChange]
 */
function selectOf(element, options, initial, onChange) {
  const select = /** @type {HTMLSelectElement} */ (
    h('select', { class: 'bk-select', dataset: { actionId: String(element.action_id ?? '') } }, ...options.map((o) => h('option', { value: o.value, disabled: o.disabled, text: o.label })))
  );
  select.value = initial;
  if (onChange) select.addEventListener('change', () => onChange(select.value));
  return select;
}

/**
 * @param {Json} element
 * @param {string} name
 * @param {(read: () => string[]) => void} register
 * @param {(values: string[]) => void} [onChange]
 */
function choiceGroup(element, name, register, onChange) {
  const type = element.type === 'radio_buttons' ? 'radio' : 'checkbox';
  const initial = new Set(
    element.type === 'radio_buttons'
      ? [element.initial_option?.value].filter(Boolean)
      : (element.initial_options ?? []).map((/** @type {Json} */ o) => o.value),
  );
  const inputs = optionsOf(element).map((o) => {
    const input = /** @type {HTMLInputElement} */ (h('input', { type, name, value: o.value, checked: initial.has(o.value) }));
    if (onChange) input.addEventListener('change', () => onChange(read()));
    return { input, label: o.label };
  });
  const read = () => inputs.filter((i) => i.input.checked).map((i) => i.input.value);
  register(read);
  return h('div', { class: 'bk-choices' }, ...inputs.map((i) => h('label', { class: 'bk-choice' }, i.input, ' ', i.label)));
}

/**
 * When a dispatching plain_text_input sends block_actions: on Enter, on every character, or both (Slack's
 * dispatch_action_config; docs.slack.dev/reference/block-kit/composition-objects/dispatch-action-configuration-object).
 * Without a config we take on_enter_pressed (inference: the docs give no default, and Enter is what Slack's hint
 * under such an input names).
 * @param {Json} element
 */
function triggersOf(element) {
  const on = element.dispatch_action_config?.trigger_actions_on;
  return new Set(Array.isArray(on) && on.length > 0 ? on : ['on_enter_pressed']);
}

/** Characters typed in a row are sent once the person pauses (the client does not post a request per key). */
const TYPING_PAUSE_MS = 250;

/**
 * An input block of a modal: its element's value is read when the form is submitted (view_submission state), and,
 * when the block sets dispatch_action, each change is also sent at once as block_actions carrying the form so far
 * (slack.md §4 [D-BLOCK-ACTIONS]: "*_select: when an item is chosen", plain_text_input by its dispatch config).
 * `write` puts back what the person had entered when the same view is re-rendered after a views.update.
 */
/** @param {Json} block @param {BlockContext} ctx */
function renderInput(block, ctx) {
  const blockId = String(block.block_id ?? '');
  const element = /** @type {Json} */ (block.element ?? {});
  const actionId = String(element.action_id ?? '');
  const dispatch = block.dispatch_action === true;
  /** @param {InputValue} selected */
  const dispatchChange = (selected) => {
    if (dispatch) ctx.onAction({ kind: 'choose', actionId, blockId, selected });
  };
  /** @param {() => InputValue} read @param {(value: InputValue) => void} [write] */
  const register = (read, write) => ctx.form?.set(blockId, { actionId, type: String(element.type), read, write: write ?? (() => undefined) });
  /** @type {HTMLElement} */
  let control;
  switch (element.type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const input = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (
        element.multiline
          ? h('textarea', { rows: 3, placeholder: plain(element.placeholder) })
          : h('input', { type: element.type === 'number_input' ? 'number' : 'text', placeholder: plain(element.placeholder) })
      );
      input.value = element.initial_value ?? '';
      const read = () => (input.value === '' ? null : input.value);
      register(read, (v) => {
        input.value = typeof v === 'string' ? v : '';
      });
      if (dispatch) {
        const triggers = triggersOf(element);
        /** @type {ReturnType<typeof setTimeout> | undefined} */
        let pause;
        if (triggers.has('on_character_entered')) {
          input.addEventListener('input', () => {
            clearTimeout(pause);
            pause = setTimeout(() => dispatchChange(read()), TYPING_PAUSE_MS);
          });
        }
        if (triggers.has('on_enter_pressed')) {
          input.addEventListener('keydown', (event) => {
            const key = /** @type {KeyboardEvent} */ (event);
            if (key.key !== 'Enter' || (element.multiline && key.shiftKey)) return;
            key.preventDefault();
            clearTimeout(pause);
            dispatchChange(read());
          });
        }
      }
      control = input;
      break;
    }
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      const options =
        element.type === 'users_select' ? userOptions(ctx) : element.type.endsWith('_select') && element.type !== 'static_select' && element.type !== 'external_select' ? channelOptions(ctx) : optionsOf(element);
      const initial = element.initial_option?.value ?? element.initial_user ?? element.initial_conversation ?? element.initial_channel ?? '';
      const select = /** @type {HTMLSelectElement} */ (
        selectOf(element, [{ value: '', label: plain(element.placeholder) || 'Choose…' }, ...options], initial, (v) => dispatchChange(v || null))
      );
      register(
        () => select.value || null,
        (v) => {
          select.value = typeof v === 'string' ? v : '';
        },
      );
      control = select;
      break;
    }
    case 'multi_users_select':
    case 'multi_static_select':
    case 'multi_conversations_select': {
      const options = element.type === 'multi_users_select' ? userOptions(ctx) : element.type === 'multi_conversations_select' ? channelOptions(ctx) : optionsOf(element);
      const select = /** @type {HTMLSelectElement} */ (h('select', { multiple: true, class: 'bk-select' }, ...options.map((o) => h('option', { value: o.value, text: o.label }))));
      const read = () => [...select.selectedOptions].map((o) => o.value);
      register(read, (v) => {
        const chosen = new Set(Array.isArray(v) ? v : []);
        for (const o of select.options) o.selected = chosen.has(o.value);
      });
      select.addEventListener('change', () => dispatchChange(read()));
      control = select;
      break;
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const single = element.type === 'radio_buttons';
      control = choiceGroup(element, `${blockId}/${actionId}`, (read) => register(() => (single ? (read()[0] ?? null) : read())), (values) =>
        dispatchChange(single ? (values[0] ?? null) : values),
      );
      break;
    }
    case 'datepicker': {
      const input = /** @type {HTMLInputElement} */ (h('input', { type: 'date', value: element.initial_date ?? '' }));
      register(
        () => input.value || null,
        (v) => {
          input.value = typeof v === 'string' ? v : '';
        },
      );
      input.addEventListener('change', () => dispatchChange(input.value || null));
      control = input;
      break;
    }
    case 'file_input':
      control = fileInput(element, ctx, register);
      break;
    default:
      control = h('span', { class: 'bk-unknown', text: `[${String(element.type)} input]` });
  }
  const error = ctx.errors?.[blockId];
  return h(
    'div',
    { class: `bk-input${error ? ' has-error' : ''}`, dataset: { blockId } },
    h('label', { class: 'bk-label' }, plain(block.label), block.optional ? h('span', { class: 'bk-optional', text: ' (optional)' }) : null),
    control,
    block.hint ? h('div', { class: 'bk-hint', html: textHtml(block.hint, ctx.dir) }) : null,
    error ? h('div', { class: 'bk-error', text: error }) : null,
  );
}

/** Names of the files uploaded from this page, by Slack file id. */
const uploadedNames = new Map();

/**
 * A file_input as a file picker: each chosen file is uploaded to the emulated Slack at once (as Slack's client
 * does), and the input's value is the uploaded files' ids, which the view's state turns into `files`
 * (docs.slack.dev/reference/block-kit/block-elements/file-input-element: filetypes, max_files 1–10, 10 MB).
 * @param {Json} element
 * @param {BlockContext} ctx
 * @param {(read: () => InputValue, write?: (value: InputValue) => void) => void} register
 */
function fileInput(element, ctx, register) {
  const maxFiles = Number.isInteger(element.max_files) ? Number(element.max_files) : 10;
  const types = Array.isArray(element.filetypes) ? element.filetypes.map((/** @type {string} */ t) => `.${t}`).join(',') : '';
  const picker = /** @type {HTMLInputElement} */ (h('input', { type: 'file', class: 'bk-file', ...(types ? { accept: types } : {}), multiple: maxFiles > 1 }));
  const status = h('div', { class: 'bk-hint', 'data-testid': 'file-input-status' });
  /** @type {{ id: string, name: string }[]} */
  let uploaded = [];
  const show = () => status.replaceChildren(uploaded.length ? `Uploaded: ${uploaded.map((f) => f.name).join(', ')}` : '');
  picker.addEventListener('change', () => {
    const files = [...(picker.files ?? [])].slice(0, maxFiles);
    status.replaceChildren(files.length ? 'Uploading…' : '');
    void Promise.all(files.map((f) => ctx.uploadFile?.(f))).then(
      (ids) => {
        uploaded = files.flatMap((f, i) => (ids[i] ? [{ id: String(ids[i]), name: f.name }] : []));
        for (const f of uploaded) uploadedNames.set(f.id, f.name);
        show();
      },
      (/** @type {unknown} */ err) => status.replaceChildren(`Upload failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  });
  register(
    () => uploaded.map((f) => f.id),
    (v) => {
      // Kept across a re-render of the same view (Slack keeps an input's value while its block_id stays).
      uploaded = (Array.isArray(v) ? v : []).map((id) => ({ id, name: uploadedNames.get(id) ?? id }));
      show();
    },
  );
  return h('div', { class: 'bk-file-input' }, picker, status);
}
