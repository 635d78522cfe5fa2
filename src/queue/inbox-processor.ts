import { acquireNamedLease, listPendingInbox, recordInboxFailure, releaseNamedLease } from '../../db/queries/webhook-inbox';
import type { Deps } from '../deps';
import { ingestWebhook } from '../services/ingest';
import { parseWebhook } from '../whatsapp/webhook-parse';
import { yieldToAcks } from './ack-priority';
import { keepLeaseAlive, leaseHolder } from './lease-holder';
import { INBOX_WORK } from './work-queue';


const LEASE_NAME = 'webhook_inbox';
/** Renewed while the run works; after a crash another process takes over this soon. */
const LEASE_MS = 15_000;
const BATCH = 100;
const TURN_MS = 10_000;
/** A row that fails this often (a bug, not an outage) is set aside as `failed` and kept for inspection. */
const MAX_ATTEMPTS = 5;

/**
 * Ingest stored webhook POSTs in arrival order. One processor at a time across all processes (a named lease, and
 * the work queue never runs one id twice at once), so a customer's messages are ingested in the order they came.
 */
export function createInboxProcessor(deps: Deps) {
  return async function processInbox(): Promise<void> {
    const startedAt = Date.now();
    const until = () => new Date(deps.clock.now().getTime() + LEASE_MS);
    const holder = leaseHolder(deps.workerId);
    if (!(await acquireNamedLease(deps.db, LEASE_NAME, holder, until(), deps.clock.now()))) {
      await deps.queue.signal(INBOX_WORK, 1_000);
      return;
    }
    const stopRenewing = keepLeaseAlive(
      () => acquireNamedLease(deps.db, LEASE_NAME, holder, until(), deps.clock.now()),
      LEASE_MS,
      (err) => deps.logger.warn({ err }, 'inbox lease renewal failed'),
    );
    try {
      for (;;) {
        const rows = await listPendingInbox(deps.db, BATCH);
        for (const row of rows) {
          await yieldToAcks(deps);
          await ingestRow(deps, row);
        }
        if (rows.length < BATCH) return;
        if (deps.lifecycle.stopping || Date.now() - startedAt > TURN_MS) {
          await deps.queue.signal(INBOX_WORK);
          return;
        }
      }
    } finally {
      stopRenewing();
      await releaseNamedLease(deps.db, LEASE_NAME, holder);
    }
  };
}

async function ingestRow(deps: Deps, row: { id: number; body: string; attempts: number }): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(row.body);
  } catch {
    json = undefined; // checked before it was stored; kept as an unknown item if it ever happens
  }
  try {
    const result = await ingestWebhook(deps, parseWebhook(json), { inboxId: row.id });
    for (const id of result.conversationIds) await deps.queue.signal(id);
  } catch (err) {
    const giveUp = row.attempts + 1 >= MAX_ATTEMPTS;
    deps.logger.error({ err, inboxId: row.id, attempts: row.attempts + 1, giveUp }, 'webhook could not be ingested');
    await recordInboxFailure(deps.db, row.id, err instanceof Error ? err.message : String(err), giveUp, deps.clock.now());
    if (!giveUp) throw err;
  }
}
