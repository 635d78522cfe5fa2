// @ts-check
/** Small DOM helpers: the page is plain modules, no framework (src/playground/web/README.md says why). */

/**
 * Creates an element. `attrs`: `class`, `text`, `on<event>` handlers, `dataset`, booleans, anything else as an
 * attribute. Children may be nodes, strings (as text, never HTML) or falsy (skipped).
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'html') el.innerHTML = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

/** @param {string} text */
export function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * "14:05", or "Tue 14:05" when not today (by the sandbox clock).
 * @param {Date} date
 * @param {Date} now
 */
export function formatTime(date, now) {
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === now.toDateString()) return time;
  return `${date.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}

/** @param {string} ts Slack's "seconds.micros" */
export function tsToDate(ts) {
  return new Date(Number(ts.split('.')[0]) * 1000);
}

/**
 * A phone label for the page: North American numbers grouped, others as +digits (grouping is country-specific and
 * the page only needs to tell customers apart).
 * @param {string} digits
 */
export function formatPhone(digits) {
  // The same North American grouping libphonenumber gives the Slack side (blocks/primitives.ts formatPhone).
  if (digits.startsWith('1') && digits.length === 11) return `+1 ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
  return `+${digits}`;
}

/**
 * Reads a picked file as base64 (the playground API takes files in JSON).
 * @param {File} file
 * @returns {Promise<string>}
 */
export function readAsBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** Keeps a scrolled list pinned to its bottom across re-renders, unless the reader scrolled up. */
export class StickyScroll {
  /** @param {HTMLElement} el */
  constructor(el) {
    this.el = el;
  }
  /** @param {() => void} render */
  update(render) {
    const atBottom = this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 40;
    const top = this.el.scrollTop;
    render();
    this.el.scrollTop = atBottom ? this.el.scrollHeight : top;
  }
}
