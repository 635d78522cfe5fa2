import {
  type TemplateFieldView,
  type TemplateOptionView,
  buildTemplateMessageModal,
  buildTemplateModal,
  buildTemplatePost,
  previewMrkdwn,
  TemplateModalIds,
} from '../../blocks/template-modal';
import { mention } from '../../blocks/primitives';
import { findContactById } from '../../db/queries/contacts';
import { findConversationById, findConversationByThread } from '../../db/queries/conversations';
import { findConversationIdBySlackTs } from '../../db/queries/handoff';
import { findLastTemplateLanguage, findTemplateById, listApprovedTemplates } from '../../db/queries/templates';
import type { Conversation, MessageTemplateRow } from '../../db/schema';
import type { Deps } from '../deps';
import { ForbiddenError, InvalidInputError } from '../errors';
import {
  type TemplateShape,
  type TemplateValues,
  buildTemplateSend,
  checkTemplateValues,
  describeTemplate,
  fieldsOf,
  renderTemplate,
} from '../whatsapp/templates';
import { requireChannelAccess } from './channel-access';
import { type ComposedSendOutcome, agentName, postComposedToThread, recordComposedSend } from './composed-send';
import { customerDisplayName } from './header-card';
import { encodeTemplateMetadata, parseTemplateMetadata, parseTemplateState, type TemplateHeaderFile } from './template-form';
import { isSlackFileUrl } from '../outbound-hosts';
import { checkHeaderMedia } from '../whatsapp/media-limits';
import { wabaForNumber } from './template-catalogue';
import { windowState } from './window';

/**
 * Sending an approved template from Slack (the only way to reach a customer whose 24-hour window closed,
 * reference/whatsapp.md §5). The same rules as a reply: only the owner sends (an unowned conversation is claimed by
 * the sender, a resolved one reopened), at most once (the outbox in src/services/delivery/whatsapp-sends.ts), the
 * status on the thread message. Variables are checked here, next to their fields, never left for Meta to refuse.
 */

/** Variables threadline can fill itself: who the customer is, who is writing. */
const CUSTOMER_NAME = new Set(['customer_name', 'name', 'first_name', 'customer']);
const AGENT_NAME = new Set(['agent_name', 'agent']);

async function loadConversation(deps: Deps, conversationId: number): Promise<Conversation> {
  const conversation = await findConversationById(deps.db, conversationId);
  if (!conversation) throw new InvalidInputError('This conversation no longer exists.');
  return conversation;
}

function ownerRefusal(ownerId: string): string {
  return `${mention(ownerId)} owns this conversation, so only they can send the customer a template. Ask them to hand it off to you, or ask a manager to reassign it.`;
}

/** The conversation's approved templates, the customer's language (as far as we know it) first. */
async function loadTemplateOptions(deps: Deps, conversation: Conversation): Promise<MessageTemplateRow[]> {
  const wabaId = await wabaForNumber(deps, conversation.phoneNumberId);
  if (!wabaId) return [];
  const templates = await listApprovedTemplates(deps.db, wabaId);
  const preferred = await findLastTemplateLanguage(deps.db, conversation.contactId);
  const rank = (t: MessageTemplateRow) => (preferred && t.language === preferred ? 0 : preferred && t.language.split('_')[0] === preferred.split('_')[0] ? 1 : 2);
  return templates.sort((a, b) => rank(a) - rank(b));
}

const optionView = (t: MessageTemplateRow): TemplateOptionView => ({ id: t.id, name: t.name, language: t.language, category: t.category });

/** The header card's button, the "window closed" ephemeral's button and the shortcut all end here. */
export async function openTemplateModal(deps: Deps, args: { triggerId: string; actorId: string; conversationId: number }): Promise<{ viewId: string }> {
  const conversation = await loadConversation(deps, args.conversationId);
  await requireChannelAccess(deps, args.actorId, conversation.channelId);
  if (conversation.ownerId && conversation.ownerId !== args.actorId) throw new ForbiddenError(ownerRefusal(conversation.ownerId));
  const templates = await loadTemplateOptions(deps, conversation);
  if (templates.length === 0) {
    const wabaKnown = (await wabaForNumber(deps, conversation.phoneNumberId)) !== undefined;
    const why = wabaKnown
      ? 'This WhatsApp number has no approved templates yet. Create one in WhatsApp Manager; it shows up here once Meta approves it.'
      : 'threadline does not know this number’s WhatsApp Business Account yet. Set WHATSAPP_BUSINESS_ACCOUNT_ID, or wait for the customer’s next message.';
    return deps.slack.openView({ triggerId: args.triggerId, view: buildTemplateMessageModal(why) });
  }
  const contact = await findContactById(deps.db, conversation.contactId);
  const view = buildTemplateModal({
    customerLabel: customerDisplayName(contact),
    windowOpen: windowState(conversation.lastInboundAt, deps.clock.now()).open,
    templates: templates.map(optionView),
    privateMetadata: encodeTemplateMetadata({ c: conversation.id }),
  });
  return deps.slack.openView({ triggerId: args.triggerId, view });
}

