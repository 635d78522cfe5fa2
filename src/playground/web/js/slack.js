// @ts-check
import { post } from './api.js';
import { renderBlocks } from './block-kit.js';
import { formatTime, h, readAsBase64, StickyScroll, tsToDate } from './dom.js';
import { emoji, mrkdwnToHtml } from './mrkdwn.js';
import { attempt } from './store.js';

/**
 * The team's Slack: channels, the threadline app's Home and Messages tabs, each conversation's header card and its
 * thread, ephemerals shown only to the person the page acts as, and a composer for messages, thread replies,
 * private notes and slash commands. Every action is sent as the acting person through the Slack emulator.
 */

/**
 * @typedef {import('./store.js').Store} Store
 * @typedef {import('./api.js').PlaygroundState['slack']} SlackState
 * @typedef {SlackState['messages'][string][number]} Message
 * @typedef {SlackState['ephemerals'][number]} Ephemeral
 * @typedef {import('./block-kit.js').BlockAction} BlockAction
 * @typedef {import('./block-kit.js').BlockContext} BlockContext
 * @typedef {{ confirm: (dialog: Record<string, any>) => Promise<boolean> }} Dialogs
 */

/** @param {HTMLElement} root @param {Store} store @param {Dialogs} dialogs */
export function createSlack(root, store, dialogs) {
  const sidebar = h('nav', { class: 'slack-sidebar', 'aria-label': 'Slack channels' });
  const mainHeader = h('div', { class: 'slack-header' });
  const mainList = h('div', { class: 'slack-list', role: 'log', 'data-testid': 'channel-messages' });
  const mainScroll = new StickyScroll(mainList);
  const mainComposer = composer({ placeholder: 'Message, or a command: /queue, /handoff, /shift, /threadline', testid: 'channel-composer', note: false });
  const commandHints = h('div', { class: 'command-hints', hidden: true, 'data-testid': 'command-hints' });
  const main = h('section', { class: 'slack-main' }, mainHeader, mainList, commandHints, mainComposer.el);
  const threadHeader = h('div', { class: 'slack-header' });
  const threadList = h('div', { class: 'slack-list', role: 'log', 'data-testid': 'thread-messages' });
  const threadScroll = new StickyScroll(threadList);
  const threadComposer = composer({ placeholder: 'Reply to the customer…', testid: 'thread-composer', note: true });
  const thread = h('aside', { class: 'slack-thread', hidden: true, 'aria-label': 'Thread', 'data-testid': 'thread' }, threadHeader, threadList, threadComposer.el);
  root.append(h('div', { class: 'panel-title' }, h('span', { class: 'slack-logo', 'aria-hidden': 'true' }, '#'), 'Team in Slack'), h('div', { class: 'slack' }, sidebar, main, thread));

  const me = () => store.ui.actingAs;
  const dmChannel = () => store.state.slack.channels.find((c) => c.kind === 'dm' && c.user === me())?.id;
  /** The channel the main area shows: the threadline DM on the Messages tab. */
  const mainChannel = () => (store.ui.slackView === 'messages' ? dmChannel() : store.ui.slackView === 'home' ? undefined : store.ui.channel);

  /** @param {Record<string, unknown>} action */
  const act = (action) => attempt(() => post('slack', { user: me(), ...action }));

  /** Block Kit context for a message, an ephemeral or a view. @param {Record<string, unknown>} where */
  const blockContext = (where) => /** @type {BlockContext} */ ({
    dir: store.directory,
    users: store.state.slack.users,
    channels: store.state.slack.channels,
    confirm: dialogs.confirm,
    onAction: (/** @type {BlockAction} */ a) =>
      act({ kind: a.kind, actionId: a.actionId, blockId: a.blockId, ...where, ...(a.kind === 'click' ? (a.value !== undefined ? { value: a.value } : {}) : { selected: a.selected ?? null }) }),
  });

  mainComposer.onSend(async (text, file) => {
    const channel = mainChannel();
    if (!channel) return;
    const command = /^(\/[a-z]+)\s*([\s\S]*)$/.exec(text.trim());
    renderCommandHints();
    if (command && !file) await act({ kind: 'command', channel, command: command[1], text: command[2] ?? '' });
    else await act({ kind: 'post', channel, text, ...(file ? { file } : {}) });
  });
  mainComposer.input.addEventListener('input', () => renderCommandHints());
  threadComposer.onSend(async (text, file) => {
    if (!store.ui.thread) return;
    await act({ kind: 'post', channel: store.ui.channel, threadTs: store.ui.thread, text, ...(file ? { file } : {}) });
  });

  function renderCommandHints() {
    const typed = mainComposer.input.value;
    const commands = store.state.slack.commands.filter((c) => typed.startsWith('/') && c.command.startsWith(typed.split(' ')[0] ?? ''));
    commandHints.hidden = commands.length === 0 || typed.includes(' ');
    commandHints.replaceChildren(
      ...commands.map((c) =>
        h(
          'button',
          { type: 'button', class: 'command-hint', onclick: () => { mainComposer.input.value = `${c.command} `; mainComposer.input.focus(); renderCommandHints(); } },
          h('strong', { text: c.command }),
          ` ${c.usageHint}`,
          h('span', { class: 'muted', text: ` — ${c.description}` }),
        ),
      ),
    );
  }

  root.addEventListener('click', (event) => {
    const link = /** @type {HTMLElement} */ (event.target).closest('a[data-channel]');
    if (!(link instanceof HTMLAnchorElement)) return;
    event.preventDefault();
    const channel = link.dataset.channel ?? '';
    const ts = link.dataset.ts ?? '';
    const target = (store.state.slack.messages[channel] ?? []).find((m) => m.ts === ts);
    store.setUi({ slackView: 'channel', channel, thread: target?.threadTs ?? ts });
  });

  /** @param {Message} message @param {{ inThread: boolean, channel: string }} where */
  const renderMessage = (message, where) => {
    const user = message.user ?? '';
    const author = message.isBot ? (message.username ?? 'threadline') : store.userName(user);
    // threadline posts a customer's messages under their name (text with an icon), and an agent's sends (composed
    // replies, templates) under the agent's name without one (chat:write.customize, slack.md §6.1).
    const agentNamed = store.state.slack.users.some((u) => !u.isBot && (u.displayName === message.username || u.name === message.username));
    const customerPost = message.isBot && message.username !== undefined && (message.iconEmoji !== undefined || !agentNamed);
    const richOnly = (message.blocks ?? []).every((b) => /** @type {{ type?: string }} */ (b).type === 'rich_text');
    const content = message.blocks?.length && !richOnly
      ? renderBlocks(message.blocks, blockContext({ channel: where.channel, messageTs: message.ts, ...(message.threadTs ? { threadTs: message.threadTs } : {}) }))
      : h('div', { class: 'bk-text', html: mrkdwnToHtml(message.text, store.directory) });
    const files = message.files.map((f) =>
      f.mimetype.startsWith('image/') ? h('img', { class: 'slack-image', src: f.url, alt: f.title || f.name }) : h('a', { class: 'slack-file', href: f.url, target: '_blank', text: `📎 ${f.name}` }),
    );
    const reactions = message.reactions.length
      ? h('div', { class: 'reactions' }, ...message.reactions.map((r) => h('span', { class: 'reaction', title: `:${r.name}:`, dataset: { reaction: r.name } }, emoji(r.name), ' ', String(r.count))))
      : null;
    const replies =
      !where.inThread && message.replyCount > 0
        ? h('button', { type: 'button', class: 'replies-link', 'data-testid': 'open-thread', onclick: () => store.setUi({ thread: message.ts }) }, `${message.replyCount} ${message.replyCount === 1 ? 'reply' : 'replies'}`)
        : null;
    const own = !message.isBot && user === me();
    const tools = h(
      'div',
      { class: 'msg-tools' },
      !where.inThread && !message.threadTs ? h('button', { type: 'button', title: 'Reply in thread', 'aria-label': 'Reply in thread', text: '💬', onclick: () => store.setUi({ thread: message.ts }) }) : null,
      shortcutMenu(message, where.channel),
      own ? h('button', { type: 'button', title: 'Edit', 'aria-label': 'Edit message', text: '✏️', onclick: () => editMessage(message, where.channel) }) : null,
      own ? h('button', { type: 'button', title: 'Delete', 'aria-label': 'Delete message', text: '🗑', onclick: () => deleteMessage(message, where.channel) }) : null,
    );
    return h(
      'div',
      { class: `msg${message.isBot ? ' msg-bot' : ''}`, 'data-testid': customerPost ? 'customer-post' : 'message', dataset: { ts: message.ts, user } },
      customerPost ? h('div', { class: 'avatar avatar-customer', 'aria-hidden': 'true', text: emoji((message.iconEmoji ?? ':speech_balloon:').replace(/:/g, '')) }) : avatar(message.isBot ? 'threadline' : author, message.isBot),
      h(
        'div',
        { class: 'msg-body' },
        h('div', { class: 'msg-head' }, h('strong', { text: author }), message.isBot ? h('span', { class: 'app-badge', text: customerPost ? 'WHATSAPP' : 'APP' }) : null, h('span', { class: 'msg-time', text: formatTime(tsToDate(message.ts), store.now()) }), message.edited ? h('span', { class: 'muted', text: '(edited)' }) : null),
        content,
        ...files,
        reactions,
        replies,
      ),
      tools,
    );
  };

  /** @param {Ephemeral} e */
  const renderEphemeral = (e) =>
    h(
      'div',
      { class: 'msg msg-ephemeral', 'data-testid': 'ephemeral', dataset: { ts: e.ts } },
      avatar('threadline', true),
      h(
        'div',
        { class: 'msg-body' },
        h('div', { class: 'msg-head' }, h('strong', { text: 'threadline' }), h('span', { class: 'app-badge', text: 'APP' }), h('span', { class: 'msg-time', text: formatTime(tsToDate(e.ts), store.now()) })),
        h('div', { class: 'ephemeral-note' }, '👁 Only visible to you · ', h('button', { type: 'button', class: 'link', text: 'Dismiss', onclick: () => { store.ui.dismissed.add(e.ts); store.emit(); } })),
        e.blocks?.length
          ? renderBlocks(e.blocks, blockContext({ channel: e.channel, messageTs: e.ts, isEphemeral: true, blocks: e.blocks, ...(e.threadTs ? { threadTs: e.threadTs } : {}) }))
          : h('div', { class: 'bk-text', html: mrkdwnToHtml(e.text, store.directory) }),
      ),
    );

  /** @param {Message} message @param {string} channel */
  const shortcutMenu = (message, channel) => {
    const shortcuts = store.state.slack.shortcuts;
    if (shortcuts.length === 0) return null;
    const menu = h('div', { class: 'menu', hidden: true }, ...shortcuts.map((s) => h('button', { type: 'button', text: s.name, title: s.description, onclick: () => { menu.hidden = true; void act({ kind: 'shortcut', channel, messageTs: message.ts, callbackId: s.callbackId }); } })));
    return h('div', { class: 'menu-host' }, h('button', { type: 'button', title: 'More actions', 'aria-label': 'More actions', 'data-testid': 'message-more', text: '⋯', onclick: () => (menu.hidden = !menu.hidden) }), menu);
  };

  /** @param {Message} message @param {string} channel */
  const editMessage = (message, channel) => {
    const text = window.prompt('Edit your message', message.text);
    if (text && text !== message.text) void act({ kind: 'edit', channel, ts: message.ts, text });
  };
  /** @param {Message} message @param {string} channel */
  const deleteMessage = (message, channel) => {
    if (window.confirm('Delete this message?')) void act({ kind: 'delete', channel, ts: message.ts });
  };

  /** Messages and this person's ephemerals, in time order. @param {Message[]} messages @param {Ephemeral[]} ephemerals @param {string} channel @param {boolean} inThread */
  const timeline = (messages, ephemerals, channel, inThread) =>
    [...messages.map((m) => ({ ts: m.ts, el: () => renderMessage(m, { inThread, channel }) })), ...ephemerals.map((e) => ({ ts: e.ts, el: () => renderEphemeral(e) }))]
      .sort((a, b) => Number(a.ts) - Number(b.ts))
      .map((item) => item.el());

  const myEphemerals = (/** @type {string} */ channel, /** @type {string | null} */ threadTs) =>
    store.state.slack.ephemerals.filter((e) => e.user === me() && e.channel === channel && (e.threadTs ?? null) === threadTs && !store.ui.dismissed.has(e.ts));

  function renderSidebar() {
    const { slack } = store.state;
    const channelButton = (/** @type {{ id: string, name: string }} */ c) =>
      h('button', { type: 'button', class: `side-item${store.ui.slackView === 'channel' && store.ui.channel === c.id ? ' active' : ''}`, 'data-testid': `channel-${c.name}`, onclick: () => store.setUi({ slackView: 'channel', channel: c.id, thread: null }) }, `# ${c.name}`);
    const appButton = (/** @type {'home' | 'messages'} */ view, /** @type {string} */ label) =>
      h('button', { type: 'button', class: `side-item${store.ui.slackView === view ? ' active' : ''}`, 'data-testid': `app-${view}`, onclick: () => openApp(view) }, label);
    sidebar.replaceChildren(
      h('div', { class: 'ws-name', text: 'Acme Support' }),
      h('div', { class: 'side-title', text: 'Channels' }),
      ...slack.channels.filter((c) => c.kind === 'channel').map(channelButton),
      h('div', { class: 'side-title', text: 'Apps' }),
      appButton('home', '🧵 threadline · Home'),
      appButton('messages', '🧵 threadline · Messages'),
    );
  }

  /** @param {'home' | 'messages'} view */
  function openApp(view) {
    // Slack sends app_home_opened each time the tab is opened.
    if (view === 'home') homeOpenedFor = '';
    store.setUi({ slackView: view, thread: null });
  }

  /** Whose Home the app was last asked for: switching person on the Home tab opens theirs, as Slack would. */
  let homeOpenedFor = '';

  function renderMain() {
    const { slack } = store.state;
    if (store.ui.slackView === 'home') {
      if (homeOpenedFor !== me()) {
        homeOpenedFor = me();
        void act({ kind: 'home' });
      }
      const home = slack.homes[me()];
      mainHeader.replaceChildren(h('strong', { text: '🧵 threadline' }), h('span', { class: 'muted', text: ' · Home' }));
      mainComposer.el.hidden = true;
      mainScroll.update(() =>
        mainList.replaceChildren(
          home ? h('div', { class: 'home', 'data-testid': 'app-home-view' }, renderBlocks(home.blocks, blockContext({ viewId: home.id }))) : h('div', { class: 'muted pad', text: 'Opening the Home tab…' }),
        ),
      );
      return;
    }
    const channel = mainChannel();
    mainComposer.el.hidden = false;
    mainHeader.replaceChildren(
      store.ui.slackView === 'messages' ? h('strong', { text: '🧵 threadline · Messages' }) : h('strong', { text: `# ${store.channelName(store.ui.channel)}` }),
      h('span', { class: 'muted', text: store.ui.slackView === 'messages' ? ' · your direct messages with the app' : ' · WhatsApp conversations arrive here as threads' }),
    );
    const messages = channel ? (slack.messages[channel] ?? []).filter((m) => !m.threadTs) : [];
    const items = channel ? timeline(messages, myEphemerals(channel, null), channel, false) : [];
    mainScroll.update(() => mainList.replaceChildren(...(items.length ? items : [h('div', { class: 'muted pad', text: 'Nothing here yet. Send a WhatsApp message from the phone on the left.' })])));
  }

  function renderThread() {
    const ts = store.ui.thread;
    const channel = store.ui.channel;
    thread.hidden = !ts || store.ui.slackView !== 'channel';
    if (!ts || thread.hidden) return;
    const all = store.state.slack.messages[channel] ?? [];
    const parent = all.find((m) => m.ts === ts);
    const replies = all.filter((m) => m.threadTs === ts);
    threadHeader.replaceChildren(h('strong', { text: 'Thread' }), h('span', { class: 'muted', text: ` · #${store.channelName(channel)}` }), h('button', { type: 'button', class: 'close', 'aria-label': 'Close thread', text: '×', onclick: () => store.setUi({ thread: null }) }));
    threadScroll.update(() =>
      threadList.replaceChildren(
        ...(parent ? [renderMessage(parent, { inThread: true, channel }), h('div', { class: 'thread-divider', text: `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}` })] : []),
        ...timeline(replies, myEphemerals(channel, ts), channel, true),
      ),
    );
  }

  return {
    render() {
      renderSidebar();
      renderMain();
      renderThread();
      renderCommandHints();
    },
  };
}

