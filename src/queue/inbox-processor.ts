import {
  type InboxRow,
  acquireNamedLease,
  listPendingInbox,
  recordInboxFailure,
  releaseNamedLease,
} from '../../db/queries/webhook-inbox';
import { listWakeableConversations } from '../../db/queries/conversations';
import type { Deps } from '../deps';
import { pgSafeMessage } from '../pg-safe';
import type { InboxIngest } from '../services/inbox-ingest';
import { yieldToAcks } from './ack-priority';
import { keepLeaseAlive, leaseHolder } from './lease-holder';
import { backoffMs } from './step';
import { INBOX_WORK } from './work-queue';

const LEASE_NAME = 'webhook_inbox';
/** Renewed while the run works; after a crash another process takes over this soon. */
const LEASE_MS = 15_000;
/** Rows per transaction: large enough to amortise a round trip per statement, small enough to stay short. */
const BATCH = 200;
/**
 * Stored body per transaction: 200 ordinary POSTs (1–2 KB each) fit; a burst of 1,000-message POSTs goes one or two
 * at a time, so an embedded database is never held for seconds while webhook acks wait (3-second acks, DESIGN §3).
 */
const BATCH_BYTES = 512 * 1024;
const TURN_MS = 10_000;
/**
 * Tries before a row is parked (dead letter). Each try already isolates every item and keeps a stand-in for a bad
 * one, so a row that still fails this often fails for a reason no retry will fix; it must not hold up the rest.
 */
export const MAX_INBOX_ATTEMPTS = 5;
/** A row whose failure could not even be recorded is skipped by this process for this long (last resort). */
const QUARANTINE_MS = 10 * 60_000;

/** Outages, not bad rows: the whole pass stops and is retried later, and nobody's count of tries goes up. */
const TRANSIENT_SQLSTATE = /^(08|53|57P0|40001|40P01)/;
function isTransient(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (TRANSIENT_SQLSTATE.test(code) || /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|CONNECTION_)/.test(code)) return true;
  return typeof e?.message === 'string' && /connection (terminated|ended|closed)|write after end|Connection terminated/i.test(e.message);
}

/**
 * Ingest stored webhook POSTs in arrival order. One processor at a time across all processes (a named lease, and
 * the work queue never runs one id twice at once), so a customer's messages are ingested in the order they came.
 * Many rows go in one set-based transaction; when that fails, each row goes on its own with every item isolated,
 * and a row that still fails is retried with backoff, then parked, so no row can stop the inbox (issue 7).
 */
export function createInboxProcessor(deps: Deps, ingest: InboxIngest) {
  const quarantined = new Map<number, number>();
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
        await yieldToAcks();
        const now = Date.now();
        for (const [id, untilMs] of quarantined) if (untilMs < now) quarantined.delete(id);
        const { rows, more } = await listPendingInbox(deps.db, { limit: BATCH, maxBytes: BATCH_BYTES, now: deps.clock.now(), skip: [...quarantined.keys()] });
        if (rows.length > 0) await ingestRows(rows);
        if (!more) return;
        if (deps.lifecycle.stopping || Date.now() - startedAt > TURN_MS) {
          await deps.queue.signal(INBOX_WORK);
          return;
        }
      }
    } finally {
      await stopRenewing();
      await releaseNamedLease(deps.db, LEASE_NAME, holder);
    }
  };

  async function ingestRows(rows: InboxRow[]): Promise<void> {
    let conversationIds: Set<number>;
    try {
      conversationIds = (await ingest.batch(rows)).conversationIds;
    } catch (err) {
      if (isTransient(err)) throw err;
      deps.logger.warn({ err, rows: rows.length, firstInboxId: rows[0]?.id }, 'inbox batch failed; ingesting its rows one by one');
      conversationIds = new Set();
      for (const row of rows) {
        await yieldToAcks();
        try {
          for (const id of (await ingest.isolated(row)).conversationIds) conversationIds.add(id);
        } catch (rowErr) {
          if (isTransient(rowErr)) throw rowErr;
          await recordFailure(row, rowErr);
        }
      }
    }
    // A thread parked on its next post has a signal due already: waking it now would only read and release it.
    for (const id of await listWakeableConversations(deps.db, [...conversationIds], new Date())) await deps.queue.signal(id);
  }

  /** Bookkeeping that cannot fail on the data it records: the text is made pg-safe, and a constant is the fallback. */
  async function recordFailure(row: InboxRow, err: unknown): Promise<void> {
    const attempts = row.attempts + 1;
    const park = attempts >= MAX_INBOX_ATTEMPTS;
    const error = pgSafeMessage(err);
    const at = deps.clock.now();
    const notBefore = new Date(at.getTime() + backoffMs(attempts) / 2);
    deps.logger.error({ err, inboxId: row.id, attempts, park }, park ? 'webhook parked after repeated failures' : 'webhook could not be ingested; will retry');
    for (const text of [error, 'the failure could not be described']) {
      try {
        const parked = await recordInboxFailure(deps.db, { id: row.id, error: text, park, notBefore, at });
        if (parked) await ingest.parked(row, text).catch((noticeErr: unknown) => deps.logger.error({ err: noticeErr, inboxId: row.id }, 'parked notice not queued'));
        else if (!park) await deps.queue.signal(INBOX_WORK, notBefore.getTime() - at.getTime() + 10);
        return;
      } catch (bookErr) {
        deps.logger.error({ err: bookErr, inboxId: row.id }, 'inbox failure could not be recorded');
      }
    }
    quarantined.set(row.id, Date.now() + QUARANTINE_MS);
  }
}
