import { parsePhoneNumber } from 'awesome-phonenumber';
import type {
  Button,
  ConfirmationDialog,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import { literalMrkdwn, splitMrkdwn, truncate, truncateMrkdwn } from './text';
import type { CustomerView, SlackMessage } from './types';

export {
  escapeMrkdwn,
  flattenMrkdwn,
  formatUtcDay,
  formatUtcTime,
  link,
  literalMrkdwn,
  makeSnippet,
  mention,
  slackDate,
  slackDateTime,
  slackDay,
  slackTime,
  splitMrkdwn,
  truncate,
  truncateMrkdwn,
} from './text';

/** Block Kit limits (slack.md §5), in characters. */
export const SlackLimits = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  optionText: 75,
  placeholderText: 150,
  /** Our cap on the fallback: it only feeds notifications and screen readers; Slack cuts at 40,000 (slack.md §5). */
  fallbackText: 3000,
} as const;

/** A text object may not be empty (slack.md §5: 1–3000 characters). */
const EMPTY_TEXT = ' ';

export function mrkdwn(text: string, max: number = SlackLimits.sectionText): MrkdwnElement {
  return { type: 'mrkdwn', text: truncateMrkdwn(text, max) || EMPTY_TEXT };
}

/** Plain text is never parsed by Slack, so user text goes in as it is (no escaping). */
export function plainText(text: string, max: number = SlackLimits.sectionText): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max) || EMPTY_TEXT, emoji: true };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plainText(text, SlackLimits.headerText) };
}

export function section(textMrkdwn: string, blockId?: string): SectionBlock {
  return { type: 'section', text: mrkdwn(textMrkdwn), ...(blockId ? { block_id: blockId } : {}) };
}

/** Long mrkdwn over several sections; past `maxSections` the rest is cut and marked with "…". */
export function sections(textMrkdwn: string, maxSections: number): SectionBlock[] {
  const chunks = splitMrkdwn(textMrkdwn, SlackLimits.sectionText);
  if (chunks.length > maxSections) {
    const kept = chunks.slice(0, Math.max(1, maxSections));
    const last = kept.length - 1;
    kept[last] = truncateMrkdwn(`${kept[last] ?? ''}\n…`, SlackLimits.sectionText);
    return kept.map((chunk) => section(chunk));
  }
  return chunks.map((chunk) => section(chunk));
}

/** A section of label/value fields, e.g. "*State*\nUnassigned" (≤ 10 fields of ≤ 2000 chars, slack.md §5). */
export function fieldsSection(fields: string[]): SectionBlock {
  return {
    type: 'section',
    fields: fields.slice(0, SlackLimits.sectionFields).map((field) => mrkdwn(field, SlackLimits.fieldText)),
  };
}

/** A context line; past Slack's 10 elements the rest are joined into the last one (slack.md §5). */
export function context(itemsMrkdwn: string[], blockId?: string): ContextBlock {
  const items = itemsMrkdwn.filter((item) => item.trim() !== '');
  const max = SlackLimits.contextElements;
  const merged = items.length > max ? [...items.slice(0, max - 1), items.slice(max - 1).join('  ·  ')] : items;
  return {
    type: 'context',
    elements: (merged.length > 0 ? merged : [EMPTY_TEXT]).map((item) => mrkdwn(item, SlackLimits.contextText)),
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export interface ButtonSpec {
  actionId: string;
  text: string;
  value: string;
  style?: 'primary' | 'danger' | undefined;
  confirm?: ConfirmationDialog | undefined;
}

export function button(spec: ButtonSpec): Button {
  // A value is an id the handler parses: cutting it would act on the wrong thing, so refuse instead.
  if (spec.value.length > SlackLimits.buttonValue) {
    throw new RangeError(`button value longer than ${SlackLimits.buttonValue} characters`);
  }
  return {
    type: 'button',
    action_id: spec.actionId,
    text: plainText(spec.text, SlackLimits.buttonText),
    value: spec.value,
    ...(spec.style ? { style: spec.style } : {}),
    ...(spec.confirm ? { confirm: spec.confirm } : {}),
  };
}

export interface ConfirmSpec {
  title: string;
  textMrkdwn: string;
  confirm: string;
  deny: string;
  style?: 'primary' | 'danger' | undefined;
}

/** Confirm dialog: title 100, text 300, buttons 30 characters (slack.md §5). */
export function confirm(spec: ConfirmSpec): ConfirmationDialog {
  return {
    title: plainText(spec.title, SlackLimits.confirmTitle),
    text: mrkdwn(spec.textMrkdwn, SlackLimits.confirmText),
    confirm: plainText(spec.confirm, SlackLimits.confirmButton),
    deny: plainText(spec.deny, SlackLimits.confirmButton),
    ...(spec.style ? { style: spec.style } : {}),
  };
}

/** The finished message: fallback capped and never empty, at most 50 blocks (slack.md §5). */
export function composeMessage(fallbackMrkdwn: string, blocks: KnownBlock[]): SlackMessage {
  return {
    text: truncateMrkdwn(fallbackMrkdwn, SlackLimits.fallbackText) || EMPTY_TEXT,
    blocks: blocks.slice(0, SlackLimits.blocksPerMessage),
  };
}

/**
 * A number as people write it internationally ("+55 11 98765-4321", "+1 555-000-2222"), grouped by its country's
 * numbering plan through Google's libphonenumber (awesome-phonenumber): hand-made grouping gets most countries wrong.
 * A number libphonenumber cannot place (too short, unknown country code) is shown as its digits after a "+".
 */
export function formatPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (!digits) return phone;
  const parsed = parsePhoneNumber(`+${digits}`);
  // `possible` rather than `valid`: a number in a range not yet assigned (test numbers, new ranges) is still grouped.
  return parsed.possible && parsed.number?.international ? parsed.number.international : `+${digits}`;
}

/**
 * How to call the customer, as plain text (escape it for mrkdwn): their profile name, else their number, else their
 * username, since 2026 users may have no number (whatsapp.md §6).
 */
export function customerLabel(customer: CustomerView): string {
  const name = customer.name?.trim();
  if (name) return name;
  if (customer.phone) return formatPhone(customer.phone);
  const username = customer.username?.trim();
  if (username) return `@${username.replace(/^@/, '')}`;
  return 'Unknown customer';
}

/** The customer's label for mrkdwn (bold in lists, digests, summaries), shown as written whatever it contains. */
export function customerLabelMrkdwn(customer: CustomerView): string {
  return literalMrkdwn(customerLabel(customer));
}

/** The customer's identifiers other than the one customerLabel shows, plain text: "+1 555 000 2222 · @alice". */
export function customerDetails(customer: CustomerView): string {
  const label = customerLabel(customer);
  const parts: string[] = [];
  if (customer.phone) parts.push(formatPhone(customer.phone));
  const username = customer.username?.trim();
  if (username) parts.push(`@${username.replace(/^@/, '')}`);
  return parts.filter((part) => part !== label).join(' · ');
}
