import { randomBytes } from 'node:crypto';
import { toApiView } from './slack-api-views';
import { sendToApp } from './slack-app-client';
import type { EmulatorCore } from './slack-emulator-core';
import { buildInteractionBody, buildSlashCommandBody } from './slack-signing';
import type { AppResponse, StoredView } from './slack-types';
import { buildStateValue, buildViewStateValues, type FileLookup, findActionElement, type SubmittedValue, type SubmittedValues } from './slack-view-state';
import { toApiMessage } from './slack-workspace';

/**
 * People clicking, selecting, running commands and submitting modals: block_actions, message_action, slash
 * commands and view_submission payloads as Slack sends them, signed over HTTP or as Socket Mode envelopes (slack.md
 * §3, §4, §9.5). Each one issues a trigger id that views.open accepts for 3 seconds, once.
 */

export interface InteractionResult extends AppResponse {
  triggerId: string;
  responseUrl?: string;
}

export interface ActionTarget {
  user: string;
  actionId: string;
  blockId?: string;
  /** A message in a channel (or an ephemeral one when isEphemeral) … */
  channel?: string;
  messageTs?: string;
  threadTs?: string;
  isEphemeral?: boolean;
  /** The message as the clicker's client still shows it: an update that removed the button has not reached them. */
  asShown?: { blocks?: unknown[] | undefined };
  /** … or a modal / App Home view. */
  viewId?: string;
  /** What the person has typed and chosen in that view so far: block_actions carries it as view.state (slack.md §4). */
  values?: SubmittedValues;
}

function requireUser(core: EmulatorCore, userId: string): { id: string; username: string; name: string; team_id: string } {
  const user = core.workspace.users.get(userId);
  if (!user) throw new Error(`unknown user ${userId}`);
  return { id: user.id, username: user.name, name: user.name, team_id: core.workspace.identity.teamId };
}

/** A file_input's files as Slack shows them in view state: the uploader's own files only. */
function uploadedBy(core: EmulatorCore, user: string): FileLookup {
  return (fileId) => {
    const file = core.files.get(fileId);
    return file?.completed && file.user === user ? core.files.toApiFile(file, { includeShares: false }) : undefined;
  };
}

/**
 * A person picks a file in a modal's file_input: Slack stores it at once, shared nowhere, and the view's state
 * carries its id (the file_input element reference: 10 MB at most).
 */
export const FILE_INPUT_MAX_BYTES = 10 * 1024 * 1024;

export function simulateFileInputUpload(core: EmulatorCore, args: { user: string; name: string; data: Buffer; mimetype?: string }): { fileId: string } {
  requireUser(core, args.user);
  if (args.data.length > FILE_INPUT_MAX_BYTES) throw new Error(`a file_input takes files up to 10 MB; ${args.name} is ${args.data.length} bytes`);
  const file = core.files.createUploaded({ name: args.name, bytes: args.data, user: args.user, ...(args.mimetype ? { mimetype: args.mimetype } : {}) });
  return { fileId: file.id };
}

function teamOf(core: EmulatorCore) {
  return { id: core.workspace.identity.teamId, domain: core.workspace.identity.teamDomain };
}

