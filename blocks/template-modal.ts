import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { ActionIds, CallbackIds } from '../src/ids';
import { context, escapeMrkdwn, makeSnippet, plainText, section } from './primitives';
import type { SlackMessage } from './types';

/**
 * The template picker (slack.md §4 modal limits: title/submit ≤ 24 characters, 100 blocks, a static_select of at
 * most 100 options, private_metadata ≤ 3000). Choosing a template or typing in a field sends block_actions
 * (dispatch_action), and the service answers with views.update: the fields and the preview follow.
 */

export const TemplateModalIds = {
  callbackId: CallbackIds.templateModal,
  pickBlock: 'tpl_pick',
  /** The template id is part of the block id: choosing another template starts its fields empty (slack.md §4). */
  fieldBlock: (templateId: number, fieldId: string) => `tpl_field:${templateId}:${fieldId}`,
  fieldOf: (blockId: string): { templateId: number; fieldId: string } | undefined => {
    const m = /^tpl_field:(\d{1,10}):(.{1,200})$/.exec(blockId);
    return m ? { templateId: Number(m[1]), fieldId: m[2] ?? '' } : undefined;
  },
} as const;

export const MAX_TEMPLATE_OPTIONS = 100;

export interface TemplateOptionView {
  id: number;
  name: string;
  language: string;
  category: string;
}

export interface TemplateFieldView {
  id: string;
  label: string;
  example?: string | undefined;
  /** An upload (file_input) instead of a text input. */
  kind?: 'file' | undefined;
  optional?: boolean | undefined;
  hint?: string | undefined;
  /** For an upload: the extensions Slack's picker offers. */
  filetypes?: string[] | undefined;
  /** Prefilled (customer name, agent name) or what was typed before the view was rebuilt. */
  value?: string | undefined;
}

export interface TemplateModalInput {
  customerLabel: string;
  windowOpen: boolean;
  templates: TemplateOptionView[];
  selected?: { template: TemplateOptionView; fields: TemplateFieldView[]; previewMrkdwn: string } | undefined;
  privateMetadata: string;
}

const CATEGORY_NOTES: Record<string, string> = {
  MARKETING: '📣 *Marketing* template: costs more than a utility one, and the customer may have turned marketing messages off (then it is refused).',
  UTILITY: '🧾 *Utility* template: about something the customer asked for or bought.',
  AUTHENTICATION: '🔐 *Authentication* template: a one-time code; WhatsApp drops it if not delivered within 10 minutes.',
};

export function describeCategory(category: string): string {
  return CATEGORY_NOTES[category] ?? `*${escapeMrkdwn(category.toLowerCase())}* template.`;
}

function optionOf(t: TemplateOptionView): PlainTextOption {
  const category = t.category.charAt(0) + t.category.slice(1).toLowerCase();
  return { text: plainText(`${t.name} (${t.language}) · ${category}`, 75), value: String(t.id) };
}

export function buildTemplateModal(input: TemplateModalInput): ModalView {
  const blocks: KnownBlock[] = [];
  const window = input.windowOpen ? 'The 24-hour window is open.' : 'The 24-hour window is closed: only an approved template reaches the customer.';
  blocks.push(section(`To *${escapeMrkdwn(input.customerLabel)}*. ${window}`));
  const options = input.templates.slice(0, MAX_TEMPLATE_OPTIONS).map(optionOf);
  const pick: InputBlock = {
    type: 'input',
    block_id: TemplateModalIds.pickBlock,
    dispatch_action: true,
    label: plainText('Template'),
    element: {
      type: 'static_select',
      action_id: ActionIds.templatePick,
      placeholder: plainText('Choose an approved template'),
      options,
      ...(input.selected ? { initial_option: optionOf(input.selected.template) } : {}),
    },
  };
  blocks.push(pick);
  if (input.selected) {
    blocks.push(context([describeCategory(input.selected.template.category)]));
    for (const field of input.selected.fields) blocks.push(fieldInput(input.selected.template.id, field));
    blocks.push(section(`*Preview*\n${input.selected.previewMrkdwn}`, 'tpl_preview'));
  }
  return {
    type: 'modal',
    callback_id: TemplateModalIds.callbackId,
    title: plainText('Send a template', 24),
    submit: plainText('Send template', 24),
    close: plainText('Cancel', 24),
    private_metadata: input.privateMetadata,
    blocks: blocks.slice(0, 100),
  };
}

function fieldInput(templateId: number, field: TemplateFieldView): InputBlock {
  const common = {
    type: 'input' as const,
    block_id: TemplateModalIds.fieldBlock(templateId, field.id),
    label: plainText(field.label, 2000),
    ...(field.optional ? { optional: true } : {}),
    ...(field.hint ? { hint: plainText(field.hint, 2000) } : {}),
  };
  if (field.kind === 'file') {
    // A file_input sends no block_actions (it is read from view_submission's state as `files`), so no dispatch_action;
    // one file at most: a header carries one (file input element reference: max_files 1–10, filetypes).
    return { ...common, element: { type: 'file_input', action_id: ActionIds.templateFile, max_files: 1, ...(field.filetypes ? { filetypes: field.filetypes } : {}) } };
  }
  return {
    ...common,
    dispatch_action: true,
    element: {
      type: 'plain_text_input',
      action_id: ActionIds.templateValue,
      dispatch_action_config: { trigger_actions_on: ['on_character_entered', 'on_enter_pressed'] },
      ...(field.example ? { placeholder: plainText(`e.g. ${field.example}`, 150) } : {}),
      ...(field.value ? { initial_value: field.value.slice(0, 3000) } : {}),
    },
  };
}

/** The rendered template as the preview shows it: the customer's text quoted, unfilled variables visible. */
export function previewMrkdwn(renderedText: string): string {
  return renderedText
    .split('\n')
    .map((line) => `>${escapeMrkdwn(line)}`)
    .join('\n');
}

export function buildTemplateMessageModal(text: string): ModalView {
  return {
    type: 'modal',
    callback_id: TemplateModalIds.callbackId,
    title: plainText('Send a template', 24),
    close: plainText('Close', 24),
    blocks: [section(escapeMrkdwn(text))],
  };
}

/** The template in the thread, under the agent's name, marked as a template (it is not what they typed). */
export function buildTemplatePost(input: { agentId: string; name: string; language: string; category: string; text: string }): SlackMessage {
  const label = `📨 WhatsApp template *${escapeMrkdwn(input.name)}* (${escapeMrkdwn(input.language)}, ${input.category.toLowerCase()}) sent by <@${input.agentId}>`;
  return {
    text: `Template ${input.name}: ${makeSnippet(input.text, 200)}`,
    blocks: [context([label]), section(previewMrkdwn(input.text))],
  };
}
