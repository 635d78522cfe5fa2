import type { WaState } from '../../db/schema';

/**
 * The delivery status shown on an agent's Slack message. Add-only: reactions.remove is Tier 2 (~20/min,
 * slack.md §1.2), so each step adds its own emoji and intermediate steps that arrive together are skipped.
 */
export function reactionForStatus(state: WaState | null): string | undefined {
  switch (state) {
    case 'sent':
      return 'heavy_check_mark';
    case 'delivered':
      return 'ballot_box_with_check';
    case 'read':
      return 'eyes';
    case 'played':
      return 'ear';
    case 'failed':
      return 'x';
    case 'uncertain':
      return 'warning';
    case 'held':
    case 'queued':
    case 'sending':
    case 'accepted':
    case 'discarded':
    case null:
      return undefined;
    default:
      return state satisfies never;
  }
}

/** How far one WhatsApp message got; `uncertain` sits below every confirmed step. */
const PROGRESS: Record<WaState, number> = {
  held: 0,
  discarded: 0,
  queued: 1,
  uncertain: 1.5,
  sending: 2,
  accepted: 3,
  sent: 4,
  delivered: 6,
  read: 7,
  played: 8,
  failed: 9,
};

/**
 * One Slack reply can travel as several WhatsApp messages (text over 4,096 characters, files: whatsapp.md §3.2), and
 * Meta reports each on its own. The Slack message shows how far the whole reply got: ❌ as soon as one part failed,
 * otherwise the step its least advanced part has reached.
 */
export function summarizeReplyState(states: readonly (WaState | null)[]): WaState | null {
  if (states.includes('failed')) return 'failed';
  let least: WaState | null = null;
  for (const state of states) {
    if (state === null) return null;
    if (least === null || PROGRESS[state] < PROGRESS[least]) least = state;
  }
  return least;
}
