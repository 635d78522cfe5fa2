import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client';
import { MemoryWorkQueue } from '../../src/queue/work-queue';
import type { Harness } from './harness';

/** Long enough for any step the app takes on its own; work held past it on purpose (a fault test) is not waited for. */
const QUIET_WITHIN_MS = 3_000;
/** Two looks this far apart that see the same state and nothing owed: a signal on its way to Redis lands in between. */
const STABLE_FOR_MS = 25;

interface Look {
  /** Work the app owes right now: a run, a signal, a Graph call or webhook on its way, a due row in the database. */
  owed: string[];
  /** What an assertion could see change: calls and posts on both platforms, and the database's open work. */
  seen: string;
}

async function look(h: Harness): Promise<Look> {
  // As text: postgres.js takes no Date in a raw query's parameters.
  const now = h.app.deps.clock.now().toISOString();
  const [counts] = rowsOf<Record<string, number | string>>(
    await h.app.deps.db.execute(sql`
      select
        (select count(*) from slack_outbox where state in ('pending', 'in_flight') and (not_before is null or not_before <= ${now}::timestamptz)) as slack_ops,
        (select count(*) from slack_outbox where state in ('pending', 'in_flight')) as slack_ops_later,
        (select count(*) from webhook_inbox where state = 'pending' and (not_before is null or not_before <= ${now}::timestamptz)) as inbox_rows,
        (select count(*) from messages where wa_state in ('queued', 'sending')) as whatsapp_sends`),
  );
  const db = Object.fromEntries(Object.entries(counts ?? {}).map(([k, v]) => [k, Number(v)]));
  const owed = [
    ...(h.app.deps.queue.size() > 0 ? ['a queue run'] : []),
    ...((await h.queuedSignals()) > 0 ? ['a queued signal'] : []),
    ...(['slack_ops', 'inbox_rows', 'whatsapp_sends'] as const).filter((k) => (db[k] ?? 0) > 0),
  ];
  const { slack, graph } = h;
  const seen = JSON.stringify([
    slack.calls.length,
    slack.responses.length,
    slack.ephemerals.length,
    slack.deliveries.length,
    graph.calls.length,
    graph.sent.length,
    db,
  ]);
  return { owed, seen };
}

/**
 * Returns once the app has nothing left to do: background tasks and queue runs finished, no signal waiting, the
 * Graph emulator's calls and webhooks delivered, no due Slack op, inbox row or WhatsApp send in the database, and
 * two looks in a row seeing the same state. A "nothing was sent" assertion after it is checked after the app had
 * every chance to send it, without a fixed sleep. Work that stays owed (a fault holds a call open) is waited for up
 * to QUIET_WITHIN_MS, as long as the old fixed sleeps gave it and more; set THREADLINE_TEST_QUIET_DEBUG=1 to be told.
 */
export async function waitUntilQuiet(h: Harness): Promise<void> {
  const deadline = Date.now() + QUIET_WITHIN_MS;
  let previous: string | undefined;
  for (;;) {
    await h.app.deps.background.idle();
    if (h.app.deps.queue instanceof MemoryWorkQueue) await h.app.deps.queue.idle();
    await h.graph.settle();
    const now = await look(h);
    if (now.owed.length === 0 && now.seen === previous) return;
    if (Date.now() > deadline) {
      if (process.env.THREADLINE_TEST_QUIET_DEBUG) {
        process.stderr.write(`not quiet after ${QUIET_WITHIN_MS} ms, still owed: ${now.owed.join(', ') || 'nothing (state changing)'}\n`);
      }
      return;
    }
    previous = now.owed.length === 0 ? now.seen : undefined;
    await new Promise((resolve) => setTimeout(resolve, STABLE_FOR_MS));
  }
}
