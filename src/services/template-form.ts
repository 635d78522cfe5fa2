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

const stateSchema = z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish(), selected_option: z.object({ value: z.string() }).nullish() }).passthrough()));

export interface TemplateFormState {
  templateId: number | undefined;
  /** Values of the fields shown for `templateId` (other templates' leftovers are dropped); null = emptied. */
  values: TemplateValues;
  /** Which fields of that template were in the view (to notice a template that changed under the modal). */
  fieldIds: string[];
}

export function parseTemplateState(view: { state?: unknown } | undefined): TemplateFormState {
  const parsed = stateSchema.safeParse((view?.state as { values?: unknown } | undefined)?.values ?? {});
  const values = parsed.success ? parsed.data : {};
  const picked = values[TemplateModalIds.pickBlock]?.[ActionIds.templatePick]?.selected_option?.value;
  const id = conversationIdValue.safeParse(picked);
  const templateId = id.success ? id.data : undefined;
  const form: TemplateFormState = { templateId, values: {}, fieldIds: [] };
  for (const [blockId, actions] of Object.entries(values)) {
    const field = TemplateModalIds.fieldOf(blockId);
    if (!field || field.templateId !== templateId) continue;
    form.fieldIds.push(field.fieldId);
    form.values[field.fieldId] = actions[ActionIds.templateValue]?.value ?? undefined;
  }
  return form;
}
