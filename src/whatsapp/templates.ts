/**
 * Message templates as Meta describes them (GET /<WABA_ID>/message_templates) and as a send must fill them
 * (reference/whatsapp.md §3.1 Template: the parameters must match the approved template in count and order).
 * Pure: parsing is lenient (a component we do not know is kept and ignored), filling is strict.
 */
import { z } from 'zod';
import { checkHeaderMedia, describeBytes, HEADER_FILE_EXTENSIONS, type HeaderMediaFile, MAX_IMAGE_BYTES, MAX_VIDEO_BYTES } from './media-limits';

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];
export type ParameterFormat = 'POSITIONAL' | 'NAMED';
export type HeaderMediaFormat = 'IMAGE' | 'VIDEO' | 'DOCUMENT';

/** A template as the catalogue endpoint lists it; unknown fields pass through. */
export const graphTemplateSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String).optional(),
    name: z.string().min(1).max(512),
    language: z.string().min(1).max(20),
    category: z.string().default('UTILITY'),
    status: z.string().default('APPROVED'),
    parameter_format: z.string().optional(),
    components: z.array(z.unknown()).default([]),
  })
  .passthrough();
export type GraphTemplate = z.infer<typeof graphTemplateSchema>;

/** One `{{…}}` of a template: `1`, `2`, … (positional) or `customer_name` (named), with Meta's example. */
export interface TemplateVariable {
  key: string;
  example?: string | undefined;
}

export interface TemplateButton {
  index: number;
  type: string;
  text: string;
  /** A URL button whose address ends in `{{1}}`: the agent fills the suffix. */
  urlSuffix?: { base: string; example?: string | undefined } | undefined;
}

/** What the picker and the send need to know about a template. */
export interface TemplateShape {
  name: string;
  language: string;
  category: string;
  format: ParameterFormat;
  header?: { kind: 'text'; text: string; variables: TemplateVariable[] } | { kind: 'media'; format: HeaderMediaFormat } | undefined;
  body: { text: string; variables: TemplateVariable[] };
  footer?: string | undefined;
  buttons: TemplateButton[];
}

/**
 * The agent's answers, by field: `body:<key>`, `header:<key>`, `header_link`, `button:<index>`, and `header_file`:
 * the name of the file uploaded for a media header (the file itself travels beside the values, HeaderMediaFile).
 */
export type TemplateValues = Record<string, string | undefined>;

