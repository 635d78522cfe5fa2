import { asc, ne } from 'drizzle-orm';
import { startShift } from '../../../db/queries/agents';
import { upsertRoutingMode } from '../../../db/queries/channel-settings';
import { closeConversation } from '../../../db/queries/conversations';
import { agents, auditEvents, contacts, conversations, messages, slackOutbox, webhookEvents } from '../../../db/schema';
import { ManualClock } from '../../../src/clock';
import { loadConfig } from '../../../src/config';
import {
  DEFAULT_BUSINESS_NUMBER,
  buildBatchWebhook,
  buildErrorsWebhook,
  buildMessageWebhook,
  buildStatusWebhook,
  editMessage,
  locationMessage,
  mediaMessage,
  reactionMessage,
  revokeMessage,
  statusObject,
  systemMessage,
  textMessage,
  type WebhookPayload,
} from '../../../src/emulators/whatsapp-webhooks';
import { createLogger } from '../../../src/logger';
import { createMetrics } from '../../../src/metrics';
import { ingestItems, ingestItemsOneByOne, newIngestResult } from '../../../src/services/ingest';
import { pgSafeJson } from '../../../src/pg-safe';
import { parseWebhook } from '../../../src/whatsapp/webhook-parse';
import type { WebhookItem } from '../../../src/whatsapp/webhook-types';
import { type TestDatabase, openTestDatabase } from '../../helpers/database';

const SECOND_NUMBER = { phoneNumberId: '106540352242999', displayPhoneNumber: '15550009999', wabaId: '102290129340399' };
const env = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'test-secret',
  SLACK_CHANNEL: 'C0INBOX001',
  WHATSAPP_NUMBER_CHANNELS: `${SECOND_NUMBER.phoneNumberId}=C0SECOND01`,
  WHATSAPP_ACCESS_TOKEN: 'test-token',
  WHATSAPP_APP_SECRET: 'test-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'test-verify',
};

/** A small deterministic PRNG (mulberry32): the same seed gives the same traffic on every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Customer {
  waId?: string;
  userId?: string;
  names: string[];
}

/**
 * Realistic mixed traffic: returning and new customers (phone, BSUID only, both), two numbers, redeliveries,
 * profile name changes, a customer whose BSUID is learnt later, reactions, edits and deletions (redelivered, and some
 * arriving before their original), number changes, statuses, errors and unknown fields — each step a stored POST's items, as the inbox processor would take them.
 */
function makeTraffic(seed: number, steps: number): WebhookItem[][] {
  const random = prng(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const customers: Customer[] = [
    { waId: '15550100001', names: ['Ana', 'Ana B.'] },
    { waId: '15550100002', names: ['Bo'] },
    { userId: 'US.13491208655302741918', names: ['Username Only'] },
    { waId: '15550100004', userId: 'US.2222222222', names: ['Both Ids'] },
    { waId: '15550100005', names: ['Learns Bsuid'] },
    { waId: '15550100006', names: ['Ché \u0000 Null'] },
  ];
  const sent: string[] = [];
  const edits: string[] = [];
  let seq = 0;
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const posts: WebhookPayload[][] = [];
  for (let step = 0; step < steps; step++) {
    const parts: WebhookPayload[] = [];
    const count = 1 + Math.floor(random() * 3);
    for (let p = 0; p < count; p++) {
      // Webhooks arrive out of order now and then (reference/whatsapp.md §1.3): a timestamp may go back.
      clock += Math.floor(random() * 90_000) - 30_000;
      const number = random() < 0.75 ? DEFAULT_BUSINESS_NUMBER : SECOND_NUMBER;
      // Step 40 always has the customer whose BSUID is learnt later, so every seed covers it.
      const forced = step === 40 && p === 0;
      const who = forced ? customers[4]! : pick(customers);
      const from = who.waId;
      const base = { from, fromUserId: who.userId, timestamp: new Date(clock) };
      const contact = { waId: who.waId, userId: who.userId, name: pick(who.names) };
      const roll = forced ? 0.74 : random();
      const id = roll < 0.12 && sent.length > 0 ? pick(sent) : `wamid.eq${seed}.${++seq}`;
      if (!sent.includes(id)) sent.push(id);
      if (roll < 0.55) parts.push(buildMessageWebhook({ ...number, contact, messages: [textMessage({ ...base, id, body: `hello ${seq}` })] }));
      else if (roll < 0.62) parts.push(buildMessageWebhook({ ...number, contact, messages: [mediaMessage('image', { ...base, id, mediaId: `m${seq}`, mimeType: 'image/jpeg', caption: 'look' })] }));
      else if (roll < 0.67) parts.push(buildMessageWebhook({ ...number, contact, messages: [locationMessage({ ...base, id, latitude: 1, longitude: 2, name: 'Here' })] }));
      else if (roll < 0.73 && sent.length > 1) parts.push(buildMessageWebhook({ ...number, contact, messages: [reactionMessage({ ...base, id, messageId: pick(sent), emoji: '👍' })] }));
      else if (roll < 0.76 && who.waId === '15550100005') {
        // The same customer, now with a BSUID beside the phone: a new id on a known contact.
        parts.push(buildMessageWebhook({ ...number, contact: { ...contact, userId: 'US.5555555555' }, messages: [textMessage({ ...base, fromUserId: 'US.5555555555', id, body: 'with bsuid' })] }));
      } else if (roll < 0.78) {
        parts.push(buildMessageWebhook({ ...number, contact, messages: [systemMessage({ ...base, id, systemType: 'user_changed_number', body: 'changed', newWaId: `1555019${seq}` })] }));
      } else if (roll < 0.81 && sent.length > 0) {
        // An edit of an earlier message, now and then of one that arrives later, now and then redelivered.
        const again = edits.length > 0 && random() < 0.3 ? pick(edits) : undefined;
        const editId = again ?? `wamid.edit${seed}.${++seq}`;
        if (!again) edits.push(editId);
        const original = random() < 0.2 ? `wamid.eq${seed}.${seq + 1}` : pick(sent);
        parts.push(buildMessageWebhook({ ...number, contact, messages: [editMessage({ ...base, id: editId, originalId: original, body: `edited ${seq}` })] }));
      } else if (roll < 0.83 && sent.length > 0) {
        parts.push(buildMessageWebhook({ ...number, contact, messages: [revokeMessage({ ...base, id, originalId: pick(sent) })] }));
      } else if (roll < 0.88) parts.push(buildStatusWebhook({ ...number, statuses: [statusObject({ wamid: `wamid.out.${seq}`, status: 'delivered', recipientWaId: from ?? '15550100001' })] }));
      else if (roll < 0.93) parts.push(buildErrorsWebhook({ ...number, errors: [{ code: 131000, title: 'Something went wrong' }] }));
      else parts.push({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'account_update', value: { event: 'X' } }] }] } as unknown as WebhookPayload);
    }
    posts.push(parts);
  }
  return posts.map((parts) => parseWebhook(pgSafeJson(JSON.parse(JSON.stringify(buildBatchWebhook(parts)))).value).items);
}

