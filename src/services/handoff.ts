import { HandoffModalIds } from '../../blocks/handoff-modal';
import { describeHandoffNotice } from '../../blocks/handoff-summary';
import { customerLabel } from '../../blocks/primitives';
import type { HandoffTarget } from '../../blocks/types';
import { listHandoffRows } from '../../db/queries/handoff';
import { findConversationById } from '../../db/queries/conversations';
import { findLastNote } from '../../db/queries/notes';
import type { Deps } from '../deps';
import { SlackPermanentError } from '../slack/gateway';
import { hasRole, roleOf } from './agents';
import { checkCanBeGiven, checkChannelAccess } from './channel-access';
import { assign } from './conversations';
import type { HandoffForm, HandoffFormItem } from './handoff-form';
import { type HandoffReport, notifyHandoff } from './handoff-notify';
import { moveConversation } from './move-conversation';
import { enqueueThreadNotice } from './thread-notice';
import { saveNote } from './thread-replies';

export interface HandoffPlanItem {
  conversationId: number;
  /** The owner the modal showed: the handoff only happens if that is still true (nobody took it meanwhile). */
  expectedOwnerId: string | null;
  target: HandoffTarget;
  note: string | undefined;
}

export interface HandoffPlan {
  actorId: string;
  fromUserId: string;
  items: HandoffPlanItem[];
}

export type HandoffValidation = { ok: true; plan: HandoffPlan } | { ok: false; errors: Record<string, string> };

const CHANNEL_ID = /^[CG][A-Z0-9]{2,20}$/;

/**
 * Checks a submitted handoff modal and turns it into a plan; problems come back per input block, for Slack to show
 * next to the field (response_action: errors, slack.md §4).
 */
export async function validateHandoff(deps: Deps, actorId: string, form: HandoffForm): Promise<HandoffValidation> {
  const errors: Record<string, string> = {};
  const included = form.items.filter((i) => i.included);
  const itemBlock = (item: HandoffFormItem) =>
    form.single ? HandoffModalIds.noteBlock(item.conversationId) : HandoffModalIds.includeBlock(item.conversationId);
  if (included.length === 0) {
    const first = form.items[0];
    return { ok: false, errors: { [first ? itemBlock(first) : HandoffModalIds.targetKindBlock]: 'Tick at least one conversation to hand off.' } };
  }
  const manager = hasRole(await roleOf(deps, actorId), 'manager');
  for (const item of included) {
    if (item.expectedOwnerId && item.expectedOwnerId !== actorId && !manager) {
      errors[itemBlock(item)] = `Only managers and admins can hand off someone else's conversation. Ask <@${item.expectedOwnerId}> to hand it off, or ask a manager.`;
    }
  }
  const rows = new Map((await listHandoffRows(deps.db, included.map((i) => i.conversationId))).map((r) => [r.id, r]));
  // The modal may have been opened before the actor left a channel: decided now, not when it opened.
  const fromChannels = new Map<string, string | undefined>();
  for (const channelId of new Set([...rows.values()].map((r) => r.channelId))) {
    const access = await checkChannelAccess(deps, actorId, channelId);
    fromChannels.set(channelId, access.ok ? undefined : access.message);
  }

  const global = resolveGlobalTarget(form, errors, included.some((i) => !i.overrideUserId));
  if (global?.kind === 'channel') {
    const access = await checkChannelAccess(deps, actorId, global.channelId);
    const problem = access.ok ? await checkBotInChannel(deps, global.channelId) : intoChannelRefusal(global.channelId);
    if (problem) errors[HandoffModalIds.targetChannelBlock] = problem;
  }
  const people = new Set([...(global?.kind === 'user' ? [global.userId] : []), ...included.flatMap((i) => i.overrideUserId ?? [])]);
  const bots = await findBots(deps, [...people]);
  if (global?.kind === 'user' && bots.has(global.userId)) errors[HandoffModalIds.targetUserBlock] = 'That is an app, not a person: pick someone who can answer the customer.';

  const items: HandoffPlanItem[] = [];
  for (const item of included) {
    const target: HandoffTarget | undefined = item.overrideUserId ? { kind: 'user', userId: item.overrideUserId } : global;
    if (!target) continue;
    const overrideBlock = HandoffModalIds.overrideBlock(item.conversationId);
    if (item.overrideUserId && bots.has(item.overrideUserId)) errors[overrideBlock] = 'That is an app, not a person.';
    if (target.kind === 'user' && target.userId === item.expectedOwnerId) {
      errors[item.overrideUserId ? overrideBlock : HandoffModalIds.targetUserBlock] = 'They already have it: pick someone else.';
    }
    const row = rows.get(item.conversationId);
    const notHere = row ? fromChannels.get(row.channelId) : undefined;
    if (notHere) errors[itemBlock(item)] = notHere;
    if (row && target.kind === 'user' && !bots.has(target.userId) && !notHere) {
      const notThere = await checkCanBeGiven(deps, target.userId, row.channelId);
      if (notThere) errors[item.overrideUserId ? overrideBlock : HandoffModalIds.targetUserBlock] = notThere;
    }
    if (target.kind === 'channel' && row?.channelId === target.channelId) {
      const who = customerLabel({ name: row.customerName ?? undefined, phone: row.customerPhone ?? undefined });
      errors[form.single ? HandoffModalIds.targetChannelBlock : itemBlock(item)] = `${who} is already in that channel.`;
    }
    items.push({ conversationId: item.conversationId, expectedOwnerId: item.expectedOwnerId, target, note: item.note });
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, plan: { actorId, fromUserId: form.fromUserId, items } };
}

