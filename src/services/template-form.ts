import { z } from 'zod';
import { TemplateModalIds } from '../../blocks/template-modal';
import { ActionIds, conversationIdValue, serialIdNumber } from '../ids';
import type { TemplateValues } from '../whatsapp/templates';

/**
 * The template modal's own data, parsed strictly (STYLE: zod for view state): which conversation it is for, in
 * private_metadata, and what the agent chose and typed, in view.state.values.
 */
/** Both are `serial` ids: a larger number is not ours and would fail the query (int4). */
const metadataSchema = z.object({ c: serialIdNumber, t: serialIdNumber.optional() });
export type TemplateModalMetadata = z.infer<typeof metadataSchema>;

export function encodeTemplateMetadata(m: TemplateModalMetadata): string {
  return JSON.stringify(m);
}

export function parseTemplateMetadata(raw: unknown): TemplateModalMetadata | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A file_input's file as view state carries it (Slack's file object; Bolt's UploadedFile): what the send needs. */
const uploadedFileSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().max(1000).default('file'),
    mimetype: z.string().max(255).default(''),
    size: z.number().nonnegative(),
    url_private: z.string().max(3000),
    url_private_download: z.string().max(3000).optional(),
  })
  .passthrough();

const stateSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.object({ value: z.string().nullish(), selected_option: z.object({ value: z.string() }).nullish(), files: z.array(uploadedFileSchema).max(10).nullish() }).passthrough(),
  ),
);

/** The file uploaded for a template's media header, as the send step fetches it (with the bot token). */
export interface TemplateHeaderFile {
  id: string;
  name: string;
  mimetype: string;
  size: number;
  /** url_private_download (url_private when Slack gave no download URL). */
  url: string;
}

export interface TemplateFormState {
  templateId: number | undefined;
  /** Values of the fields shown for `templateId` (other templates' leftovers are dropped); null = emptied. */
  values: TemplateValues;
  /** Which fields of that template were in the view (to notice a template that changed under the modal). */
  fieldIds: string[];
  /** The file uploaded for a media header (its name is also values.header_file, for the preview). */
  headerFile?: TemplateHeaderFile | undefined;
  /** More than one file in the header's upload field (its max_files is 1, so only a tampered form does this). */
  headerFiles: number;
}

export function parseTemplateState(view: { state?: unknown } | undefined): TemplateFormState {
  const parsed = stateSchema.safeParse((view?.state as { values?: unknown } | undefined)?.values ?? {});
  const values = parsed.success ? parsed.data : {};
  const picked = values[TemplateModalIds.pickBlock]?.[ActionIds.templatePick]?.selected_option?.value;
  const id = conversationIdValue.safeParse(picked);
  const templateId = id.success ? id.data : undefined;
  const form: TemplateFormState = { templateId, values: {}, fieldIds: [], headerFiles: 0 };
  for (const [blockId, actions] of Object.entries(values)) {
    const field = TemplateModalIds.fieldOf(blockId);
    if (!field || field.templateId !== templateId) continue;
    form.fieldIds.push(field.fieldId);
    if (field.fieldId === 'header_file') {
      const files = actions[ActionIds.templateFile]?.files ?? [];
      const file = files[0];
      form.headerFiles = files.length;
      if (file) {
        form.headerFile = { id: file.id, name: file.name, mimetype: file.mimetype, size: file.size, url: file.url_private_download ?? file.url_private };
        form.values.header_file = file.name;
      }
      continue;
    }
    form.values[field.fieldId] = actions[ActionIds.templateValue]?.value ?? undefined;
  }
  return form;
}
