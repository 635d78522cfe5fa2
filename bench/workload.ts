import type { SlackEmulator } from '../src/emulators/slack-emulator';
import { buildMessageWebhook, serializeLikeMeta, signMetaBody, textMessage } from '../src/emulators/whatsapp-webhooks';
import type { Shot } from './load';

export const BENCH_SECRET = 'bench-app-secret';

export interface Number {
  phoneNumberId: string;
  display: string;
  channel: string;
}

/** `count` business numbers, each with its own Slack channel (WHATSAPP_NUMBER_CHANNELS). */
export function makeNumbers(count: number): Number[] {
  return Array.from({ length: count }, (_, i) => ({
    phoneNumberId: String(100000000000100 + i),
    display: String(15550010000 + i),
    channel: `C0BENCH${String(i).padStart(4, '0')}`,
  }));
}

export const numberChannelsEnv = (numbers: Number[]) => numbers.map((n) => `${n.phoneNumberId}=${n.channel}`).join(',');

export interface Sent {
  token: string;
  customer: string;
  seq: number;
  channel: string;
  /** When the webhook was first sent and when it was acknowledged (ms since epoch), once known. */
  sentAt?: number;
  answeredAt?: number;
}

/** Copy the load generator's timings onto the sent messages (same index order). */
export function withTimings(sent: Sent[], load: { sentAt: number[]; answeredAt: number[] }): Sent[] {
  return sent.map((s, i) => ({ ...s, sentAt: load.sentAt[i], answeredAt: load.answeredAt[i] }));
}

/**
 * One signed single-message webhook per message, customers spread over the numbers, messages of each customer in
 * sequence; the text carries a unique token the checks look for in Slack.
 */
export function makeShots(args: { run: string; numbers: Number[]; customers: number; perCustomer: number; interleave?: boolean }) {
  const shots: Shot[] = [];
  const sent: Sent[] = [];
  const order: [number, number][] = [];
  if (args.interleave === false) {
    for (let c = 0; c < args.customers; c++) for (let s = 0; s < args.perCustomer; s++) order.push([c, s]);
  } else {
    for (let s = 0; s < args.perCustomer; s++) for (let c = 0; c < args.customers; c++) order.push([c, s]);
  }
  for (const [c, s] of order) {
    const number = args.numbers[c % args.numbers.length]!;
    const waId = `1666${args.run.replace(/\D/g, '').slice(-3).padStart(3, '0')}${String(c).padStart(5, '0')}`;
    const token = `tl-${args.run}-${c}-${s}`;
    const payload = buildMessageWebhook({
      phoneNumberId: number.phoneNumberId,
      displayPhoneNumber: number.display,
      contact: { waId, name: `Customer ${c}` },
      messages: [textMessage({ from: waId, body: `message ${s} ${token}` })],
    });
    const body = serializeLikeMeta(payload);
    shots.push({
      path: '/webhooks/whatsapp',
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, BENCH_SECRET) },
    });
    sent.push({ token, customer: String(c), seq: s, channel: number.channel });
  }
  return { shots, sent };
}

export interface Check {
  /** A few out-of-order cases (token seen after a later one of the same customer), for diagnosis. */
  examples: string[];
  lost: number;
  doubled: number;
  outOfOrder: number;
  posted: number;
}

/**
 * Every token exactly once in Slack, and each customer's messages in the order they reached us. Webhooks race
 * (Meta delivers concurrently, reference/whatsapp.md §1.3), so "order" is happens-before: if B was sent after A
 * was acknowledged, A must come first in the thread.
 */
export function checkDelivery(slack: SlackEmulator, sent: Sent[]): Check {
  const byToken = new Map(sent.map((s) => [s.token, s]));
  const channels = new Set(sent.map((s) => s.channel));
  const seen = new Map<string, number>();
  const lastOf = new Map<string, Sent>();
  let outOfOrder = 0;
  let posted = 0;
  const examples: string[] = [];
  const pattern = /tl-[A-Za-z0-9]+-\d+-\d+/g;
  for (const channel of channels) {
    for (const message of slack.messages(channel)) {
      if (!message.thread_ts || message.thread_ts === message.ts) continue;
      posted += 1;
      const text = JSON.stringify(message.blocks ?? message.text ?? '');
      for (const m of text.matchAll(pattern)) {
        const token = m[0];
        seen.set(token, (seen.get(token) ?? 0) + 1);
        const s = byToken.get(token);
        if (!s) continue;
        const key = `${channel}:${s.customer}:${token.split('-')[1]}`;
        const previous = lastOf.get(key);
        if (previous && previous.sentAt !== undefined && s.answeredAt !== undefined && previous.sentAt > s.answeredAt) {
          outOfOrder += 1;
          if (examples.length < 5) examples.push(`${previous.token} shown before ${token}, which was acknowledged first`);
        }
        lastOf.set(key, s);
      }
    }
  }
  let lost = 0;
  let doubled = 0;
  for (const s of sent) {
    const n = seen.get(s.token) ?? 0;
    if (n === 0) lost += 1;
    if (n > 1) doubled += n - 1;
  }
  return { lost, doubled, outOfOrder, posted, examples };
}
