import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { StoredView } from './slack-types';

/**
 * Modals, App Home tabs and the trigger ids that open them. A trigger id is single-use and lives 3 seconds; a modal
 * stack holds the opened view plus at most two pushed ones (slack.md §4).
 */

const TRIGGER_LIFETIME_MS = 3000;
const MAX_STACK = 3;

export type TriggerCheck = 'ok' | 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id';

interface IssuedTrigger {
  user: string;
  issuedAt: number;
  used: boolean;
}

export class SlackViewStore {
  readonly views = new Map<string, StoredView>();
  /** user → view ids, bottom (opened) first. */
  readonly modalStacks = new Map<string, string[]>();
  /** user → App Home view id. */
  readonly homeViews = new Map<string, string>();
  private readonly triggers = new Map<string, IssuedTrigger>();
  private counter = 0;

  constructor(
    private readonly clock: Clock,
    private readonly identity: { teamId: string; apiAppId: string; botId: string },
  ) {}

  reset(): void {
    this.views.clear();
    this.modalStacks.clear();
    this.homeViews.clear();
    this.triggers.clear();
  }

  /** Trigger ids look like Slack's: `<digits>.<digits>.<hex>`. */
  issueTrigger(user: string): string {
    const now = this.clock.now().getTime();
    const id = `${Math.floor(now / 1000)}.${String(now % 100000).padStart(5, '0')}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { user, issuedAt: now, used: false });
    return id;
  }

  /** Checks and uses up a trigger id. */
  exchangeTrigger(triggerId: string | undefined): { check: TriggerCheck; user?: string } {
    const trigger = triggerId ? this.triggers.get(triggerId) : undefined;
    if (!trigger) return { check: 'invalid_trigger_id' };
    if (trigger.used) return { check: 'exchanged_trigger_id' };
    if (this.clock.now().getTime() - trigger.issuedAt > TRIGGER_LIFETIME_MS) return { check: 'expired_trigger_id' };
    trigger.used = true;
    return { check: 'ok', user: trigger.user };
  }

  find(idOrExternal: { viewId?: string; externalId?: string }): StoredView | undefined {
    if (idOrExternal.viewId) return this.views.get(idOrExternal.viewId);
    if (!idOrExternal.externalId) return undefined;
    for (const view of this.views.values()) if (view.external_id === idOrExternal.externalId) return view;
    return undefined;
  }

  private nextViewId(): string {
    this.counter += 1;
    return `V0${String(this.counter).padStart(9, '0')}`;
  }

  private build(
    user: string,
    spec: Record<string, unknown>,
    links: { rootViewId?: string; previousViewId?: string },
    id = this.nextViewId(),
  ): StoredView {
    return {
      id,
      team_id: this.identity.teamId,
      app_id: this.identity.apiAppId,
      bot_id: this.identity.botId,
      user,
      type: typeof spec.type === 'string' ? spec.type : 'modal',
      callback_id: typeof spec.callback_id === 'string' ? spec.callback_id : '',
      private_metadata: typeof spec.private_metadata === 'string' ? spec.private_metadata : '',
      external_id: typeof spec.external_id === 'string' ? spec.external_id : '',
      title: spec.title,
      submit: spec.submit,
      close: spec.close,
      blocks: Array.isArray(spec.blocks) ? structuredClone(spec.blocks) : [],
      state: { values: {} },
      hash: this.newHash(),
      root_view_id: links.rootViewId ?? id,
      previous_view_id: links.previousViewId ?? null,
      clear_on_close: spec.clear_on_close === true,
      notify_on_close: spec.notify_on_close === true,
    };
  }

  private newHash(): string {
    return `${Math.floor(this.clock.now().getTime() / 1000)}.${randomBytes(6).toString('hex')}`;
  }

  open(user: string, spec: Record<string, unknown>): StoredView {
    const view = this.build(user, spec, {});
    this.views.set(view.id, view);
    this.modalStacks.set(user, [view.id]);
    return view;
  }

  push(user: string, spec: Record<string, unknown>): StoredView | 'push_limit_reached' | 'no_open_view' {
    const stack = this.modalStacks.get(user) ?? [];
    const top = stack[stack.length - 1];
    if (top === undefined) return 'no_open_view';
    if (stack.length >= MAX_STACK) return 'push_limit_reached';
    const view = this.build(user, spec, { rootViewId: stack[0], previousViewId: top });
    this.views.set(view.id, view);
    stack.push(view.id);
    return view;
  }

  /** Replaces the view's content in place; same id, new hash (slack.md §4). */
  update(view: StoredView, spec: Record<string, unknown>): StoredView {
    const links = { rootViewId: view.root_view_id, previousViewId: view.previous_view_id ?? undefined };
    const updated = this.build(view.user, spec, links, view.id);
    this.views.set(view.id, updated);
    return updated;
  }

  publishHome(user: string, spec: Record<string, unknown>): StoredView {
    const existingId = this.homeViews.get(user);
    const existing = existingId ? this.views.get(existingId) : undefined;
    const view = existing ? this.update(existing, spec) : this.build(user, spec, {});
    this.views.set(view.id, view);
    this.homeViews.set(user, view.id);
    return view;
  }

  homeViewOf(user: string): StoredView | undefined {
    const id = this.homeViews.get(user);
    return id ? this.views.get(id) : undefined;
  }

  /** The modal on top of the user's stack, the one they see. */
  topModalOf(user: string): StoredView | undefined {
    const stack = this.modalStacks.get(user) ?? [];
    const top = stack[stack.length - 1];
    return top ? this.views.get(top) : undefined;
  }

  /** What closing (ack without a response_action) or `clear` does to the stack. */
  closeTop(user: string, opts: { clearAll: boolean }): void {
    const stack = this.modalStacks.get(user) ?? [];
    if (opts.clearAll) stack.length = 0;
    else stack.pop();
    if (stack.length === 0) this.modalStacks.delete(user);
  }
}
