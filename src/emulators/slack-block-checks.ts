/**
 * The Block Kit limits Slack enforces (slack.md §4, §5), so a test against the emulator fails where real Slack would
 * answer invalid_blocks. Returns the first problem found, in words, or undefined.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function textOf(v: unknown): string | undefined {
  return isObject(v) && typeof v.text === 'string' ? v.text : undefined;
}

function tooLong(what: string, text: string | undefined, max: number): string | undefined {
  return text !== undefined && text.length > max ? `${what} is ${text.length} characters, the limit is ${max}` : undefined;
}

function checkOptions(where: string, options: unknown): string | undefined {
  if (options === undefined) return undefined;
  if (!Array.isArray(options)) return `${where}: options must be an array`;
  if (options.length > 100) return `${where}: ${options.length} options, the limit is 100`;
  for (const option of options) {
    if (!isObject(option)) return `${where}: an option is not an object`;
    const problem =
      tooLong(`${where} option text`, textOf(option.text), 75) ??
      tooLong(`${where} option value`, typeof option.value === 'string' ? option.value : undefined, 75);
    if (problem) return problem;
  }
  return undefined;
}

function checkElement(where: string, element: unknown): string | undefined {
  if (!isObject(element) || typeof element.type !== 'string') return `${where}: an element has no type`;
  const actionId = typeof element.action_id === 'string' ? element.action_id : undefined;
  const problem =
    tooLong(`${where} action_id`, actionId, 255) ??
    (element.type === 'button'
      ? (tooLong(`${where} button text`, textOf(element.text), 75) ??
        tooLong(`${where} button value`, typeof element.value === 'string' ? element.value : undefined, 2000) ??
        tooLong(`${where} button url`, typeof element.url === 'string' ? element.url : undefined, 3000))
      : undefined) ??
    (element.type === 'overflow' && Array.isArray(element.options) && element.options.length > 5
      ? `${where}: overflow has ${element.options.length} options, the limit is 5`
      : undefined) ??
    // file_input: max_files is 1–10 (the file input element reference).
    (element.type === 'file_input' && element.max_files !== undefined && !(Number.isInteger(element.max_files) && Number(element.max_files) >= 1 && Number(element.max_files) <= 10)
      ? `${where}: file_input max_files must be 1–10`
      : undefined) ??
    checkOptions(where, element.options);
  return problem;
}

function checkBlock(block: Json, index: number): string | undefined {
  const where = `blocks[${index}] (${String(block.type)})`;
  const elements = Array.isArray(block.elements) ? block.elements : undefined;
  switch (block.type) {
    case 'section': {
      const fields = Array.isArray(block.fields) ? block.fields : [];
      if (textOf(block.text) === undefined && fields.length === 0) return `${where}: needs text or fields`;
      if (fields.length > 10) return `${where}: ${fields.length} fields, the limit is 10`;
      for (const field of fields) {
        const problem = tooLong(`${where} field`, textOf(field), 2000);
        if (problem) return problem;
      }
      return (
        tooLong(`${where} text`, textOf(block.text), 3000) ??
        (block.accessory !== undefined ? checkElement(where, block.accessory) : undefined)
      );
    }
    case 'header':
      return tooLong(`${where} text`, textOf(block.text), 150);
    case 'context':
      if (!elements || elements.length === 0) return `${where}: needs elements`;
      return elements.length > 10 ? `${where}: ${elements.length} elements, the limit is 10` : undefined;
    case 'actions': {
      if (!elements || elements.length === 0) return `${where}: needs elements`;
      if (elements.length > 25) return `${where}: ${elements.length} elements, the limit is 25`;
      const actionIds = new Set<string>();
      for (const element of elements) {
        const problem = checkElement(where, element);
        if (problem) return problem;
        const actionId = isObject(element) && typeof element.action_id === 'string' ? element.action_id : undefined;
        if (actionId !== undefined && actionIds.has(actionId)) return `${where}: duplicate action_id ${actionId}`;
        if (actionId !== undefined) actionIds.add(actionId);
      }
      return undefined;
    }
    case 'input':
      return isObject(block.label) ? checkElement(where, block.element) : `${where}: needs a label`;
    case 'markdown':
      return tooLong(`${where} text`, typeof block.text === 'string' ? block.text : undefined, 12000);
    default:
      return undefined;
  }
}

export function findBlocksProblem(blocks: unknown, surface: 'message' | 'view'): string | undefined {
  if (!Array.isArray(blocks)) return 'blocks must be an array';
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) return `${blocks.length} blocks, the limit is ${max}`;
  const blockIds = new Set<string>();
  for (const [index, block] of blocks.entries()) {
    if (!isObject(block) || typeof block.type !== 'string') return `blocks[${index}] has no type`;
    if (typeof block.block_id === 'string') {
      const problem = tooLong(`blocks[${index}] block_id`, block.block_id, 255);
      if (problem) return problem;
      if (blockIds.has(block.block_id)) return `blocks[${index}]: duplicate block_id ${block.block_id}`;
      blockIds.add(block.block_id);
    }
    const problem = checkBlock(block, index);
    if (problem) return problem;
  }
  return undefined;
}

/** Modal and Home tab limits (slack.md §4). */
export function findViewProblem(view: unknown): string | undefined {
  if (!isObject(view)) return 'view must be an object';
  if (view.type !== 'modal' && view.type !== 'home') return `view type ${String(view.type)} is not modal or home`;
  if (view.type === 'modal' && textOf(view.title) === undefined) return 'a modal needs a title';
  const problem =
    tooLong('title', textOf(view.title), 24) ??
    tooLong('submit', textOf(view.submit), 24) ??
    tooLong('close', textOf(view.close), 24) ??
    tooLong('callback_id', typeof view.callback_id === 'string' ? view.callback_id : undefined, 255) ??
    tooLong('private_metadata', typeof view.private_metadata === 'string' ? view.private_metadata : undefined, 3000) ??
    findBlocksProblem(view.blocks, 'view');
  if (problem) return problem;
  const hasInput = (view.blocks as unknown[]).some((b) => isObject(b) && b.type === 'input');
  return view.type === 'modal' && hasInput && view.submit === undefined ? 'a modal with input blocks needs submit' : undefined;
}