/** @param {string} name @param {boolean} bot */
function avatar(name, bot) {
  return h('div', { class: `avatar${bot ? ' avatar-bot' : ''}`, 'aria-hidden': 'true', text: bot ? '🧵' : name.slice(0, 1).toUpperCase() });
}

/**
 * A message box: Enter sends, Shift+Enter is a new line; the thread's has a "private note" switch (it adds the
 * note: prefix threadline looks for) and both can attach a file.
 * @param {{ placeholder: string, testid: string, note: boolean }} opts
 */
function composer(opts) {
  const input = /** @type {HTMLTextAreaElement} */ (h('textarea', { rows: 2, placeholder: opts.placeholder, 'aria-label': opts.placeholder, 'data-testid': `${opts.testid}-input` }));
  const note = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', 'data-testid': `${opts.testid}-note` }));
  const fileInput = /** @type {HTMLInputElement} */ (h('input', { type: 'file', hidden: true }));
  const fileLabel = h('span', { class: 'muted' });
  /** @type {(text: string, file?: { name: string, mimetype: string, dataBase64: string }) => Promise<void>} */
  let handler = async () => {};
  const send = async () => {
    const typed = input.value.trim();
    const picked = fileInput.files?.[0];
    if (!typed && !picked) return;
    const text = opts.note && note.checked && typed ? `note: ${typed}` : typed;
    input.value = '';
    fileInput.value = '';
    fileLabel.textContent = '';
    const file = picked ? { name: picked.name, mimetype: picked.type || 'application/octet-stream', dataBase64: await readAsBase64(picked) } : undefined;
    await handler(text, file);
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  });
  fileInput.addEventListener('change', () => (fileLabel.textContent = fileInput.files?.[0]?.name ?? ''));
  const el = h(
    'div',
    { class: 'slack-composer' },
    input,
    h(
      'div',
      { class: 'composer-bar' },
      h('button', { type: 'button', class: 'icon', title: 'Attach a file', 'aria-label': 'Attach a file', text: '📎', onclick: () => fileInput.click() }),
      fileLabel,
      opts.note ? h('label', { class: 'note-toggle', title: 'Stays in Slack: never sent to the customer' }, note, ' Private note') : null,
      h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': `${opts.testid}-send`, text: 'Send', onclick: () => void send() }),
    ),
    fileInput,
  );
  return { el, input, onSend: (/** @type {typeof handler} */ fn) => (handler = fn) };
}