const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Variables in order of first appearance; a variable used twice is filled once (Meta's count is per distinct). */
export function variablesIn(text: string): string[] {
  const seen: string[] = [];
  for (const m of text.matchAll(VARIABLE)) {
    const key = m[1] ?? '';
    if (!seen.includes(key)) seen.push(key);
  }
  // Positional parameters are sent in numeric order, whatever order the text uses them in.
  return seen.every((k) => /^\d+$/.test(k)) ? seen.sort((a, b) => Number(a) - Number(b)) : seen;
}

function examplesFor(keys: string[], example: unknown, kind: 'body' | 'header'): TemplateVariable[] {
  const ex = isObject(example) ? example : {};
  const named = ex[`${kind}_text_named_params`];
  const byName = new Map<string, string>();
  if (Array.isArray(named)) {
    for (const p of named) if (isObject(p) && str(p.param_name)) byName.set(String(p.param_name), String(p.example ?? ''));
  }
  const positional = ex[`${kind}_text`];
  // body_text is [[…]] (one row per example set), header_text is […].
  const row: unknown[] = Array.isArray(positional) ? (Array.isArray(positional[0]) ? (positional[0] as unknown[]) : positional) : [];
  return keys.map((key, i) => ({ key, example: byName.get(key) ?? str(row[/^\d+$/.test(key) ? Number(key) - 1 : i]) }));
}

/** Reads a stored template into the shape the picker shows; never throws on a component it does not know. */
export function describeTemplate(t: { name: string; language: string; category: string; parameterFormat?: string | null; components: unknown[] }): TemplateShape {
  const shape: TemplateShape = {
    name: t.name,
    language: t.language,
    category: t.category,
    format: t.parameterFormat === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    body: { text: '', variables: [] },
    buttons: [],
  };
  for (const c of t.components) {
    if (!isObject(c)) continue;
    const type = String(c.type ?? '').toUpperCase();
    if (type === 'HEADER') {
      const format = String(c.format ?? 'TEXT').toUpperCase();
      if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT') shape.header = { kind: 'media', format };
      else if (format === 'TEXT') {
        const text = str(c.text) ?? '';
        shape.header = { kind: 'text', text, variables: examplesFor(variablesIn(text), c.example, 'header') };
      }
    } else if (type === 'BODY') {
      const text = str(c.text) ?? '';
      shape.body = { text, variables: examplesFor(variablesIn(text), c.example, 'body') };
    } else if (type === 'FOOTER') {
      shape.footer = str(c.text);
    } else if (type === 'BUTTONS' && Array.isArray(c.buttons)) {
      c.buttons.forEach((b, index) => {
        if (!isObject(b)) return;
        const url = str(b.url);
        const button: TemplateButton = { index, type: String(b.type ?? '').toUpperCase(), text: str(b.text) ?? '' };
        if (button.type === 'URL' && url && variablesIn(url).length > 0) {
          const example = Array.isArray(b.example) ? str(b.example[0]) : undefined;
          button.urlSuffix = { base: url.replace(VARIABLE, ''), example: example?.startsWith(url.replace(VARIABLE, '')) ? example.slice(url.replace(VARIABLE, '').length) : example };
        }
        shape.buttons.push(button);
      });
    }
  }
  return shape;
}

export interface TemplateField {
  id: string;
  label: string;
  example?: string | undefined;
  variable?: string;
  /** A file upload (Slack's file_input) rather than text. */
  kind?: 'file';
  /** A media header is a link or an upload: each field alone may stay empty. */
  optional?: boolean;
  hint?: string;
  filetypes?: string[];
}

/** What a header of this format accepts, in words for the upload field's hint. */
function headerUploadHint(format: HeaderMediaFormat): string {
  if (format === 'IMAGE') return `JPEG or PNG, up to ${describeBytes(MAX_IMAGE_BYTES)}.`;
  // Slack's file_input takes files up to 10 MB (its element reference), below Meta's video and document limits.
  if (format === 'VIDEO') return `MP4 or 3GPP, up to ${describeBytes(Math.min(MAX_VIDEO_BYTES, SLACK_FILE_INPUT_MAX_BYTES))}.`;
  return `PDF, TXT, Word, Excel or PowerPoint, up to ${describeBytes(SLACK_FILE_INPUT_MAX_BYTES)}.`;
}

/** Slack's file_input limit (docs.slack.dev/reference/block-kit/block-elements/file-input-element: "10MB"). */
export const SLACK_FILE_INPUT_MAX_BYTES = 10_000_000;

/** Every field the agent fills, in the order the modal shows them. */
export function fieldsOf(shape: TemplateShape): TemplateField[] {
  const fields: TemplateField[] = [];
  if (shape.header?.kind === 'media') {
    const what = shape.header.format.toLowerCase();
    fields.push({ id: 'header_link', label: `Header ${what}: a link`, optional: true, hint: `An https:// link to the ${what}, or upload it below.` });
    fields.push({ id: 'header_file', label: `…or upload the ${what}`, kind: 'file', optional: true, hint: headerUploadHint(shape.header.format), filetypes: HEADER_FILE_EXTENSIONS[shape.header.format] });
  }
  if (shape.header?.kind === 'text') {
    for (const v of shape.header.variables) fields.push({ id: `header:${v.key}`, label: `Header {{${v.key}}}`, example: v.example, variable: v.key });
  }
  for (const v of shape.body.variables) fields.push({ id: `body:${v.key}`, label: `{{${v.key}}}`, example: v.example, variable: v.key });
  for (const b of shape.buttons) {
    if (b.urlSuffix) fields.push({ id: `button:${b.index}`, label: `“${b.text}” link ending`, example: b.urlSuffix.example });
  }
  return fields;
}

/** A media header: a link or one uploaded file, never both, the file within the header type's limits. */
function checkHeaderMediaFields(format: HeaderMediaFormat, values: TemplateValues, file: HeaderMediaFile | undefined): Record<string, string> {
  const link = values.header_link?.trim() ?? '';
  const what = format.toLowerCase();
  if (!link && !file) return { header_link: `Give a link to the ${what} (https://…), or upload it below.` };
  if (link && file) return { header_file: 'Give a link or upload a file, not both.' };
  if (link) return /^https:\/\/[^\s]+$/i.test(link) ? {} : { header_link: 'This must be an https:// link to the file.' };
  const checked = checkHeaderMedia(format, file as HeaderMediaFile);
  return checked.ok ? {} : { header_file: checked.reason };
}

/**
 * Meta refuses a text parameter with a new line, a tab or more than four spaces in a row (reference/whatsapp.md
 * §4.2 132000-range), and the whole body past 1,024 characters (132005): refused here, next to the field.
 */
export const BODY_MAX_CHARS = 1024;
const MAX_PARAM_CHARS = 1000;

export function checkTemplateValues(shape: TemplateShape, values: TemplateValues, headerFile?: HeaderMediaFile): Record<string, string> {
  const errors: Record<string, string> = shape.header?.kind === 'media' ? checkHeaderMediaFields(shape.header.format, values, headerFile) : {};
  for (const field of fieldsOf(shape)) {
    if (field.id === 'header_link' || field.id === 'header_file') continue;
    const value = values[field.id]?.trim() ?? '';
    if (!value) {
      errors[field.id] = 'Fill this in: the template needs it.';
      continue;
    }
    if (/[\n\t]/.test(value) || / {5,}/.test(value)) errors[field.id] = 'WhatsApp does not accept new lines, tabs or more than four spaces in a row here.';
    else if ([...value].length > MAX_PARAM_CHARS) errors[field.id] = `At most ${MAX_PARAM_CHARS} characters.`;
  }
  if (Object.keys(errors).length === 0 && [...renderBody(shape, values)].length > BODY_MAX_CHARS) {
    const last = shape.body.variables.at(-1);
    errors[last ? `body:${last.key}` : 'template'] = `The message would be over ${BODY_MAX_CHARS} characters; shorten the values.`;
  }
  return errors;
}

function fill(text: string, values: TemplateValues, prefix: string, blank: (key: string) => string): string {
  return text.replace(VARIABLE, (_, key: string) => values[`${prefix}:${key}`]?.trim() || blank(key));
}

export function renderBody(shape: TemplateShape, values: TemplateValues, blank: (key: string) => string = (k) => `{{${k}}}`): string {
  return fill(shape.body.text, values, 'body', blank);
}

/** The template as the customer will read it: header, body, footer, buttons. */
export function renderTemplate(shape: TemplateShape, values: TemplateValues, blank?: (key: string) => string): string {
  const lines: string[] = [];
  if (shape.header?.kind === 'text') lines.push(`*${fill(shape.header.text, values, 'header', blank ?? ((k) => `{{${k}}}`))}*`);
  if (shape.header?.kind === 'media') {
    const media = values.header_link?.trim() || values.header_file?.trim();
    lines.push(`[${shape.header.format.toLowerCase()}${media ? `: ${media}` : ''}]`);
  }
  lines.push(renderBody(shape, values, blank));
  if (shape.footer) lines.push(`_${shape.footer}_`);
  const buttons = shape.buttons.map((b) => `[${b.text}]`).join(' ');
  if (buttons) lines.push(buttons);
  return lines.join('\n');
}

function textParameter(shape: TemplateShape, key: string, text: string): Json {
  return shape.format === 'NAMED' ? { type: 'text', parameter_name: key, text } : { type: 'text', text };
}

/** The `template` object of a send: name, language and the components with exactly the values given. */
export function buildTemplateSend(shape: TemplateShape, values: TemplateValues): { name: string; language: { code: string }; components: Json[] } {
  const components: Json[] = [];
  const v = (id: string) => values[id]?.trim() ?? '';
  // An uploaded header file has no media id until the send step uploads it to Graph (attachHeaderMedia).
  if (shape.header?.kind === 'media' && v('header_link')) {
    const type = shape.header.format.toLowerCase();
    components.push({ type: 'header', parameters: [{ type, [type]: { link: v('header_link') } }] });
  } else if (shape.header?.kind === 'text' && shape.header.variables.length > 0) {
    const header = shape.header;
    components.push({ type: 'header', parameters: header.variables.map((x) => textParameter(shape, x.key, v(`header:${x.key}`))) });
  }
  if (shape.body.variables.length > 0) {
    components.push({ type: 'body', parameters: shape.body.variables.map((x) => textParameter(shape, x.key, v(`body:${x.key}`))) });
  }
  for (const b of shape.buttons) {
    if (b.urlSuffix) components.push({ type: 'button', sub_type: 'url', index: String(b.index), parameters: [{ type: 'text', text: v(`button:${b.index}`) }] });
    // Authentication templates: the one-time code goes in the body and again in the copy-code button.
    if (b.type === 'OTP' && shape.body.variables[0]) {
      components.push({ type: 'button', sub_type: 'url', index: String(b.index), parameters: [{ type: 'text', text: v(`body:${shape.body.variables[0].key}`) }] });
    }
  }
  return { name: shape.name, language: { code: shape.language }, components };
}

export type TemplateSend = ReturnType<typeof buildTemplateSend>;

/**
 * The header parameter of a media header sent by id: the file uploaded to POST /<PHONE_NUMBER_ID>/media
 * (reference/whatsapp.md §3.3), a document with its file name (which picks the customer's icon, §3.2).
 */
export function attachHeaderMedia(template: TemplateSend, media: { type: 'image' | 'video' | 'document'; mediaId: string; filename?: string | undefined }): TemplateSend {
  const object = { id: media.mediaId, ...(media.type === 'document' && media.filename ? { filename: media.filename } : {}) };
  const header = { type: 'header', parameters: [{ type: media.type, [media.type]: object }] };
  return { ...template, components: [header, ...template.components.filter((c) => String(c.type) !== 'header')] };
}
