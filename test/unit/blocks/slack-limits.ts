import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from '../../../blocks/types';

/**
 * Every Block Kit limit the builders promise to respect (slack.md §5), checked on a whole message. Returns the
 * problems found, so a failing test names them all.
 */
export function listLimitViolations(message: SlackMessage): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(message.text.length >= 1, 'fallback text is empty');
  check(message.text.length <= 40_000, 'fallback text is longer than 40,000');
  check(message.blocks.length <= 50, `${message.blocks.length} blocks (max 50)`);
  const blockIds = message.blocks.map((block) => block.block_id).filter((id): id is string => id !== undefined);
  check(new Set(blockIds).size === blockIds.length, 'block_id repeated within one message');
  message.blocks.forEach((block, i) => listBlockViolations(block, `blocks[${i}]`, check));
  return problems;
}

type Check = (ok: boolean, problem: string) => void;

function text(value: unknown): string {
  return (value as { text?: string } | undefined)?.text ?? '';
}

function listBlockViolations(block: KnownBlock, at: string, check: Check): void {
  if (block.block_id !== undefined) check(block.block_id.length <= 255, `${at}.block_id longer than 255`);
  switch (block.type) {
    case 'header':
      check(text(block.text).length >= 1 && text(block.text).length <= 150, `${at} header text not 1–150`);
      break;
    case 'section':
      if (block.text) {
        const length = text(block.text).length;
        check(length >= 1 && length <= 3000, `${at} section text ${length} not 1–3000`);
      }
      check((block.fields?.length ?? 0) <= 10, `${at} more than 10 fields`);
      for (const field of block.fields ?? []) check(text(field).length <= 2000, `${at} field longer than 2000`);
      check(block.text !== undefined || (block.fields?.length ?? 0) > 0, `${at} section with neither text nor fields`);
      break;
    case 'context':
      check(block.elements.length >= 1 && block.elements.length <= 10, `${at} context elements not 1–10`);
      for (const element of block.elements) {
        const length = text(element).length;
        check(length >= 1 && length <= 3000, `${at} context element ${length} not 1–3000`);
      }
      break;
    case 'actions':
      check(block.elements.length >= 1 && block.elements.length <= 25, `${at} actions elements not 1–25`);
      for (const element of block.elements) {
        const el = element as {
          action_id?: string;
          text?: unknown;
          value?: string;
          placeholder?: unknown;
          confirm?: { title?: unknown; text: unknown; confirm?: unknown; deny?: unknown };
        };
        check((el.action_id?.length ?? 0) <= 255, `${at} action_id longer than 255`);
        if (element.type === 'button') {
          check(text(el.text).length <= 75, `${at} button text longer than 75`);
          check((el.value?.length ?? 0) <= 2000, `${at} button value longer than 2000`);
        }
        if (el.placeholder) check(text(el.placeholder).length <= 150, `${at} placeholder longer than 150`);
        if (el.confirm) {
          check(text(el.confirm.title).length <= 100, `${at} confirm title longer than 100`);
          check(text(el.confirm.text).length <= 300, `${at} confirm text longer than 300`);
          check(text(el.confirm.confirm).length <= 30, `${at} confirm button longer than 30`);
          check(text(el.confirm.deny).length <= 30, `${at} deny button longer than 30`);
        }
      }
      break;
    default:
      break;
  }
}

/** All strings Slack parses as mrkdwn in a message: the fallback and every mrkdwn text object. */
export function collectMrkdwn(message: SlackMessage): string[] {
  const found: string[] = [message.text];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      if (obj.type === 'mrkdwn' && typeof obj.text === 'string') found.push(obj.text);
      Object.values(obj).forEach(walk);
    }
  };
  walk(message.blocks);
  return found;
}

/** The `<…>` tokens Slack would act on: mentions, special mentions, links, dates. */
export function listSlackTokens(message: SlackMessage): string[] {
  return collectMrkdwn(message).flatMap((s) => s.match(/<[^<>]*>/g) ?? []);
}

export function allText(message: SlackMessage): string {
  return JSON.stringify(message);
}

/** Action elements of every actions block, flattened. */
export function listActionElements(message: SlackMessage): Array<Record<string, unknown>> {
  return message.blocks
    .filter((block) => block.type === 'actions')
    .flatMap((block) => (block as unknown as { elements: Array<Record<string, unknown>> }).elements);
}

/** A customer name using every character Slack mrkdwn parses: it must come out exactly once, bold, as written. */
export const MARKUP_NAME = '*Star* _Shop_ ~Co~ `x` <b> & Sons';

/**
 * The mrkdwn texts of a message holding `*label*` where the label reads literally: no formatting character of its
 * own that Slack would pair with the bold delimiters, and `& < >` as entities.
 */
export function findLiteralBold(message: { blocks: unknown[] }, visible: RegExp): string[] {
  const texts: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as { type?: string; text?: unknown };
      if (o.type === 'mrkdwn' && typeof o.text === 'string') texts.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(message.blocks);
  return texts.flatMap((t) => [...t.matchAll(/\*([^*]+)\*/g)].map((m) => m[1] ?? '')).filter((label) => visible.test(label));
}
