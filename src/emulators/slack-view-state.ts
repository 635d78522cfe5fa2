/**
 * Builds `view.state.values[block_id][action_id]` the way Slack fills it for a view_submission (slack.md §4), from
 * plain values a test gives: a string for text inputs and single selects, a string[] for multi selects and for a
 * file_input (the ids of files the person uploaded into it).
 */

export type SubmittedValue = string | string[] | null | undefined;
export type SubmittedValues = Record<string, Record<string, SubmittedValue>>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Options of a select or radio group, flattened out of option_groups. */
function optionsOf(element: Json): Json[] {
  const direct = Array.isArray(element.options) ? element.options.filter(isObject) : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.filter(isObject).flatMap((g) => (Array.isArray(g.options) ? g.options.filter(isObject) : []))
    : [];
  return [...direct, ...grouped];
}

function pickOption(element: Json, value: string, where: string): Json {
  const option = optionsOf(element).find((o) => o.value === value);
  // external_select options come from our own options endpoint, so any value is possible.
  if (!option && element.type === 'external_select') return { text: { type: 'plain_text', text: value }, value };
  if (!option) throw new Error(`${where}: no option with value ${value}`);
  return structuredClone(option);
}

const single = (v: SubmittedValue): string | null => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));
const many = (v: SubmittedValue): string[] => (Array.isArray(v) ? v : v ? [v] : []);

/** The file object Slack puts in a file_input's state (files.info's shape), or undefined for an unknown id. */
export type FileLookup = (fileId: string) => Json | undefined;

const noFiles: FileLookup = () => undefined;

export function buildStateValue(element: Json, given: SubmittedValue, where: string, files: FileLookup = noFiles): Json {
  const type = String(element.type);
  switch (type) {
    case 'file_input':
      // A file_input's state is `files`: the uploaded files' objects, url_private included, read with files:read
      // (docs.slack.dev/reference/block-kit/block-elements/file-input-element; Bolt's ViewStateValue.files).
      return {
        type,
        files: many(given).map((id) => {
          const file = files(id);
          if (!file) throw new Error(`${where}: no uploaded file ${id}`);
          return file;
        }),
      };
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return { type, value: single(given) };
    case 'users_select':
      return { type, selected_user: single(given) };
    case 'multi_users_select':
      return { type, selected_users: many(given) };
    case 'conversations_select':
      return { type, selected_conversation: single(given) };
    case 'multi_conversations_select':
      return { type, selected_conversations: many(given) };
    case 'channels_select':
      return { type, selected_channel: single(given) };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons': {
      const value = single(given);
      return { type, selected_option: value === null ? null : pickOption(element, value, where) };
    }
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: many(given).map((v) => pickOption(element, v, where)) };
    case 'datepicker':
      return { type, selected_date: single(given) };
    case 'timepicker':
      return { type, selected_time: single(given) };
    default:
      return { type, value: single(given) };
  }
}

/** Every input block appears in the state, empty when the person left it blank; unknown keys are a test's mistake. */
export function buildViewStateValues(blocks: unknown[], values: SubmittedValues, files: FileLookup = noFiles): Record<string, Record<string, Json>> {
  const state: Record<string, Record<string, Json>> = {};
  const known = new Set<string>();
  for (const block of blocks) {
    if (!isObject(block) || block.type !== 'input' || typeof block.block_id !== 'string' || !isObject(block.element)) continue;
    const actionId = typeof block.element.action_id === 'string' ? block.element.action_id : undefined;
    if (actionId === undefined) continue;
    known.add(`${block.block_id}/${actionId}`);
    const where = `${block.block_id}.${actionId}`;
    state[block.block_id] = { [actionId]: buildStateValue(block.element, values[block.block_id]?.[actionId], where, files) };
  }
  for (const [blockId, byAction] of Object.entries(values)) {
    for (const actionId of Object.keys(byAction)) {
      if (!known.has(`${blockId}/${actionId}`)) {
        throw new Error(`the view has no input block ${blockId} with an element ${actionId} (block_id and action_id must be set)`);
      }
    }
  }
  return state;
}

/**
 * Finds the interactive element with this action_id in message or view blocks, with its block_id; in the given
 * block when there is one (an action_id need only be unique within its block).
 */
export function findActionElement(blocks: unknown[] | undefined, actionId: string, inBlock?: string): { element: Json; blockId: string } | undefined {
  for (const block of blocks ?? []) {
    if (!isObject(block)) continue;
    const blockId = typeof block.block_id === 'string' ? block.block_id : '';
    if (inBlock !== undefined && blockId !== inBlock) continue;
    const candidates = [
      ...(Array.isArray(block.elements) ? block.elements : []),
      block.accessory,
      block.element,
    ].filter(isObject);
    const element = candidates.find((e) => e.action_id === actionId);
    if (element) return { element, blockId };
  }
  return undefined;
}