/** block_actions for one action on a message or a view; `buildAction` fills the element-specific fields. */
async function sendBlockAction(
  core: EmulatorCore,
  target: ActionTarget,
  buildAction: (element: Record<string, unknown> | undefined) => Record<string, unknown>,
): Promise<InteractionResult> {
  const user = requireUser(core, target.user);
  const triggerId = core.views.issueTrigger(target.user);
  const base = { type: 'block_actions', user, api_app_id: core.sender.apiAppId, token: core.sender.verificationToken, trigger_id: triggerId, team: teamOf(core), enterprise: null, is_enterprise_install: false };
  const actionTs = core.workspace.nextTs();
  if (target.viewId) {
    const view = core.views.find({ viewId: target.viewId });
    if (!view) throw new Error(`no view ${target.viewId}`);
    const found = findActionElement(view.blocks, target.actionId, target.blockId);
    const action = { action_id: target.actionId, block_id: target.blockId ?? found?.blockId ?? '', action_ts: actionTs, ...buildAction(found?.element) };
    const state = { values: target.values ? buildViewStateValues(view.blocks, target.values, uploadedBy(core, target.user)) : {} };
    const payload = { ...base, container: { type: 'view', view_id: view.id }, view: { ...toApiView(view), state }, actions: [action], state };
    return { ...(await sendToApp(core, 'interaction', buildInteractionBody(payload))), triggerId };
  }
  const channel = core.workspace.resolveChannel(target.channel ?? '');
  if (!channel || !target.messageTs) throw new Error('a message action needs channel and messageTs (or viewId)');
  const message = target.isEphemeral ? undefined : core.workspace.findMessage(channel.id, target.messageTs);
  if (!target.isEphemeral && !message) throw new Error(`no message ${target.messageTs} in ${channel.id}`);
  const found = findActionElement(target.asShown?.blocks ?? message?.blocks, target.actionId);
  if (message && !found) throw new Error(`message ${message.ts} has no element with action_id ${target.actionId}`);
  const responseUrl = core.responseUrls.issue({ kind: 'block_actions', channel: channel.id, user: target.user, ...(message ? { messageTs: message.ts } : {}) });
  const threadTs = target.threadTs ?? (message?.thread_ts !== message?.ts ? message?.thread_ts : undefined);
  const action = {
    action_id: target.actionId,
    block_id: target.blockId ?? found?.blockId ?? randomBytes(3).toString('base64url'),
    action_ts: actionTs,
    ...buildAction(found?.element),
  };
  const payload = {
    ...base,
    container: { type: 'message', message_ts: target.messageTs, channel_id: channel.id, is_ephemeral: target.isEphemeral === true, ...(threadTs ? { thread_ts: threadTs } : {}) },
    channel: { id: channel.id, name: channel.name },
    ...(message ? { message: toApiMessage(message, { includeMetadata: false }) } : {}),
    state: { values: {} },
    response_url: responseUrl,
    actions: [action],
  };
  return { ...(await sendToApp(core, 'interaction', buildInteractionBody(payload))), triggerId, responseUrl };
}

export function simulateButtonClick(core: EmulatorCore, args: ActionTarget & { value?: string }): Promise<InteractionResult> {
  return sendBlockAction(core, args, (element) => {
    const value = args.value ?? (typeof element?.value === 'string' ? element.value : undefined);
    return {
      type: 'button',
      text: element?.text ?? { type: 'plain_text', text: args.actionId, emoji: true },
      ...(value !== undefined ? { value } : {}),
    };
  });
}

export function simulateUserSelect(core: EmulatorCore, args: ActionTarget & { selectedUser: string }): Promise<InteractionResult> {
  return sendBlockAction(core, args, () => ({ type: 'users_select', selected_user: args.selectedUser }));
}

/**
 * Any menu a person can choose from (static, users, conversations and channels selects, overflow menus, radio
 * buttons, checkboxes): block_actions carries what was chosen in the element's own field, the same field a
 * view_submission's state uses (selected_option, selected_user, …; slack.md §4).
 */
export function simulateChoice(core: EmulatorCore, args: ActionTarget & { selected: SubmittedValue }): Promise<InteractionResult> {
  return sendBlockAction(core, args, (element) => {
    if (!element) throw new Error(`no element ${args.actionId} to choose from`);
    // An overflow menu answers like a static select (selected_option).
    const asChosen = element.type === 'overflow' ? { ...element, type: 'static_select' } : element;
    return { ...buildStateValue(asChosen, args.selected, args.actionId, uploadedBy(core, args.user)), type: String(element.type) };
  });
}

/** The person closes their top modal; the app hears of it only when the view asked (notify_on_close, slack.md §4). */
export async function simulateViewClosed(core: EmulatorCore, args: { user: string; view: { id: string } }): Promise<AppResponse | undefined> {
  const user = requireUser(core, args.user);
  const view = core.views.find({ viewId: args.view.id });
  if (!view || core.views.topModalOf(args.user)?.id !== view.id) throw new Error(`${args.user} has no open modal ${args.view.id}`);
  core.views.closeTop(args.user, { clearAll: view.clear_on_close });
  if (!view.notify_on_close) return undefined;
  const payload = {
    type: 'view_closed',
    team: teamOf(core),
    user,
    api_app_id: core.sender.apiAppId,
    token: core.sender.verificationToken,
    view: toApiView(view),
    is_cleared: view.clear_on_close,
    is_enterprise_install: false,
    enterprise: null,
  };
  return sendToApp(core, 'interaction', buildInteractionBody(payload));
}

