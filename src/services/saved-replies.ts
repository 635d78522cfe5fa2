import { buildCommandRefused, buildCommandReply } from '../../blocks/command-replies';
import { buildSavedReplyList, buildSavedReplyModal, buildSavedReplyPost, SavedReplyModalIds } from '../../blocks/saved-reply-modal';
import { buildTemplateMessageModal } from '../../blocks/template-modal';
import type { SlackMessage } from '../../blocks/types';
import { findContactById } from '../../db/queries/contacts';
import { findConversationById, findConversationByThread } from '../../db/queries/conversations';
import { findConversationIdBySlackTs } from '../../db/queries/handoff';
import { deleteSavedReply, findSavedReply, insertSavedReply, listSavedReplies, updateSavedReply } from '../../db/queries/saved-replies';
import type { Conversation, SavedReply } from '../../db/schema';
import type { Deps } from '../deps';
import { ForbiddenError, InvalidInputError } from '../errors';
import { ActionIds, conversationIdValue } from '../ids';
import { requireRole } from './agents';
import { requireChannelAccess } from './channel-access';
import { type ComposedSendOutcome, postComposedToThread, recordComposedSend } from './composed-send';
import { customerDisplayName } from './header-card';
import { signatureFor } from './reply-content';
import { signatureOf } from './thread-replies';
import { windowState } from './window';

/**
 * Team-wide saved replies: managers and admins keep them with `/threadline replies`; anyone sends one from a
 * thread with the "Send a saved reply" shortcut, under the same rules as a typed reply (owner, 24-hour window, at
 * most once). `{customer_name}` and `{agent_name}` are filled in when it is sent.
 */

/** Option text is capped at 75 characters (slack.md §5); a WhatsApp text at 4,096 (reference/whatsapp.md §5). */
export const TITLE_MAX = 75;
export const BODY_MAX = 4000;

export type RepliesRequest =
  | { kind: 'list' }
  | { kind: 'add'; title: string; body: string }
  | { kind: 'edit'; id: number; title: string; body: string }
  | { kind: 'remove'; id: number }
  | { kind: 'invalid'; usage: string };

export const REPLIES_USAGE =
  '`/threadline replies` (list), `/threadline replies add Title | Text`, `/threadline replies edit <id> Title | Text` or `/threadline replies remove <id>`';

/** `rest` is everything after `replies`, as typed (the text keeps its spacing and line breaks). */
export function parseRepliesRequest(rest: string): RepliesRequest {
  const m = /^\s*(\S*)\s*([\s\S]*)$/.exec(rest);
  const verb = (m?.[1] ?? '').toLowerCase();
  const tail = m?.[2] ?? '';
  const invalid = { kind: 'invalid', usage: REPLIES_USAGE } as const;
  const titled = (s: string) => {
    const bar = s.indexOf('|');
    if (bar < 0) return undefined;
    const title = s.slice(0, bar).trim();
    const body = s.slice(bar + 1).trim();
    return title && body && title.length <= TITLE_MAX && body.length <= BODY_MAX ? { title, body } : undefined;
  };
  switch (verb) {
    case '':
    case 'list':
      return { kind: 'list' };
    case 'add': {
      const t = titled(tail);
      return t ? { kind: 'add', ...t } : invalid;
    }
    case 'edit': {
      const e = /^#?(\d{1,9})\s+([\s\S]+)$/.exec(tail);
      const t = e ? titled(e[2] ?? '') : undefined;
      return e && t ? { kind: 'edit', id: Number(e[1]), ...t } : invalid;
    }
    case 'remove':
    case 'delete': {
      const e = /^#?(\d{1,9})\s*$/.exec(tail);
      return e ? { kind: 'remove', id: Number(e[1]) } : invalid;
    }
    default:
      return invalid;
  }
}

