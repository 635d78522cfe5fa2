import { buildCommandReply, buildShiftStatus } from '../../blocks/command-replies';
import { formatElapsed } from '../../blocks/durations';
import { slackDateTime } from '../../blocks/primitives';
import type { SlackMessage } from '../../blocks/types';
import { endShift, findAgent, listAgentsOnShift, startShift } from '../../db/queries/agents';
import { countOpenByOwner } from '../../db/queries/queue';
import type { Deps } from '../deps';
import { ensureAgent } from './agents';
import { openHandoffModal } from './handoff-modal';

/** Who is on shift is what automatic routing (routing.ts) and ownership timeouts hand conversations to. */

export async function startShiftFor(deps: Pick<Deps, 'db' | 'config' | 'clock'>, userId: string): Promise<{ since: Date; alreadyOn: boolean }> {
  await ensureAgent(deps, userId);
  const before = await findAgent(deps.db, userId);
  const row = await startShift(deps.db, userId, deps.clock.now());
  return { since: row.onShiftSince ?? deps.clock.now(), alreadyOn: Boolean(before?.onShiftSince) };
}

export async function countOpenOwnedBy(deps: Pick<Deps, 'db'>, userId: string): Promise<number> {
  return (await countOpenByOwner(deps.db, [userId])).get(userId) ?? 0;
}

export interface ShiftEnded {
  /** When the shift had started; undefined when the person was not on shift. */
  since: Date | undefined;
  openCount: number;
  /** The handoff modal for the conversations they still own is open. */
  handoffOpened: boolean;
}

/**
 * End a shift. Someone who still owns open conversations gets the handoff modal, opened first because its trigger id
 * expires 3 s after the click (slack.md §4); if it cannot open, the reply points to /handoff instead.
 */
export async function endShiftWithHandoff(deps: Deps, args: { userId: string; triggerId?: string | undefined }): Promise<ShiftEnded> {
  const openCount = await countOpenOwnedBy(deps, args.userId);
  let handoffOpened = false;
  if (openCount > 0 && args.triggerId) {
    try {
      await openHandoffModal(deps, { triggerId: args.triggerId, actorId: args.userId, fromUserId: args.userId });
      handoffOpened = true;
    } catch (err) {
      deps.logger.warn({ err, userId: args.userId }, 'could not open the handoff modal at the end of a shift');
    }
  }
  const since = await endShift(deps.db, args.userId);
  return { since, openCount, handoffOpened };
}

export type ShiftCommand = 'on' | 'off' | 'status';

/** `/shift` alone shows the status; anything else but on/off/status is not understood. */
export function parseShiftCommand(text: string): ShiftCommand | undefined {
  const word = text.trim().toLowerCase();
  if (word === '' || word === 'status') return 'status';
  if (word === 'on' || word === 'off') return word;
  return undefined;
}

export async function runShiftCommand(
  deps: Deps,
  args: { userId: string; text: string; triggerId?: string | undefined },
): Promise<SlackMessage> {
  const command = parseShiftCommand(args.text);
  const now = deps.clock.now();
  switch (command) {
    case 'on': {
      const { since, alreadyOn } = await startShiftFor(deps, args.userId);
      return buildCommandReply(
        alreadyOn
          ? `You have been on shift since ${slackDateTime(since)} (${formatElapsed(since, now)}).`
          : '🟢 Your shift has started. Channels with automatic routing can now assign you new conversations.',
      );
    }
    case 'off':
      return buildCommandReply(describeShiftEnded(await endShiftWithHandoff(deps, args), now));
    case 'status':
      return buildShiftStatus(await loadShiftStatus(deps, args.userId));
    case undefined:
      return buildCommandReply('Use `/shift on`, `/shift off` or `/shift status`.');
    default:
      return command satisfies never;
  }
}

export function describeShiftEnded(ended: ShiftEnded, now: Date): string {
  const head = ended.since
    ? `🔴 Your shift has ended (${formatElapsed(ended.since, now)}). Automatic routing no longer assigns you new conversations.`
    : 'You were not on shift.';
  if (ended.openCount === 0) return head;
  const them = ended.openCount === 1 ? 'one open conversation' : `${ended.openCount} open conversations`;
  return ended.handoffOpened
    ? `${head}\nYou still own ${them}: choose who takes ${ended.openCount === 1 ? 'it' : 'them'} in the handoff window.`
    : `${head}\nYou still own ${them}: \`/handoff @teammate\` or \`/handoff pool\` passes ${ended.openCount === 1 ? 'it' : 'them'} on.`;
}

export async function loadShiftStatus(deps: Pick<Deps, 'db' | 'clock'>, userId: string) {
  const onShift = await listAgentsOnShift(deps.db);
  const counts = await countOpenByOwner(deps.db, onShift.map((a) => a.slackUserId));
  return {
    userId,
    now: deps.clock.now(),
    onShift: onShift.map((a) => ({
      userId: a.slackUserId,
      since: a.onShiftSince ?? deps.clock.now(),
      openCount: counts.get(a.slackUserId) ?? 0,
    })),
  };
}
