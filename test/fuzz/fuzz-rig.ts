import { writeFileSync } from 'node:fs';
import { parse as parseQuery } from 'node:querystring';
import { count, desc, eq, isNotNull } from 'drizzle-orm';
import { conversations, messageTemplates, messages, savedReplies, webhookInbox } from '../../db/schema';
import { signSlackRequest } from '../../src/emulators/slack-signing';
import { DEFAULT_BUSINESS_NUMBER, serializeLikeMeta, signMetaBody } from '../../src/emulators/whatsapp-webhooks';
import { type Harness, INBOX, VERIFY_TOKEN, startHarness } from '../helpers/harness';
import { type IdPools, SentSecrets, resolveInText, resolvePlaceholders } from './fuzz-wire';
import type { Json } from './nasty-values';
import type { SlackInput } from './slack-inputs';
import { FUZZ_NUMBER, type VerifyQuery, WHATSAPP_PHONE_KEYS, type WhatsAppPost } from './whatsapp-inputs';

/**
 * The running app for the fuzz suite and what it learns along the way: every answer per surface, crashes (uncaught
 * exceptions, unhandled rejections), the captured log, and what was sent that the log must not show. Fuzz traffic
 * goes to its own number and channel; the inbox channel stays free for the after-fuzz check.
 */

export const FUZZ_CHANNEL = 'C0FUZZ';
/**
 * Slack Web API errors (src/slack/slack-errors.ts), a response_url that would not take the answer (Bolt), and the
 * app's own refusals (src/errors.ts: AppError and its subclasses), which say the input was wrong.
 */
const PLATFORM_REFUSAL = /^(Slack\w*Error|RespondError|AppError|NotFoundError|ForbiddenError|InvalidInputError|UnavailableError)$/;
/** A response_url off Slack's hosts, refused before a byte left (src/outbound-hosts.ts): the guard working. */
const HOST_REFUSAL = /^refused to call /;
const APP_SECRET = 'test-app-secret';

export interface Answer {
  status: number;
  text: string;
}

export class FuzzRig {
  readonly secrets = new SentSecrets();
  /** Inputs and answers per surface ("whatsapp POST", "slack event", …) and per kind within it. */
  readonly statuses = new Map<string, Map<number, number>>();
  readonly kinds = new Map<string, Map<string, number>>();
  readonly crashes: string[] = [];
  private pools: IdPools = {};
  private tsCounter = 0;
  private readonly onCrash = (err: unknown) => void this.crashes.push(String((err as Error)?.stack ?? err).slice(0, 2000));

  private constructor(
    readonly h: Harness,
    /** Every JSON line the app logged. */
    readonly lines: string[],
  ) {}

  static async start(): Promise<FuzzRig> {
    const lines: string[] = [];
    const h = await startHarness({
      extraChannels: [FUZZ_CHANNEL],
      businessNumbers: [{ phoneNumberId: FUZZ_NUMBER.phoneNumberId, displayPhoneNumber: FUZZ_NUMBER.displayPhoneNumber }],
      env: {
        SLACK_CHANNEL: FUZZ_CHANNEL,
        WHATSAPP_NUMBER_CHANNELS: `${DEFAULT_BUSINESS_NUMBER.phoneNumberId}=${INBOX},${FUZZ_NUMBER.phoneNumberId}=${FUZZ_CHANNEL}`,
        ADMIN_USER_IDS: 'U0ANA',
      },
      // The most verbose level: the leak check reads every line the app and the Slack libraries write.
      logLevel: 'trace',
      logDestination: { write: (line) => void lines.push(line) },
    });
    const rig = new FuzzRig(h, lines);
    process.on('uncaughtException', rig.onCrash);
    process.on('unhandledRejection', rig.onCrash);
    await rig.refreshPools();
    return rig;
  }

  async close(): Promise<void> {
    if (process.env.FUZZ_LOG_DUMP) writeFileSync(process.env.FUZZ_LOG_DUMP, this.lines.join(''));
    process.off('uncaughtException', this.onCrash);
    process.off('unhandledRejection', this.onCrash);
    await this.h.close();
  }

