import { type Tx, commitWithoutFlush } from '../../db/client';
import { type InboxRow, markInboxDone, noteInboxRow } from '../../db/queries/webhook-inbox';
import type { Deps } from '../deps';
import { pgSafeMessage } from '../pg-safe';
import { type DecodedRow, decodeInboxRow } from './inbox-decode';
import { notifyInboxParked } from './inbox-parked';
import { type IngestResult, ingestItems, keepUnreadable, mergeIngestResults, newIngestResult } from './ingest';

type InboxDeps = Pick<Deps, 'db' | 'config' | 'logger' | 'clock' | 'metrics'>;

/**
 * How the inbox processor (src/queue/inbox-processor.ts) turns stored POSTs into conversations: the rules side of
 * it, handed to the processor by the composition root.
 */
export interface InboxIngest {
  /** Many rows in one transaction, set-based. Throws when any item fails: then each row goes through `isolated`. */
  batch(rows: InboxRow[]): Promise<IngestResult>;
  /** One row, each item in a savepoint of its own with a stand-in as the last resort. Throws only if the row itself fails. */
  isolated(row: InboxRow): Promise<IngestResult>;
  /** A row set aside after failing again and again: say so where the team looks. */
  parked(row: InboxRow, error: string): Promise<void>;
}

export function createInboxIngest(deps: InboxDeps): InboxIngest {
  return {
    batch: (rows) => ingestBatch(deps, rows),
    isolated: (row) => ingestIsolated(deps, row),
    parked: (row, error) => notifyInboxParked(deps, row, error),
  };
}

async function ingestBatch(deps: InboxDeps, rows: InboxRow[]): Promise<IngestResult> {
  const decoded = rows.map(decodeInboxRow);
  const result = newIngestResult();
  await deps.db.transaction(async (tx) => {
    await commitWithoutFlush(tx);
    // Marked first: the row lock makes a concurrent processor wait, then find them done and skip them.
    const taken = await markInboxDone(tx, rows.map((r) => r.id), deps.clock.now());
    const mine = decoded.filter((d) => taken.has(d.id));
    await ingestItems(deps, tx, mine.flatMap((d) => d.items), result);
    for (const row of mine) if (row.replaced > 0) await noteInboxRow(tx, row.id, replacedNote(row));
  });
  return result;
}

async function ingestIsolated(deps: InboxDeps, row: InboxRow): Promise<IngestResult> {
  const decoded = decodeInboxRow(row);
  const result = newIngestResult();
  await deps.db.transaction(async (tx) => {
    await commitWithoutFlush(tx);
    const taken = await markInboxDone(tx, [row.id], deps.clock.now());
    if (!taken.has(row.id)) return;
    const notes: string[] = decoded.replaced > 0 ? [replacedNote(decoded)] : [];
    for (const [index, item] of decoded.items.entries()) {
      const itemResult = newIngestResult();
      try {
        await tx.transaction((sp) => ingestItems(deps, sp, [item], itemResult));
        mergeIngestResults(result, itemResult);
        continue;
      } catch (err) {
        notes.push(`item ${index + 1}: ${pgSafeMessage(err, 300)}`);
        deps.logger.error({ err, inboxId: row.id, item: index + 1, itemType: item.type }, 'webhook item could not be stored; keeping it as unreadable');
      }
      await keepAsUnreadable(deps, tx, decoded, index, notes, result);
    }
    if (notes.length > 0) await noteInboxRow(tx, row.id, notes.join('; ').slice(0, 1000));
  });
  return result;
}

/** The stand-in, in a savepoint of its own; if even that fails, the row's note and its kept bytes are what is left. */
async function keepAsUnreadable(deps: InboxDeps, tx: Tx, row: DecodedRow, index: number, notes: string[], result: IngestResult): Promise<void> {
  const item = row.items[index]!;
  const standIn = newIngestResult();
  try {
    await tx.transaction((sp) =>
      keepUnreadable(deps, sp, item, { reason: notes.at(-1) ?? 'unknown failure', reference: `inbox row #${row.id}, item ${index + 1}` }, standIn),
    );
    mergeIngestResults(result, standIn);
  } catch (err) {
    notes.push(`item ${index + 1} kept only in the raw POST: ${pgSafeMessage(err, 200)}`);
    deps.logger.error({ err, inboxId: row.id, item: index + 1 }, 'webhook item could not even be kept as unreadable; the raw POST keeps it');
  }
}

function replacedNote(row: DecodedRow): string {
  return `${row.replaced} character(s) or part(s) replaced to be stored; the raw bytes are kept as they arrived`;
}