/** The message shortcut: the card or any message in a conversation thread. */
export async function openTemplateModalForMessage(
  deps: Deps,
  args: { triggerId: string; actorId: string; channelId: string; messageTs: string; threadTs?: string | undefined },
): Promise<void> {
  const conversation = await findConversationByThread(deps.db, args.channelId, args.threadTs ?? args.messageTs);
  const conversationId = conversation?.id ?? (await findConversationIdBySlackTs(deps.db, args.channelId, args.messageTs));
  if (conversationId === undefined) {
    throw new InvalidInputError('Use “Send a template” on a WhatsApp conversation: its header card or a message in its thread.');
  }
  await openTemplateModal(deps, { triggerId: args.triggerId, actorId: args.actorId, conversationId });
}

/**
 * A template chosen or a field typed in (block_actions from dispatch_action): the view is rebuilt with that
 * template's fields, what was typed so far, and the preview.
 */
export async function refreshTemplateModal(deps: Deps, args: { viewId: string; actorId: string; view: { private_metadata?: unknown; state?: unknown } }): Promise<void> {
  const metadata = parseTemplateMetadata(args.view.private_metadata);
  if (!metadata) return;
  const conversation = await loadConversation(deps, metadata.c);
  await requireChannelAccess(deps, args.actorId, conversation.channelId);
  const form = parseTemplateState(args.view);
  const templates = await loadTemplateOptions(deps, conversation);
  const chosen = templates.find((t) => t.id === form.templateId);
  const contact = await findContactById(deps.db, conversation.contactId);
  let selected: Parameters<typeof buildTemplateModal>[0]['selected'];
  if (chosen) {
    const shape = describeTemplate(chosen);
    const fresh = metadata.t !== chosen.id;
    const values: TemplateValues = { ...form.values };
    const fields: TemplateFieldView[] = [];
    for (const field of fieldsOf(shape)) {
      if (fresh && values[field.id] === undefined && field.variable) {
        if (CUSTOMER_NAME.has(field.variable) && contact?.profileName) values[field.id] = contact.profileName;
        if (AGENT_NAME.has(field.variable)) values[field.id] = await agentName(deps, args.actorId);
      }
      fields.push({ ...field, value: field.kind === 'file' ? undefined : values[field.id] });
    }
    selected = { template: optionView(chosen), fields, previewMrkdwn: previewMrkdwn(renderTemplate(shape, values)) };
  }
  const view = buildTemplateModal({
    customerLabel: customerDisplayName(contact),
    windowOpen: windowState(conversation.lastInboundAt, deps.clock.now()).open,
    templates: templates.map(optionView),
    selected,
    privateMetadata: encodeTemplateMetadata({ c: conversation.id, ...(chosen ? { t: chosen.id } : {}) }),
  });
  await deps.slack.updateView({ viewId: args.viewId, view });
}

export interface TemplatePlan {
  conversationId: number;
  actorId: string;
  template: MessageTemplateRow;
  shape: TemplateShape;
  values: TemplateValues;
  /** A media header uploaded in the modal: fetched from Slack and uploaded to Graph by the send step. */
  headerFile?: (TemplateHeaderFile & { mimeType: string }) | undefined;
}

export type TemplateCheck = { ok: true; plan: TemplatePlan } | { ok: false; errors: Record<string, string> };

