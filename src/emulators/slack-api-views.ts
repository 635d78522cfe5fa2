import { findViewProblem } from './slack-block-checks';
import { type ApiHandler, type ApiResult, type EmulatorCore, fail } from './slack-emulator-core';
import { stringParam } from './slack-http-io';
import type { SlackParams, StoredView } from './slack-types';

/** views.open / push / update / publish with Slack's trigger and stack rules (slack.md §4). */

export function toApiView(view: StoredView): Record<string, unknown> {
  const { user: _user, ...rest } = view;
  return structuredClone(rest);
}

function readView(params: SlackParams, expectedType?: 'modal' | 'home'): { spec?: Record<string, unknown>; error?: ApiResult } {
  const spec = params.view;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return { error: fail('invalid_arguments', 'view must be a JSON object') };
  const problem = findViewProblem(spec);
  if (problem) return { error: fail('invalid_arguments', problem) };
  const type = (spec as Record<string, unknown>).type;
  if (expectedType && type !== expectedType) return { error: fail('invalid_arguments', `view type must be ${expectedType}`) };
  return { spec: spec as Record<string, unknown> };
}

function withTrigger(core: EmulatorCore, params: SlackParams): { user?: string; error?: ApiResult } {
  const { check, user } = core.views.exchangeTrigger(stringParam(params, 'trigger_id'));
  return check === 'ok' && user ? { user } : { error: fail(check) };
}

const open: ApiHandler = (core, params) => {
  const { spec, error } = readView(params, 'modal');
  if (!spec) return error ?? fail('invalid_arguments');
  const { user, error: triggerError } = withTrigger(core, params);
  if (!user) return triggerError ?? fail('invalid_trigger_id');
  return { ok: true, view: toApiView(core.views.open(user, spec)) };
};

const push: ApiHandler = (core, params) => {
  const { spec, error } = readView(params, 'modal');
  if (!spec) return error ?? fail('invalid_arguments');
  const { user, error: triggerError } = withTrigger(core, params);
  if (!user) return triggerError ?? fail('invalid_trigger_id');
  const pushed = core.views.push(user, spec);
  if (pushed === 'push_limit_reached') return fail('push_limit_reached');
  if (pushed === 'no_open_view') return fail('not_found');
  return { ok: true, view: toApiView(pushed) };
};

const update: ApiHandler = (core, params) => {
  const viewId = stringParam(params, 'view_id');
  const externalId = stringParam(params, 'external_id');
  const view = core.views.find({ ...(viewId ? { viewId } : {}), ...(externalId ? { externalId } : {}) });
  if (!view) return fail('not_found');
  const { spec, error } = readView(params);
  if (!spec) return error ?? fail('invalid_arguments');
  const hash = stringParam(params, 'hash');
  if (hash && hash !== view.hash) return fail('hash_conflict');
  return { ok: true, view: toApiView(core.views.update(view, spec)) };
};

const publish: ApiHandler = (core, params) => {
  const userId = stringParam(params, 'user_id') ?? '';
  if (!core.workspace.users.has(userId)) return fail('user_not_found');
  const { spec, error } = readView(params, 'home');
  if (!spec) return error ?? fail('invalid_arguments');
  const hash = stringParam(params, 'hash');
  const current = core.views.homeViewOf(userId);
  if (hash && current && hash !== current.hash) return fail('hash_conflict');
  return { ok: true, view: toApiView(core.views.publishHome(userId, spec)) };
};

export const viewHandlers: Record<string, ApiHandler> = {
  'views.open': open,
  'views.push': push,
  'views.update': update,
  'views.publish': publish,
};
