import { z } from 'zod';
import { fetchJsonAnswer } from '../probe-fetch';

/**
 * The read-only Slack calls `threadline doctor` makes, each answered as data (never thrown): the checks decide what
 * a refusal means. Plain fetch rather than the SDK, because the granted scopes travel in the `x-oauth-scopes`
 * response header of any Web API call (slack.md §1.4) and one call per check is all it needs.
 */

export type ProbeAnswer<T> =
  | { kind: 'ok'; value: T }
  /** Slack answered ok:false with this error code (invalid_auth, channel_not_found, …). */
  | { kind: 'refused'; error: string }
  /** No answer: DNS, connection or timeout, in a few words. */
  | { kind: 'unreachable'; detail: string };

export interface AuthInfo {
  team: string;
  botUser: string;
  botUserId: string;
  /** Granted scopes from `x-oauth-scopes`; undefined when Slack sent no header. */
  scopes: string[] | undefined;
}

export interface ChannelInfo {
  name: string;
  isMember: boolean;
  isPrivate: boolean;
}

export interface SlackSetupProbe {
  /** auth.test with the bot token. */
  authTest(): Promise<ProbeAnswer<AuthInfo>>;
  /** conversations.info with the bot token. */
  channelInfo(channel: string): Promise<ProbeAnswer<ChannelInfo>>;
  /** apps.connections.open with the app-level token: only a valid xapp- token with connections:write gets a URL. */
  openSocketUrl(appToken: string): Promise<ProbeAnswer<{ url: string }>>;
}

const NOT_SLACK = 'a Slack answer (is SLACK_API_URL right?)';
const slackAnswer = z.object({ ok: z.boolean(), error: z.string().optional() }).passthrough();
const authAnswer = z.object({ team: z.string().default(''), user: z.string().default(''), user_id: z.string().default('') });
const channelAnswer = z.object({
  channel: z.object({ name: z.string().default(''), is_member: z.boolean().optional(), is_private: z.boolean().optional() }),
});

export function createSlackSetupProbe(opts: { apiUrl: string; botToken: string; timeoutMs: number }): SlackSetupProbe {
  async function call<T>(method: string, token: string, params: Record<string, string>, schema: z.ZodType<T>): Promise<ProbeAnswer<{ body: T; scopes: string[] | undefined }>> {
    const answer = await fetchJsonAnswer(
      `${opts.apiUrl}${method}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      },
      { timeoutMs: opts.timeoutMs, notAnAnswer: NOT_SLACK },
    );
    if (answer.kind === 'unreachable') return answer;
    const { json, status, headers } = answer;
    const base = slackAnswer.safeParse(json);
    if (!base.success) return { kind: 'unreachable', detail: `HTTP ${status} without ${NOT_SLACK}` };
    if (!base.data.ok) return { kind: 'refused', error: base.data.error ?? `http_${status}` };
    const body = schema.safeParse(json);
    if (!body.success) return { kind: 'refused', error: 'unexpected_answer' };
    const header = headers.get('x-oauth-scopes');
    const scopes = header === null ? undefined : header.split(',').map((s) => s.trim()).filter(Boolean);
    return { kind: 'ok', value: { body: body.data, scopes } };
  }

  return {
    async authTest() {
      const answer = await call('auth.test', opts.botToken, {}, authAnswer);
      if (answer.kind !== 'ok') return answer;
      const { body, scopes } = answer.value;
      return { kind: 'ok', value: { team: body.team, botUser: body.user, botUserId: body.user_id, scopes } };
    },
    async channelInfo(channel) {
      const answer = await call('conversations.info', opts.botToken, { channel }, channelAnswer);
      if (answer.kind !== 'ok') return answer;
      const c = answer.value.body.channel;
      return { kind: 'ok', value: { name: c.name, isMember: c.is_member === true, isPrivate: c.is_private === true } };
    },
    async openSocketUrl(appToken) {
      const answer = await call('apps.connections.open', appToken, {}, z.object({ url: z.string() }));
      return answer.kind === 'ok' ? { kind: 'ok', value: { url: answer.value.body.url } } : answer;
    },
  };
}