/** The submission checked before Slack's ack (slack.md §4 response_action: errors): nothing wrong reaches Meta. */
export async function validateTemplateSubmission(deps: Deps, actorId: string, view: { private_metadata?: unknown; state?: unknown }): Promise<TemplateCheck> {
  const pick = TemplateModalIds.pickBlock;
  const metadata = parseTemplateMetadata(view.private_metadata);
  if (!metadata) return { ok: false, errors: { [pick]: 'This form is out of date. Close it and start again.' } };
  const conversation = await findConversationById(deps.db, metadata.c);
  if (!conversation) return { ok: false, errors: { [pick]: 'This conversation no longer exists.' } };
  const form = parseTemplateState(view);
  if (form.templateId === undefined) return { ok: false, errors: { [pick]: 'Choose a template.' } };
  const template = await findTemplateById(deps.db, form.templateId);
  const wabaId = await wabaForNumber(deps, conversation.phoneNumberId);
  if (!template || template.wabaId !== wabaId || template.status !== 'APPROVED') {
    return { ok: false, errors: { [pick]: 'This template is no longer approved (paused, disabled or removed). Choose another one.' } };
  }
  const shape = describeTemplate(template);
  const expected = fieldsOf(shape).map((f) => f.id);
  // The form was built for another version of this template (or tampered with): its fields are not the template's.
  if (metadata.t !== template.id || expected.length !== form.fieldIds.length || expected.some((id) => !form.fieldIds.includes(id))) {
    return {
      ok: false,
      errors: { [pick]: `This template now has ${expected.length} field${expected.length === 1 ? '' : 's'} to fill, not ${form.fieldIds.length}. Choose it again to refresh the form.` },
    };
  }
  const problems = checkTemplateValues(shape, form.values, form.headerFile);
  if (form.headerFiles > 1) problems.header_file = 'One file only: the header shows one.';
  // The bot token goes only to Slack's file hosts (outbound-hosts.ts): a file elsewhere is refused here, in words.
  else if (form.headerFile && !isSlackFileUrl(form.headerFile.url, deps.config.slack.apiUrl)) problems.header_file = 'This file is not on Slack; upload it again.';
  if (Object.keys(problems).length > 0) {
    const errors: Record<string, string> = {};
    for (const [fieldId, message] of Object.entries(problems)) errors[expected.includes(fieldId) ? TemplateModalIds.fieldBlock(template.id, fieldId) : pick] = message;
    return { ok: false, errors };
  }
  if (conversation.ownerId && conversation.ownerId !== actorId) {
    const name = await agentName(deps, conversation.ownerId);
    return { ok: false, errors: { [pick]: `${name ?? 'Someone else'} owns this conversation, so only they can send a template. Ask them to hand it off to you.` } };
  }
  // Checked above; asked again for the MIME type to upload under (the normalised one, which Graph matches, 131053).
  const media = shape.header?.kind === 'media' && form.headerFile ? checkHeaderMedia(shape.header.format, form.headerFile) : undefined;
  const headerFile = form.headerFile && media?.ok ? { ...form.headerFile, mimeType: media.mimeType } : undefined;
  return { ok: true, plan: { conversationId: conversation.id, actorId, template, shape, values: form.values, headerFile } };
}

export type TemplateSendOutcome = ComposedSendOutcome;

/** Durable before the ack (composed-send.ts): the claim or reopen, the outbound row held until its post is up. */
export function recordTemplateSend(deps: Deps, plan: TemplatePlan): Promise<TemplateSendOutcome> {
  return recordComposedSend(deps, {
    conversationId: plan.conversationId,
    actorId: plan.actorId,
    kind: 'template',
    body: renderTemplate(plan.shape, plan.values),
    payload: {
      template: buildTemplateSend(plan.shape, plan.values),
      category: plan.template.category,
      templateId: plan.template.id,
      ...(plan.headerFile && plan.shape.header?.kind === 'media'
        ? { headerFile: { name: plan.headerFile.name, url: plan.headerFile.url, mimeType: plan.headerFile.mimeType, type: plan.shape.header.format.toLowerCase() } }
        : {}),
    },
    claimReason: 'sent a template',
    audit: { type: 'template_sent', detail: { template: plan.template.name, language: plan.template.language, category: plan.template.category } },
  });
}

/** The rendered template into the thread under the agent's name, then it is queued for WhatsApp. */
export function postTemplateToThread(deps: Deps, plan: TemplatePlan, messageId: number): Promise<void> {
  const text = renderTemplate(plan.shape, plan.values);
  const post = buildTemplatePost({ agentId: plan.actorId, name: plan.template.name, language: plan.template.language, category: plan.template.category, text });
  return postComposedToThread(deps, { conversationId: plan.conversationId, actorId: plan.actorId, messageId, post, what: 'template' });
}