export async function simulateSlashCommand(
  core: EmulatorCore,
  args: { user: string; channel: string; command: string; text: string },
): Promise<InteractionResult & { responseUrl: string }> {
  const user = requireUser(core, args.user);
  const channel = core.workspace.resolveChannel(args.channel);
  if (!channel) throw new Error(`unknown channel ${args.channel}`);
  const triggerId = core.views.issueTrigger(args.user);
  const responseUrl = core.responseUrls.issue({ kind: 'slash_command', channel: channel.id, user: args.user });
  const request = buildSlashCommandBody(core.sender, {
    channelId: channel.id,
    channelName: channel.is_im ? 'directmessage' : channel.name,
    userId: user.id,
    userName: user.name,
    command: args.command,
    text: args.text,
    responseUrl,
    triggerId,
  });
  return { ...(await sendToApp(core, 'command', request)), triggerId, responseUrl };
}

/** A message shortcut on a message or a thread reply (slack.md §3). */
export async function simulateMessageShortcut(
  core: EmulatorCore,
  args: { user: string; channel: string; messageTs: string; callbackId: string },
): Promise<InteractionResult & { responseUrl: string }> {
  const user = requireUser(core, args.user);
  const channel = core.workspace.resolveChannel(args.channel);
  const message = channel ? core.workspace.findMessage(channel.id, args.messageTs) : undefined;
  if (!channel || !message) throw new Error(`no message ${args.messageTs} in ${args.channel}`);
  const triggerId = core.views.issueTrigger(args.user);
  const responseUrl = core.responseUrls.issue({ kind: 'message_action', channel: channel.id, user: args.user, messageTs: message.ts });
  const payload = {
    type: 'message_action',
    token: core.sender.verificationToken,
    action_ts: core.workspace.nextTs(),
    team: teamOf(core),
    user,
    channel: { id: channel.id, name: channel.name },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: args.callbackId,
    trigger_id: triggerId,
    response_url: responseUrl,
    message_ts: message.ts,
    message: toApiMessage(message, { includeMetadata: false }),
  };
  return { ...(await sendToApp(core, 'interaction', buildInteractionBody(payload))), triggerId, responseUrl };
}

/** view_submission, then what the ack asks for: close, update, push, clear, or stay open with errors (slack.md §4). */
export async function simulateViewSubmission(
  core: EmulatorCore,
  args: { user: string; view: { id: string }; values: SubmittedValues },
): Promise<InteractionResult> {
  const user = requireUser(core, args.user);
  const view = core.views.find({ viewId: args.view.id });
  if (!view) throw new Error(`no view ${args.view.id}`);
  const triggerId = core.views.issueTrigger(args.user);
  const submitted = { ...toApiView(view), state: { values: buildViewStateValues(view.blocks, args.values, uploadedBy(core, args.user)) } };
  const payload = {
    type: 'view_submission',
    team: teamOf(core),
    user,
    api_app_id: core.sender.apiAppId,
    token: core.sender.verificationToken,
    trigger_id: triggerId,
    view: submitted,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  const response = await sendToApp(core, 'interaction', buildInteractionBody(payload));
  if (response.status === 200) applySubmissionAck(core, view, response.json);
  return { ...response, triggerId };
}

function applySubmissionAck(core: EmulatorCore, view: StoredView, ack: unknown): void {
  const body = typeof ack === 'object' && ack !== null ? (ack as Record<string, unknown>) : {};
  const next = typeof body.view === 'object' && body.view !== null ? (body.view as Record<string, unknown>) : undefined;
  switch (body.response_action) {
    case 'errors':
      return;
    case 'update':
      if (next) core.views.update(view, next);
      return;
    case 'push':
      if (next) core.views.push(view.user, next);
      return;
    case 'clear':
      core.views.closeTop(view.user, { clearAll: true });
      return;
    default:
      core.views.closeTop(view.user, { clearAll: false });
  }
}
