import type { KnownBlock } from '@slack/types';
import { renderInboundBody } from './inbound-content';
import {
  composeMessage,
  context,
  escapeMrkdwn,
  flattenMrkdwn,
  link,
  sections,
  SlackLimits,
  slackDateTime,
  slackTime,
  truncateMrkdwn,
} from './primitives';
import type { InboundMessageInput, InboundView, SlackMessage } from './types';

/** Most messages one coalesced post may carry; the 50-block limit is checked as well (fitsInBatch). */
export const MAX_BATCH = 20;

/** One post may hold 50 blocks (slack.md §5): a marker line, the body, an edit's "was" line, a reactions line. */
const MAX_BODY_SECTIONS = SlackLimits.blocksPerMessage - 4;
/** A WhatsApp text is at most 4096 characters, so two sections hold any of them; more is never needed in a batch. */
const MAX_BATCH_ENTRY_SECTIONS = 2;
const QUOTE_SNIPPET_MAX = 200;
/** The first version of an edited message, on one context line (≤ 3000 characters, slack.md §5). */
const WAS_MAX = 1500;

/**
 * One customer message as a thread post. For media, `text` is the `initial_comment` of the file upload, which
 * replaces the blocks there (slack.md §7.1), so it carries everything the blocks show.
 */
export function buildInboundMessage(input: InboundMessageInput): SlackMessage {
  const body = renderInboundBody(input.content);
  const markers = describeMarkers(input);
  const was = describeFirstVersion(input);
  const reacted = describeReactions(input);
  const blocks: KnownBlock[] = [];
  if (markers.length > 0) blocks.push(context(markers));
  blocks.push(...sections(body, MAX_BODY_SECTIONS));
  if (was) blocks.push(context([was]));
  if (reacted) blocks.push(context([reacted]));
  return composeMessage([...markers, body, was, reacted].filter(Boolean).join('\n'), blocks);
}

/**
 * Whether a message can share a coalesced post. Media become file uploads, one post each, so they are never
 * batched; the too-large and unavailable notices are text.
 */
export function isBatchable(view: InboundView): boolean {
  switch (view.kind) {
    case 'media':
      return false;
    case 'text':
    case 'media_too_large':
    case 'media_unavailable':
    case 'location':
    case 'contacts':
    case 'interactive_reply':
    case 'button':
    case 'order':
    case 'system':
    case 'unsupported':
    case 'unknown':
    case 'unreadable':
      return true;
    default:
      return view satisfies never;
  }
}

/**
 * How many of `inputs`, from the first, one coalesced post can carry: it stops at the first message that is not
 * batchable, at MAX_BATCH, and before the post would pass 50 blocks (slack.md §5).
 */
export function fitsInBatch(inputs: readonly InboundMessageInput[]): number {
  let blocks = 0;
  let count = 0;
  for (const input of inputs) {
    if (count >= MAX_BATCH || !isBatchable(input.content)) break;
    blocks += buildBatchEntry(input).length;
    if (blocks > SlackLimits.blocksPerMessage) break;
    count += 1;
  }
  return count;
}

/**
 * Several consecutive customer messages in ONE post, each under its own time, for when Slack's ~1 post/s per
 * channel leaves a backlog (slack.md §1.1). Call fitsInBatch first: inputs that do not all fit are refused, so the
 * caller always knows exactly which messages the post carries.
 */
export function buildInboundBatch(inputs: readonly InboundMessageInput[]): SlackMessage {
  if (inputs.length === 0) throw new RangeError('an inbound batch needs at least one message');
  if (fitsInBatch(inputs) < inputs.length) {
    throw new RangeError(`these ${inputs.length} messages do not fit in one post; see fitsInBatch`);
  }
  const blocks = inputs.flatMap(buildBatchEntry);
  const fallback = inputs.map((input) => renderInboundBody(input.content)).join('\n');
  return composeMessage(fallback, blocks);
}

function buildBatchEntry(input: InboundMessageInput): KnownBlock[] {
  const blocks: KnownBlock[] = [context([slackTime(input.sentAt), ...describeMarkers(input)])];
  blocks.push(...sections(renderInboundBody(input.content), MAX_BATCH_ENTRY_SECTIONS));
  const was = describeFirstVersion(input);
  if (was) blocks.push(context([was]));
  const reacted = describeReactions(input);
  if (reacted) blocks.push(context([reacted]));
  return blocks;
}

function describeMarkers(input: InboundMessageInput): string[] {
  const markers: string[] = [];
  // A context line rather than strike-through: `~…~` does not span line breaks or code blocks in Slack mrkdwn, and
  // the team still has to read what the customer took back (they may have answered it).
  if (input.deleted) markers.push(`🗑️ *Deleted by the customer* ${slackDateTime(input.deleted.at)}: they no longer see it; kept here for the team`);
  if (input.edited) {
    const what = input.edited.unreadable ? ' (threadline could not read the new version)' : '';
    markers.push(`✏️ *Edited by the customer* ${slackDateTime(input.edited.at)}${what}`);
  }
  if (input.forwarded === 'forwarded') markers.push('↪ Forwarded');
  if (input.forwarded === 'frequently_forwarded') markers.push('↪ Forwarded many times');
  const quoted = input.quoted;
  if (quoted && 'missing' in quoted) {
    markers.push('↩ replying to an earlier message');
  } else if (quoted) {
    const label = quoted.fromCustomer ? 'replying to' : 'replying to the team';
    const snippet = truncateMrkdwn(flattenMrkdwn(quoted.snippetMrkdwn), QUOTE_SNIPPET_MAX);
    markers.push(`↩ ${link(quoted.permalink, label)}${snippet ? `: ${snippet}` : ''}`);
  }
  return markers;
}

/** An edited message's first version, under the new one. */
function describeFirstVersion(input: InboundMessageInput): string {
  if (!input.edited || input.edited.unreadable) return '';
  const first = truncateMrkdwn(flattenMrkdwn(input.edited.originalMrkdwn), WAS_MAX);
  return `was: ${first || '_(no caption)_'}`;
}

/** The customer's current reactions; removing one re-renders the post without it. */
function describeReactions(input: InboundMessageInput): string {
  const emojis = (input.reactions ?? []).map((reaction) => reaction.emoji.trim()).filter(Boolean);
  return emojis.length > 0 ? `reacted ${emojis.map(escapeMrkdwn).join(' ')}` : '';
}