function intoChannelRefusal(channelId: string): string {
  return `You are not a member of <#${channelId}>, so you cannot move conversations into it. Join it first, or pick a channel you are in.`;
}

/**
 * threadline only hears replies in channels it was invited to (slack.md §2.2): moving a conversation to one it is
 * not in would leave the agents there talking to nobody.
 */
async function checkBotInChannel(deps: Deps, channelId: string): Promise<string | undefined> {
  try {
    if (await deps.slack.isMember(channelId)) return undefined;
  } catch (err) {
    if (!(err instanceof SlackPermanentError)) {
      deps.logger.warn({ err, channel: channelId }, 'could not check channel membership; allowing the move');
      return undefined;
    }
  }
  return 'Invite threadline to that channel first (/invite @threadline there): it only hears replies in channels it is in.';
}

/** The target at the top of the modal: an explicit choice, else whichever picker was filled. */
function resolveGlobalTarget(form: HandoffForm, errors: Record<string, string>, needed: boolean): HandoffTarget | undefined {
  const { targetUserId: user, targetChannelId: channel } = form;
  let kind = form.targetKind;
  if (!kind && user && channel) {
    errors[HandoffModalIds.targetKindBlock] = 'You picked a person and a channel: choose which one here.';
    return undefined;
  }
  kind ??= user ? 'user' : channel ? 'channel' : undefined;
  if (!kind) {
    if (needed) errors[HandoffModalIds.targetKindBlock] = 'Choose where they go: a person, the pool or another channel.';
    return undefined;
  }
  if (kind === 'pool') return { kind: 'pool' };
  if (kind === 'user') {
    if (user) return { kind: 'user', userId: user };
    if (needed) errors[HandoffModalIds.targetUserBlock] = 'Pick the person to hand off to.';
    return undefined;
  }
  if (!channel) {
    if (needed) errors[HandoffModalIds.targetChannelBlock] = 'Pick the channel to move them to.';
    return undefined;
  }
  if (!CHANNEL_ID.test(channel)) {
    errors[HandoffModalIds.targetChannelBlock] = 'Pick a channel, not a direct message.';
    return undefined;
  }
  return { kind: 'channel', channelId: channel };
}

/** A bot cannot own a conversation: nobody would answer. A failed lookup lets the handoff through (reassign does too). */
async function findBots(deps: Deps, userIds: string[]): Promise<Set<string>> {
  const found = await Promise.all(
    userIds.map(async (id) => {
      try {
        return (await deps.slack.getUser(id)).isBot ? id : undefined;
      } catch (err) {
        deps.logger.warn({ err, userId: id }, 'could not look up the handoff target; allowing it');
        return undefined;
      }
    }),
  );
  return new Set(found.filter((id): id is string => id !== undefined));
}

const SKIP_REASONS = {
  not_found: 'it no longer exists',
  closed: 'it was resolved meanwhile',
  changed: 'someone else took it or changed it meanwhile',
  same_channel: 'it is already in that channel',
  busy: 'Slack delivery for it was busy; try again in a moment',
} as const;

/**
 * Hands each conversation over: the note becomes a private note (kept off the customer's side), ownership moves
 * (audited as handed_off; the pool means unassigned), a line goes into the thread through the outbox, or the
 * conversation moves to another channel. Durable before this returns; the DMs go out in the background.
 */
export async function executeHandoff(deps: Deps, plan: HandoffPlan): Promise<HandoffReport> {
  const report: HandoffReport = { done: [], skipped: [] };
  for (const item of plan.items) {
    const conversation = await findConversationById(deps.db, item.conversationId);
    if (!conversation || conversation.state === 'closed') {
      report.skipped.push({ conversationId: item.conversationId, reason: SKIP_REASONS[conversation ? 'closed' : 'not_found'] });
      continue;
    }
    // The note field is prefilled with the last note: submitting it unchanged must not copy it.
    const lastNote = (await findLastNote(deps.db, conversation.id))?.body.trim();
    const newNote = item.note && item.note !== lastNote ? item.note : undefined;
    const author = { userId: plan.actorId, channel: conversation.channelId };
    if (item.target.kind === 'channel') {
      if (newNote && conversation.ownerId === item.expectedOwnerId) await saveNote(deps, conversation, author, newNote, 'handoff');
      const moved = await moveConversation(deps, {
        conversationId: conversation.id,
        actorId: plan.actorId,
        toChannelId: item.target.channelId,
        expectedOwnerId: item.expectedOwnerId,
      });
      if (moved.ok) report.done.push(item);
      else report.skipped.push({ conversationId: item.conversationId, reason: SKIP_REASONS[moved.reason] });
      continue;
    }
    const assigned = await assign(deps, {
      conversationId: conversation.id,
      actorId: plan.actorId,
      newOwnerId: item.target.kind === 'user' ? item.target.userId : null,
      reason: item.target.kind === 'user' ? 'handed off' : null,
      audit: 'handed_off',
      expectedOwnerId: item.expectedOwnerId,
      detail: { via: 'handoff', note: newNote !== undefined },
    });
    if (!assigned.ok) {
      report.skipped.push({ conversationId: item.conversationId, reason: SKIP_REASONS[assigned.reason] });
      continue;
    }
    if (newNote) await saveNote(deps, assigned.conversation, author, newNote, 'handoff');
    await enqueueThreadNotice(deps.db, conversation.id, {
      text: describeHandoffNotice({ fromUserId: item.expectedOwnerId, actorId: plan.actorId, target: item.target, note: item.note }),
    });
    await deps.queue.signal(conversation.id);
    report.done.push(item);
  }
  deps.background.run('handoff DMs', () => notifyHandoff(deps, plan, report));
  return report;
}
