import { acquireLease, releaseLease } from '../../db/queries/conversations';
import type { Deps } from '../deps';
import { keepLeaseAlive, leaseHolder } from './lease-holder';
import { IDLE, type StepResult, combine } from './step';

/** One kind of work on a conversation (its Slack thread, its WhatsApp sends): the rules live in services. */
export type ConversationStep = (deps: Deps, conversationId: number) => Promise<StepResult>;

/** Renewed every third of it while the run works; after a crash the conversation is free again this soon. */
const LEASE_MS = 15_000;
/** After this long on one conversation, let others have the worker slot (a busy thread must not starve the rest). */
const TURN_MS = 10_000;
/** Another worker holds the conversation: look again after this long. */
const BUSY_RETRY_MS = 2_000;

/**
 * Drain one conversation's outboxes — the steps in order (Slack thread first, then WhatsApp sends) — holding its
 * lease so no other worker (in this process or another) touches it meanwhile (DESIGN §4).
 */
export function createConversationWorker(deps: Deps, steps: readonly ConversationStep[]) {
  return async function processConversation(conversationId: number): Promise<void> {
    const startedAt = Date.now();
    const holder = leaseHolder(deps.workerId);
    const leaseUntil = () => new Date(deps.clock.now().getTime() + LEASE_MS);
    if (!(await acquireLease(deps.db, conversationId, holder, leaseUntil(), deps.clock.now()))) {
      await deps.queue.signal(conversationId, BUSY_RETRY_MS);
      return;
    }
    const stopRenewing = keepLeaseAlive(
      () => acquireLease(deps.db, conversationId, holder, leaseUntil(), deps.clock.now()),
      LEASE_MS,
      (err) => deps.logger.warn({ err, conversationId }, 'lease renewal failed'),
    );
    let parkedUntil: Date | undefined;
    try {
      for (;;) {
        let step = IDLE;
        for (const run of steps) step = combine(step, await run(deps, conversationId));
        if (!step.progressed) {
          if (step.waitMs === Infinity) return;
          const waitMs = Math.max(10, step.waitMs);
          // A thread whose next post must wait is parked: new customer messages queue behind it without a wake-up.
          // Written with the lease's release below, one statement for both (issue 7: statements per delivery).
          if (step.headWaitMs !== undefined) parkedUntil = new Date(Date.now() + Math.max(10, step.headWaitMs));
          await deps.queue.signal(conversationId, waitMs);
          return;
        }
        // Shutting down, or this conversation had its turn: hand the rest back to the queue.
        if (deps.lifecycle.stopping || Date.now() - startedAt > TURN_MS) {
          await deps.queue.signal(conversationId);
          return;
        }
      }
    } finally {
      await stopRenewing();
      await releaseLease(deps.db, conversationId, holder, parkedUntil);
    }
  };
}