async function dump(database: TestDatabase) {
  const db = database.db;
  const ops = await db.select().from(slackOutbox).orderBy(asc(slackOutbox.id));
  const perConversation = new Map<number, string[]>();
  for (const op of ops) {
    const list = perConversation.get(op.conversationId ?? 0) ?? [];
    list.push(`${op.kind}:${op.messageId ?? ''}:${op.notBefore ? 'later' : 'now'}`);
    perConversation.set(op.conversationId ?? 0, list);
  }
  return {
    contacts: (await db.select().from(contacts).orderBy(asc(contacts.id))).map(({ createdAt: _c, updatedAt: _u, ...c }) => c),
    conversations: (await db.select().from(conversations).orderBy(asc(conversations.id))).map(
      ({ createdAt: _c, updatedAt: _u, openedAt: _o, closedAt: _cl, assignedAt: _a, ...c }) => c,
    ),
    messages: (await db.select().from(messages).orderBy(asc(messages.id))).map(({ createdAt: _c, updatedAt: _u, ...m }) => m),
    ops: [...perConversation.entries()].sort(([a], [b]) => a - b),
    kept: (await db.select().from(webhookEvents).orderBy(asc(webhookEvents.id))).map((e) => [e.field, e.reason, e.payload]),
  };
}

describe('set-based ingest', () => {
  let bulk: TestDatabase;
  let single: TestDatabase;
  beforeAll(async () => {
    [bulk, single] = await Promise.all([openTestDatabase('pglite'), openTestDatabase('pglite')]);
  });
  afterAll(async () => {
    await Promise.all([bulk.close(), single.close()]);
  });

  it.each([1, 2, 3])('writes exactly the rows one-by-one ingest writes, in the same order per conversation (seed %i)', async (seed) => {
    for (const database of [bulk, single]) {
      await database.db.delete(slackOutbox);
      await database.db.delete(messages);
      await database.db.delete(webhookEvents);
      await database.db.delete(conversations);
      await database.db.delete(contacts);
    }
    const traffic = makeTraffic(seed, 120);
    const random = prng(seed * 7);
    const clock = new ManualClock('2026-11-20T10:00:00Z');
    const deps = (database: TestDatabase) => ({
      db: database.db,
      config: loadConfig(env, []),
      logger: createLogger({ level: 'silent' }),
      clock,
      metrics: createMetrics(),
    });
    let counts = { stored: [0, 0], duplicates: [0, 0] };
    for (let i = 0; i < traffic.length; ) {
      // Batches of several POSTs, as the processor takes them; now and then an agent resolves a conversation.
      const size = 1 + Math.floor(random() * 25);
      const items = traffic.slice(i, i + size).flat();
      i += size;
      for (const [k, database] of [bulk, single].entries()) {
        const result = newIngestResult();
        await database.db.transaction((tx) => (k === 0 ? ingestItems : ingestItemsOneByOne)(deps(database), tx, items, result));
        counts = { stored: counts.stored.map((n, j) => (j === k ? n + result.stored : n)), duplicates: counts.duplicates.map((n, j) => (j === k ? n + result.duplicates : n)) };
      }
      // After every batch, not only at the end: a later batch can hide an earlier difference (a window time, say).
      const [x, y] = [await dump(bulk), await dump(single)];
      expect(x).toEqual(y);
      if (random() < 0.4) {
        for (const database of [bulk, single]) {
          const [open] = await database.db.select().from(conversations).where(ne(conversations.state, 'closed')).orderBy(asc(conversations.id)).limit(1);
          if (open) await closeConversation(database.db, open.id, 'U0ANA', clock.now());
        }
      }
      clock.advance(30_000);
    }
    const [a, b] = [await dump(bulk), await dump(single)];
    expect(a.contacts).toEqual(b.contacts);
    expect(a.conversations).toEqual(b.conversations);
    expect(a.messages).toEqual(b.messages);
    expect(a.ops).toEqual(b.ops);
    expect(a.kept).toEqual(b.kept);
    expect(counts.stored[0]).toBe(counts.stored[1]);
    expect(counts.duplicates[0]).toBe(counts.duplicates[1]);
    // The traffic really had what the test is about.
    expect(a.messages.length).toBeGreaterThan(100);
    expect(counts.duplicates[0]).toBeGreaterThan(5);
    expect(a.contacts.some((c) => c.userId === 'US.5555555555')).toBe(true);
    expect(a.conversations.some((c) => c.previousConversationId !== null)).toBe(true);
    expect(a.messages.filter((m) => m.kind === 'edit').length).toBeGreaterThan(2);
    expect(a.messages.some((m) => m.kind === 'revoke')).toBe(true);
  });

  it('opens many conversations at once in a channel that routes: the same owners, audit and cards as one by one', async () => {
    const clock = new ManualClock('2026-11-21T09:00:00Z');
    for (const database of [bulk, single]) {
      for (const table of [slackOutbox, messages, auditEvents, conversations, contacts, agents]) await database.db.delete(table);
      await upsertRoutingMode(database.db, 'C0INBOX001', 'round_robin', 'U0ADMIN');
      for (const [i, user] of ['U0ANA', 'U0BRUNO', 'U0CARLA'].entries()) await startShift(database.db, user, new Date(clock.now().getTime() - (i + 1) * 60_000));
    }
    // Seven new customers on the routed number, two on the manual one, interleaved, each writing twice.
    const posts = Array.from({ length: 18 }, (_, i) => {
      const n = i % 9;
      const number = n < 7 ? DEFAULT_BUSINESS_NUMBER : SECOND_NUMBER;
      const waId = `1555030000${n}`;
      return buildMessageWebhook({ ...number, contact: { waId, name: `C${n}` }, messages: [textMessage({ from: waId, id: `wamid.route.${i}`, body: `hi ${i}`, timestamp: new Date(clock.now().getTime() + i * 1000) })] });
    });
    const items = parseWebhook(buildBatchWebhook(posts)).items;
    const deps = (database: TestDatabase) => ({ db: database.db, config: loadConfig(env, []), logger: createLogger({ level: 'silent' }), clock, metrics: createMetrics() });
    for (const [k, database] of [bulk, single].entries()) {
      await database.db.transaction((tx) => (k === 0 ? ingestItems : ingestItemsOneByOne)(deps(database), tx, items, newIngestResult()));
    }
    const audit = async (database: TestDatabase) =>
      (await database.db.select().from(auditEvents).orderBy(asc(auditEvents.conversationId), asc(auditEvents.id))).map((e) => [e.conversationId, e.type, e.targetId, e.detail]);
    const [x, y] = [await dump(bulk), await dump(single)];
    expect(x).toEqual(y);
    expect(await audit(bulk)).toEqual(await audit(single));
    const owners = x.conversations.map((c) => c.ownerId);
    expect(owners.filter((o) => o !== null)).toHaveLength(7);
    expect(new Set(owners.filter((o) => o !== null))).toEqual(new Set(['U0ANA', 'U0BRUNO', 'U0CARLA']));
    expect(owners.slice(7)).toEqual([null, null]);
    expect((await audit(bulk)).filter(([, type]) => type === 'opened')).toHaveLength(9);
  });
});