export async function runRepliesCommand(deps: Pick<Deps, 'db' | 'config'>, userId: string, request: RepliesRequest): Promise<SlackMessage> {
  switch (request.kind) {
    case 'list':
      return buildSavedReplyList(await listSavedReplies(deps.db));
    case 'invalid':
      return buildCommandRefused(`I did not understand that. Use ${request.usage}.`);
    case 'add': {
      await requireRole(deps, userId, 'manager', 'manage saved replies');
      const row = await insertSavedReply(deps.db, { title: request.title, body: request.body, createdBy: userId });
      return row ? buildCommandReply(`✅ Saved reply #${row.id} *${request.title}* added.`) : buildCommandRefused(`A saved reply is already called “${request.title}”.`);
    }
    case 'edit': {
      await requireRole(deps, userId, 'manager', 'manage saved replies');
      const row = await updateSavedReply(deps.db, request.id, { title: request.title, body: request.body, updatedBy: userId });
      return row ? buildCommandReply(`✅ Saved reply #${row.id} updated.`) : buildCommandRefused(`There is no saved reply #${request.id}.`);
    }
    case 'remove': {
      await requireRole(deps, userId, 'manager', 'manage saved replies');
      return (await deleteSavedReply(deps.db, request.id))
        ? buildCommandReply(`✅ Saved reply #${request.id} removed.`)
        : buildCommandRefused(`There is no saved reply #${request.id}.`);
    }
    default:
      return request satisfies never;
  }
}

/** Placeholders in braces; an unknown one stays as written, so a typo is visible in the preview. */
export function fillSavedReply(body: string, names: { customerName?: string | undefined; agentName?: string | undefined }): string {
  return body.replace(/\{(customer_name|agent_name)\}/g, (whole, key: string) => {
    const value = key === 'customer_name' ? names.customerName : names.agentName;
    return value ?? (key === 'customer_name' ? 'there' : whole);
  });
}

async function namesFor(deps: Deps, conversation: Conversation, actorId: string) {
  const contact = await findContactById(deps.db, conversation.contactId);
  return { contact, customerName: contact?.profileName ?? undefined, agentName: await signatureOf(deps, actorId) };
}

/** Who may send into this conversation now: the owner (or anyone when unowned), while the window is open. */
async function checkMaySend(deps: Deps, conversation: Conversation, actorId: string): Promise<void> {
  await requireChannelAccess(deps, actorId, conversation.channelId);
  if (conversation.ownerId && conversation.ownerId !== actorId) {
    throw new ForbiddenError(`<@${conversation.ownerId}> owns this conversation, so only they can reply. Ask them to hand it off to you.`);
  }
  if (!windowState(conversation.lastInboundAt, deps.clock.now()).open) {
    throw new InvalidInputError('The 24-hour window is closed: WhatsApp only delivers an approved template now. Use “Send a template” instead.');
  }
}

export async function openSavedReplyModalForMessage(
  deps: Deps,
  args: { triggerId: string; actorId: string; channelId: string; messageTs: string; threadTs?: string | undefined },
): Promise<void> {
  const byThread = await findConversationByThread(deps.db, args.channelId, args.threadTs ?? args.messageTs);
  const conversationId = byThread?.id ?? (await findConversationIdBySlackTs(deps.db, args.channelId, args.messageTs));
  const conversation = conversationId === undefined ? undefined : await findConversationById(deps.db, conversationId);
  if (!conversation) throw new InvalidInputError('Use “Send a saved reply” on a WhatsApp conversation: its header card or a message in its thread.');
  await checkMaySend(deps, conversation, args.actorId);
  const replies = await listSavedReplies(deps.db);
  if (replies.length === 0) {
    await deps.slack.openView({ triggerId: args.triggerId, view: buildTemplateMessageModal('There are no saved replies yet. Managers add them with /threadline replies add Title | Text.') });
    return;
  }
  const { contact } = await namesFor(deps, conversation, args.actorId);
  await deps.slack.openView({
    triggerId: args.triggerId,
    view: buildSavedReplyModal({ customerLabel: customerDisplayName(contact), replies, privateMetadata: String(conversation.id) }),
  });
}

