import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { buildDigestMessage } from '../blocks/digest';
import type { Db } from '../db/client';
import { loadConfig } from '../src/config';
import { buildDeps } from '../src/deps';
import type { SlackEmulator } from '../src/emulators/slack-emulator';
import { createLogger } from '../src/logger';
import { collectDigestReport } from '../src/services/digest-report';
import { runQueueCommand } from '../src/services/queue-view';
import { percentile, round } from './stats';

const AGENTS = 12;

/** 100k conversations (70% closed), 200k messages, spread over 30 days, 10 channels, 12 agents. */
async function seed(db: Db, conversations: number): Promise<void> {
  await db.execute(sql`
    insert into contacts (wa_id, profile_name)
    select '1777' || lpad(g::text, 8, '0'), 'Customer ' || g from generate_series(1, ${conversations}) g`);
  await db.execute(sql`
    insert into conversations (phone_number_id, display_phone_number, contact_id, channel_id, thread_ts, state, owner_id,
      assigned_reason, opened_at, closed_at, closed_by, last_inbound_at, last_outbound_at, awaiting_reply_since,
      first_response_at, card_version, card_rendered_version)
    select '100000000000001', '15550001111', c.id, 'C0SCALE' || (c.id % 10), (1700000000 + c.id)::text || '.000100',
      s.state,
      case when s.state = 'unassigned' then null else 'U0AGENT' || lpad((c.id % ${AGENTS})::text, 2, '0') end,
      'claimed', o.opened, case when s.state = 'closed' then o.opened + interval '1 hour' end,
      case when s.state = 'closed' then 'U0AGENT00' end,
      o.opened + interval '5 minutes', o.opened + interval '10 minutes',
      case when s.state in ('unassigned', 'waiting_on_agent') then o.opened + interval '5 minutes' end,
      case when c.id % 3 = 0 then null else o.opened + (c.id % 60) * interval '1 minute' end, 3, 3
    from contacts c
    cross join lateral (select now() - (c.id % 43200) * interval '1 minute' as opened) o
    cross join lateral (select (array['closed','closed','closed','closed','closed','closed','closed',
      'unassigned','waiting_on_agent','waiting_on_customer'])[c.id % 10 + 1] as state) s`);
  await db.execute(sql`
    insert into messages (conversation_id, direction, kind, wa_message_id, wa_timestamp, body, payload, slack_state, wa_state, slack_user_id)
    select v.id, d.direction, 'text', case when d.direction = 'inbound' then 'wamid.scale' || v.id end,
      v.opened_at + interval '5 minutes', 'hello ' || v.id, '{}'::jsonb,
      case when d.direction = 'inbound' then 'posted' end,
      case when d.direction = 'outbound' then (case when v.id % 50 = 0 then 'failed' else 'read' end) end,
      case when d.direction = 'outbound' then v.owner_id end
    from conversations v cross join (values ('inbound'), ('outbound')) d(direction)`);
  await db.execute(sql`insert into agents (slack_user_id, role, on_shift_since)
    select 'U0AGENT' || lpad(g::text, 2, '0'), 'agent', now() from generate_series(0, ${AGENTS - 1}) g`);
  await db.execute(sql`analyze`);
}

async function time<T>(runs: number, fn: () => Promise<T>): Promise<{ p50: number; max: number }> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { p50: round(percentile(samples, 50)), max: round(Math.max(...samples)) };
}

/**
 * /queue (all, mine, unassigned) and the digest (report + blocks) against 100k conversations, on real Postgres:
 * the full service call, including rendering, as a user would wait for it.
 */
export async function measureQueueAtScale(args: { databaseUrl: string; slack: SlackEmulator; conversations: number }) {
  const name = `tl_scale_${randomBytes(4).toString('hex')}`;
  const admin = postgres(args.databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(args.databaseUrl);
  url.pathname = `/${name}`;
  const config = loadConfig(
    {
      LOG_LEVEL: 'silent',
      DATABASE_URL: url.toString(),
      SLACK_BOT_TOKEN: args.slack.token,
      SLACK_SIGNING_SECRET: args.slack.signingSecret,
      SLACK_API_URL: args.slack.apiUrl,
      SLACK_CHANNEL: 'C0SCALE0',
      WHATSAPP_ACCESS_TOKEN: 'x',
      WHATSAPP_APP_SECRET: 'x',
      WHATSAPP_VERIFY_TOKEN: 'x',
    },
    [],
  );
  // /queue follows channel membership (issue 8): the agent asking is a person in the scale channels.
  args.slack.addUser({ id: 'U0AGENT01', name: 'agent01' });
  for (const id of ['C0SCALE0', 'C0SCALE1']) args.slack.addChannel({ id, name: id.toLowerCase() });
  const deps = await buildDeps(config, { logger: createLogger({ level: 'silent' }) });
  try {
    const seeded = performance.now();
    await seed(deps.db, args.conversations);
    const seedSeconds = round((performance.now() - seeded) / 1000, 1);
    const queueAll = await time(10, () => runQueueCommand(deps, { userId: 'U0AGENT01', channelId: 'C0SCALE1', text: 'all' }));
    const queueMine = await time(10, () => runQueueCommand(deps, { userId: 'U0AGENT01', channelId: 'C0SCALE1', text: 'mine' }));
    const queueUnassigned = await time(10, () => runQueueCommand(deps, { userId: 'U0AGENT01', channelId: 'C0SCALE1', text: 'unassigned' }));
    const digest = await time(5, async () => buildDigestMessage((await collectDigestReport(deps, new Date())).input));
    return {
      conversations: args.conversations,
      seedSeconds,
      queueAllMs: queueAll,
      queueMineMs: queueMine,
      queueUnassignedMs: queueUnassigned,
      digestMs: digest,
    };
  } finally {
    await deps.queue.close();
    await deps.database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