  /** The ids inputs may refer to: what the app has stored so far, and the emulators' own. */
  async refreshPools(): Promise<void> {
    const db = this.h.app.deps.db;
    const convs = await db.select({ id: conversations.id, ts: conversations.threadTs }).from(conversations).orderBy(desc(conversations.id)).limit(40);
    const msgs = await db.select({ id: messages.id, wamid: messages.waMessageId }).from(messages).orderBy(desc(messages.id)).limit(60);
    const outbound = await db.select({ wamid: messages.waMessageId }).from(messages).where(eq(messages.direction, 'outbound')).orderBy(desc(messages.id)).limit(30);
    const rows = await db.select({ id: webhookInbox.id }).from(webhookInbox).where(isNotNull(webhookInbox.lastError)).orderBy(desc(webhookInbox.id)).limit(20);
    const templates = await db.select({ id: messageTemplates.id }).from(messageTemplates).limit(20);
    const replies = await db.select({ id: savedReplies.id }).from(savedReplies).limit(20);
    const { slack } = this.h;
    this.pools = {
      conv: convs.map((c) => String(c.id)),
      card: convs.flatMap((c) => (c.ts ? [c.ts] : [])),
      msg: msgs.map((m) => String(m.id)),
      wamid: [...outbound, ...msgs].flatMap((m) => (m.wamid ? [m.wamid] : [])),
      inboxrow: rows.map((r) => String(r.id)),
      tpl: templates.map((t) => String(t.id)),
      reply: replies.map((r) => String(r.id)),
      chan: [FUZZ_CHANNEL, FUZZ_CHANNEL, FUZZ_CHANNEL, 'C0NOTOURS', 'D0000001', 'G0PRIVATE1'],
      team: [slack.teamId],
      app: [slack.apiAppId],
      bot: [slack.botUserId],
      view: ['V0FUZZ0001'],
      trigger: ['1234567890.1234567890.abcdef0123456789'],
      resp: [`${slack.baseUrl}/response/none`, 'https://attacker.invalid/hook', 'not a url', 'http://127.0.0.1:1/x'],
      file: [`${slack.baseUrl}/files-pri/${slack.teamId}-F0FUZZ01/photo.png`],
      now: () => String(Math.floor(Date.now() / 1000)),
      ts: () => `${Math.floor(Date.now() / 1000)}.${String((this.tsCounter += 1)).padStart(6, '0')}`,
    };
  }

  private record(surface: string, kind: string, status: number): void {
    const byStatus = this.statuses.get(surface) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.statuses.set(surface, byStatus);
    const byKind = this.kinds.get(surface) ?? new Map<string, number>();
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    this.kinds.set(surface, byKind);
  }