function pickedId(view: { state?: unknown }): number | undefined {
  const values = (view.state as { values?: Record<string, Record<string, { selected_option?: { value?: unknown } | null } | undefined>> } | undefined)?.values;
  const raw = values?.[SavedReplyModalIds.pickBlock]?.[ActionIds.savedReplyPick]?.selected_option?.value;
  const parsed = conversationIdValue.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

function conversationIdOf(view: { private_metadata?: unknown }): number | undefined {
  const parsed = conversationIdValue.safeParse(view.private_metadata);
  return parsed.success ? parsed.data : undefined;
}

/** The text the customer gets: placeholders filled, signed when SIGN_REPLIES=name. */
async function composeFor(deps: Deps, conversation: Conversation, actorId: string, reply: SavedReply): Promise<string> {
  const names = await namesFor(deps, conversation, actorId);
  const filled = fillSavedReply(reply.body, names);
  return deps.config.whatsapp.signReplies === 'name' && names.agentName ? `${signatureFor(names.agentName)} ${filled}` : filled;
}

export async function refreshSavedReplyModal(deps: Deps, args: { viewId: string; actorId: string; view: { private_metadata?: unknown; state?: unknown } }): Promise<void> {
  const conversationId = conversationIdOf(args.view);
  const conversation = conversationId === undefined ? undefined : await findConversationById(deps.db, conversationId);
  if (!conversation) return;
  await requireChannelAccess(deps, args.actorId, conversation.channelId);
  const replies = await listSavedReplies(deps.db);
  const chosen = replies.find((r) => r.id === pickedId(args.view));
  const contact = await findContactById(deps.db, conversation.contactId);
  const selected = chosen ? { reply: chosen, previewText: await composeFor(deps, conversation, args.actorId, chosen) } : undefined;
  await deps.slack.updateView({
    viewId: args.viewId,
    view: buildSavedReplyModal({ customerLabel: customerDisplayName(contact), replies, selected, privateMetadata: String(conversation.id) }),
  });
}

export interface SavedReplyPlan {
  conversationId: number;
  actorId: string;
  reply: SavedReply;
  text: string;
}

export async function validateSavedReplySubmission(
  deps: Deps,
  actorId: string,
  view: { private_metadata?: unknown; state?: unknown },
): Promise<{ ok: true; plan: SavedReplyPlan } | { ok: false; errors: Record<string, string> }> {
  const block = SavedReplyModalIds.pickBlock;
  const conversationId = conversationIdOf(view);
  const conversation = conversationId === undefined ? undefined : await findConversationById(deps.db, conversationId);
  if (!conversation) return { ok: false, errors: { [block]: 'This form is out of date. Close it and start again.' } };
  const id = pickedId(view);
  const reply = id === undefined ? undefined : await findSavedReply(deps.db, id);
  if (!reply) return { ok: false, errors: { [block]: id === undefined ? 'Choose a saved reply.' : 'This saved reply was removed. Choose another one.' } };
  try {
    await checkMaySend(deps, conversation, actorId);
  } catch (err) {
    if (err instanceof ForbiddenError || err instanceof InvalidInputError) return { ok: false, errors: { [block]: err.userMessage.replace(/<@([A-Z0-9]+)>/g, 'someone else') } };
    throw err;
  }
  return { ok: true, plan: { conversationId: conversation.id, actorId, reply, text: await composeFor(deps, conversation, actorId, reply) } };
}

export function recordSavedReplySend(deps: Deps, plan: SavedReplyPlan): Promise<ComposedSendOutcome> {
  return recordComposedSend(deps, {
    conversationId: plan.conversationId,
    actorId: plan.actorId,
    kind: 'text',
    body: plan.text,
    payload: { savedReplyId: plan.reply.id },
    claimReason: 'sent a saved reply',
    audit: { type: 'saved_reply_sent', detail: { savedReplyId: plan.reply.id, title: plan.reply.title } },
  });
}

export function postSavedReplyToThread(deps: Deps, plan: SavedReplyPlan, messageId: number): Promise<void> {
  const post = buildSavedReplyPost({ agentId: plan.actorId, title: plan.reply.title, text: plan.text });
  return postComposedToThread(deps, { conversationId: plan.conversationId, actorId: plan.actorId, messageId, post, what: 'saved reply' });
}
