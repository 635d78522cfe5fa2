import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { storeBotMessage } from './slack-api-chat';
import type { RouteAnswer } from './slack-api-files';
import type { EmulatorCore } from './slack-emulator-core';
import type { RecordedResponseUrlPost } from './slack-types';

/**
 * response_url endpoints handed out with slash commands and interactions. Each allows 5 uses within 30 minutes
 * (slack.md §3); Bolt's respond() posts JSON to it (slack.md §9.3).
 */

const MAX_USES = 5;
const LIFETIME_MS = 30 * 60 * 1000;
export const RESPONSE_PATH_PREFIX = '/response/';

interface IssuedUrl {
  source: RecordedResponseUrlPost['source'];
  issuedAt: number;
  uses: number;
}

export class ResponseUrlRegistry {
  readonly posts: RecordedResponseUrlPost[] = [];
  private readonly issued = new Map<string, IssuedUrl>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly clock: Clock,
  ) {}

  reset(): void {
    this.issued.clear();
    this.posts.length = 0;
  }

  issue(source: RecordedResponseUrlPost['source']): string {
    const id = randomBytes(12).toString('hex');
    this.issued.set(id, { source, issuedAt: this.clock.now().getTime(), uses: 0 });
    return `${this.baseUrl()}${RESPONSE_PATH_PREFIX}${id}`;
  }

  /** Records the POST and does what Slack would: replace/delete the original, post in channel, or show an ephemeral. */
  receive(core: EmulatorCore, id: string, url: string, contentType: string, rawBody: Buffer): RouteAnswer {
    const entry = this.issued.get(id);
    const body = parseResponseBody(contentType, rawBody);
    const at = this.clock.now();
    const answer = (status: number, json: unknown): RouteAnswer => {
      if (entry) this.posts.push({ url, body, at, source: entry.source, status });
      return { status, contentType: 'application/json', body: JSON.stringify(json) };
    };
    if (!entry) return answer(404, { ok: false, error: 'no_such_url' });
    if (at.getTime() - entry.issuedAt > LIFETIME_MS) return answer(404, { ok: false, error: 'expired_url' });
    if (entry.uses >= MAX_USES) return answer(404, { ok: false, error: 'used_url' });
    entry.uses += 1;
    this.apply(core, entry.source, body);
    return answer(200, { ok: true });
  }

  private apply(core: EmulatorCore, source: RecordedResponseUrlPost['source'], body: Record<string, unknown>): void {
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    const original = source.messageTs ? core.workspace.findMessage(source.channel, source.messageTs) : undefined;
    if (body.delete_original === true) {
      if (original) core.workspace.removeMessage(original.channel, original.ts);
      return;
    }
    if (body.replace_original === true && original) {
      original.text = text;
      if (blocks) original.blocks = blocks;
      else delete original.blocks;
      return;
    }
    if (body.response_type === 'in_channel' && core.workspace.channels.has(source.channel)) {
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      storeBotMessage(core, source.channel, {
        ...core.workspace.botAuthor({}),
        text,
        ...(blocks ? { blocks } : {}),
        ...(threadTs && core.workspace.findParent(source.channel, threadTs) ? { thread_ts: threadTs } : {}),
      });
      return;
    }
    core.ephemerals.push({
      channel: source.channel,
      user: source.user,
      text,
      message_ts: core.workspace.nextTs(),
      via: 'response_url',
      ...(blocks ? { blocks } : {}),
    });
  }
}

function parseResponseBody(contentType: string, raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  try {
    const json: unknown = contentType.startsWith('application/x-www-form-urlencoded')
      ? JSON.parse(new URLSearchParams(text).get('payload') ?? '{}')
      : JSON.parse(text);
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