  /** Signed with the app secret over the exact bytes; returns the answer and the one the rules call for. */
  async postWhatsApp(post: WhatsAppPost, kind: string): Promise<Answer & { expected: number }> {
    const text = resolvePlaceholders(post.kind === 'json' && !post.metaEscaped ? plainJson(post.body) : serializeLikeMeta(post.body), this.pools);
    this.secrets.collect(safeParse(text), WHATSAPP_PHONE_KEYS);
    let raw = Buffer.from(text, 'utf8');
    if (post.kind === 'bytes') {
      const at = post.prefix ? 0 : Math.max(0, raw.indexOf('fz'));
      raw = Buffer.concat([raw.subarray(0, at), Buffer.from(post.inject), raw.subarray(at)]);
    }
    const url = `${this.h.app.url}/webhooks/whatsapp`;
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(raw, APP_SECRET) }, body: raw });
    const answer = { status: res.status, text: await res.text() };
    this.record('whatsapp POST /webhooks/whatsapp', kind, answer.status);
    const tooLarge = raw.length > this.h.config.whatsapp.webhookMaxBytes;
    return { ...answer, expected: tooLarge ? 413 : safeParse(raw.toString('utf8')) === undefined ? 400 : 200 };
  }

  /** The handshake, with what the rule says: 200 echoing hub.challenge for subscribe + the right token, else 403. */
  async verifyWhatsApp(query: VerifyQuery): Promise<Answer & { expected: Answer }> {
    const qs = `${new URLSearchParams(query.pairs.map(([k, v]): [string, string] => [resolveInText(k, this.pools), resolveInText(v, this.pools)])).toString()}${query.rawTail}`;
    const res = await fetch(`${this.h.app.url}/webhooks/whatsapp?${qs}`);
    // The bytes as sent: res.text() would drop a byte-order mark the challenge starts with.
    const answer = { status: res.status, text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
    this.record('whatsapp GET /webhooks/whatsapp', 'verify', answer.status);
    const q = parseQuery(qs);
    const ok = q['hub.mode'] === 'subscribe' && q['hub.verify_token'] === VERIFY_TOKEN && typeof q['hub.challenge'] === 'string';
    return { ...answer, expected: ok ? { status: 200, text: String(q['hub.challenge']) } : { status: 403, text: 'verification failed' } };
  }

  async postSlack(input: SlackInput): Promise<Answer> {
    const { contentType, body } = this.slackBody(input);
    const { headers } = signSlackRequest(this.h.slack.signingSecret, body, Date.now() / 1000);
    const res = await fetch(`${this.h.app.url}/slack/events`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
    const answer = { status: res.status, text: await res.text() };
    this.record(`slack ${input.surface}`, input.kind, answer.status);
    return answer;
  }

  private slackBody(input: SlackInput): { contentType: string; body: string } {
    switch (input.surface) {
      case 'event': {
        const json = resolvePlaceholders(plainJson(input.body), this.pools);
        this.secrets.collect(safeParse(json), new Set());
        return { contentType: 'application/json', body: json };
      }
      case 'interaction': {
        const json = resolvePlaceholders(plainJson(input.payload), this.pools);
        this.secrets.collect(safeParse(json), new Set());
        return { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ payload: json }).toString() };
      }
      case 'command': {
        const pairs = formPairs(input.fields).map(([k, v]): [string, string] => [resolveInText(k, this.pools), resolveInText(v, this.pools)]);
        for (const [, v] of pairs) this.secrets.collect(v, new Set());
        return { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(pairs).toString() };
      }
      case 'other':
        return { contentType: input.contentType, body: resolveInText(input.body, this.pools) };
      default:
        return input satisfies never;
    }
  }

  async healthy(): Promise<boolean> {
    const [health, ready] = await Promise.all([fetch(`${this.h.app.url}/healthz`), fetch(`${this.h.app.url}/readyz`)]);
    return health.status === 200 && ready.status === 200;
  }

  /** Every answer of 500 or above, per surface. */
  serverErrors(): number {
    let n = 0;
    for (const byStatus of this.statuses.values()) for (const [status, count] of byStatus) if (status >= 500) n += count;
    return n;
  }

  /** Log lines at error level or above, counted by message: each is an exception some input caused. */
  errorLines(): Map<string, number> {
    const byMessage = new Map<string, number>();
    for (const line of this.lines) {
      const entry = safeParse(line) as { level?: number; msg?: string } | undefined;
      if ((entry?.level ?? 0) < 50) continue;
      const msg = String(entry?.msg ?? '?');
      if (process.env.FUZZ_DEBUG) process.stdout.write(`ERRLINE ${line.slice(0, 1500)}\n`);
      byMessage.set(msg, (byMessage.get(msg) ?? 0) + 1);
    }
    return byMessage;
  }

  /** What the inputs made the app do: conversations opened, posts in Slack, sends to WhatsApp, webhook rows by state. */
  async effects(): Promise<string> {
    const db = this.h.app.deps.db;
    const [opened] = await db.select({ n: count() }).from(conversations);
    const rows = await db.select({ state: webhookInbox.state, n: count() }).from(webhookInbox).groupBy(webhookInbox.state);
    const posts = this.h.slack.calls.filter((c) => c.method === 'chat.postMessage').length;
    const byState = rows.map((r) => `${r.state} ${r.n}`).join(', ');
    return `  effects: ${opened?.n ?? 0} conversations, ${posts} Slack posts, ${this.h.graph.sent.length} WhatsApp sends, webhook rows: ${byState}`;
  }

  /**
   * Errors a listener or a background task threw that were not Slack refusing a call the junk led to (a made-up
   * user, an expired trigger): those are the app's own code failing on input, what the house rule forbids.
   */
  codeFailures(): string[] {
    return this.lines.flatMap((line) => {
      const entry = safeParse(line) as { msg?: string; err?: { type?: string; message?: string } } | undefined;
      if (entry?.msg !== 'Slack listener failed' && entry?.msg !== 'background task failed') return [];
      if (PLATFORM_REFUSAL.test(entry.err?.type ?? '') || HOST_REFUSAL.test(entry.err?.message ?? '')) return [];
      return [`${entry.msg}: ${entry.err?.type ?? '?'} ${entry.err?.message ?? ''}`.slice(0, 300)];
    });
  }

  /** The counts the report needs: inputs and statuses per surface, the kinds each saw, and the errors logged. */
  summary(): string {
    const out: string[] = [];
    const errors = [...this.errorLines()].map(([msg, n]) => `${msg} ×${n}`);
    out.push(`  errors logged: ${errors.length === 0 ? 'none' : errors.join('; ')}`);
    for (const [surface, byStatus] of this.statuses) {
      const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
      const statuses = [...byStatus].sort(([a], [b]) => a - b).map(([s, c]) => `${s}×${c}`).join(' ');
      const kinds = [...(this.kinds.get(surface) ?? new Map<string, number>())].sort(([, a], [, b]) => b - a).map(([k, c]) => `${k}×${c}`);
      out.push(`  ${surface}: ${total} inputs (${statuses})`, `    kinds: ${kinds.slice(0, 40).join(', ')}${kinds.length > 40 ? `, … ${kinds.length - 40} more` : ''}`);
    }
    return out.join('\n');
  }
}

/** JSON as any client writes it (own `__proto__` keys included); deep nesting stays a placeholder until resolved. */
function plainJson(value: Json): string {
  return JSON.stringify(value) ?? 'null';
}

function safeParse(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** A form as a browser would send it for any value: arrays repeat the key, objects go as JSON, null as empty. */
function formPairs(fields: Json): [string, string][] {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return [['payload', plainJson(fields)]];
  const scalar = (v: Json): string => (v === null ? '' : typeof v === 'object' ? plainJson(v) : String(v));
  return Object.keys(fields).flatMap((k): [string, string][] => {
    const v = fields[k] as Json;
    return Array.isArray(v) ? v.map((item): [string, string] => [k, scalar(item)]) : [[k, scalar(v)]];
  });
}
