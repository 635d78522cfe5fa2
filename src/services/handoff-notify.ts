import { buildHandedAwayDm, buildHandoffDm, buildHandoffSkippedDm } from '../../blocks/handoff-summary';
import type { HandoffTarget, SlackMessage } from '../../blocks/types';
import { type HandoffRow, listHandoffRows } from '../../db/queries/handoff';
import type { Deps } from '../deps';
import type { HandoffPlan, HandoffPlanItem } from './handoff';
import { windowState } from './window';

export interface HandoffReport {
  done: HandoffPlanItem[];
  skipped: { conversationId: number; reason: string }[];
}

/**
 * After the handoff is durable: each receiving person gets a DM with links to their new threads, a person whose
 * conversations a manager handed on hears about it, and the submitter learns what did not go through. A DM is not a
 * conversation thread, so it goes straight through the gateway rather than the outbox.
 */
export async function notifyHandoff(deps: Deps, plan: HandoffPlan, report: HandoffReport): Promise<void> {
  const ids = [...report.done.map((i) => i.conversationId), ...report.skipped.map((s) => s.conversationId)];
  const rows = new Map((await listHandoffRows(deps.db, ids)).map((r) => [r.id, r]));
  const now = deps.clock.now();

  const byReceiver = groupBy(report.done.filter((i) => i.target.kind === 'user'), (i) => (i.target.kind === 'user' ? i.target.userId : ''));
  for (const [receiver, items] of byReceiver) {
    const dmItems = [];
    for (const item of items) {
      const row = rows.get(item.conversationId);
      if (!row) continue;
      const window = windowState(row.lastInboundAt, now);
      dmItems.push({
        customer: customerOf(row),
        state: row.state,
        window: { open: window.open, closesAt: window.closesAt },
        note: item.note,
        permalink: await permalinkOf(deps, row),
      });
    }
    const fromUserId = items.every((i) => i.expectedOwnerId === plan.fromUserId) ? plan.fromUserId : null;
    await sendDm(deps, receiver, buildHandoffDm({ fromUserId, actorId: plan.actorId, items: dmItems, now }));
  }

  const handedAway = report.done.filter((i) => i.expectedOwnerId && i.expectedOwnerId !== plan.actorId);
  for (const [owner, items] of groupBy(handedAway, (i) => i.expectedOwnerId ?? '')) {
    for (const [, sameTarget] of groupBy(items, (i) => JSON.stringify(i.target))) {
      const target: HandoffTarget = sameTarget[0]!.target;
      await sendDm(deps, owner, buildHandedAwayDm({ actorId: plan.actorId, target, count: sameTarget.length }));
    }
  }

  if (report.skipped.length > 0) {
    const skipped = report.skipped.map((s) => {
      const row = rows.get(s.conversationId);
      return { customer: row ? customerOf(row) : {}, reason: s.reason };
    });
    await sendDm(deps, plan.actorId, buildHandoffSkippedDm({ done: report.done.length, skipped }));
  }
}

async function sendDm(deps: Deps, userId: string, message: SlackMessage): Promise<void> {
  try {
    const channel = await deps.slack.openDm(userId);
    await deps.slack.postMessage({ channel, text: message.text, blocks: message.blocks });
  } catch (err) {
    deps.logger.warn({ err, userId }, 'could not send the handoff DM');
  }
}

async function permalinkOf(deps: Deps, row: HandoffRow): Promise<string | undefined> {
  if (!row.threadTs) return undefined;
  try {
    return await deps.slack.getPermalink({ channel: row.channelId, ts: row.threadTs });
  } catch {
    return undefined;
  }
}

function customerOf(row: HandoffRow) {
  return { name: row.customerName ?? undefined, phone: row.customerPhone ?? undefined, username: row.customerUsername ?? undefined };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
