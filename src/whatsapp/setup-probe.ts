import { z } from 'zod';
import { fetchJsonAnswer } from '../probe-fetch';

/**
 * The read-only Graph calls `threadline doctor` makes, answered as data (never thrown): token debug, a phone
 * number's node, a WABA's subscribed apps and the app's own webhook subscriptions. Errors keep Meta's code, which is what tells "bad token" (190) from
 * "no such object or no permission" (100) (reference/whatsapp.md §4.1).
 */

export type GraphAnswer<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; code: number; message: string }
  | { kind: 'unreachable'; detail: string };

export interface TokenInfo {
  isValid: boolean;
  appId: string | undefined;
  /** Unix seconds; 0 or undefined: never expires. */
  expiresAt: number | undefined;
  scopes: string[];
  /** WABA ids the token was granted (granular_scopes' target_ids). */
  wabaIds: string[];
}

export interface PhoneNumberInfo {
  displayPhoneNumber: string | undefined;
  verifiedName: string | undefined;
  qualityRating: string | undefined;
  messagingLimitTier: string | undefined;
}

export interface GraphSetupProbe {
  debugToken(): Promise<GraphAnswer<TokenInfo>>;
  phoneNumber(phoneNumberId: string): Promise<GraphAnswer<PhoneNumberInfo>>;
  /** App ids subscribed to the WABA's webhooks. */
  subscribedApps(wabaId: string): Promise<GraphAnswer<string[]>>;
  /** The app's webhook subscriptions, one per object type (whatsapp_business_account, page, …). */
  appSubscriptions(appId: string): Promise<GraphAnswer<AppSubscription[]>>;
}

export interface AppSubscription {
  object: string;
  callbackUrl: string | undefined;
  active: boolean;
  /** The subscribed fields and the Graph version each one's payloads follow. */
  fields: Array<{ name: string; version: string | undefined }>;
}

const NOT_GRAPH = 'a Graph answer (is WHATSAPP_API_URL right?)';
const graphError = z.object({ error: z.object({ code: z.coerce.number().default(0), message: z.string().default('') }) });
const debugAnswer = z.object({
  data: z.object({
    is_valid: z.boolean().default(false),
    app_id: z.coerce.string().optional(),
    expires_at: z.coerce.number().optional(),
    scopes: z.array(z.string()).default([]),
    granular_scopes: z.array(z.object({ scope: z.string(), target_ids: z.array(z.coerce.string()).optional() })).default([]),
  }),
});
const numberAnswer = z.object({
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
  quality_rating: z.string().optional(),
  messaging_limit_tier: z.string().optional(),
});
const appsAnswer = z.object({
  data: z.array(z.object({ whatsapp_business_api_data: z.object({ id: z.coerce.string() }).partial().optional() })).default([]),
});

/**
 * GET /<APP_ID>/subscriptions answers `{data: [{object, callback_url, active, fields: [{name, version}]}]}`
 * (developers.facebook.com/docs/graph-api/reference/app/subscriptions and …/graph-api/webhooks/subscriptions-edge,
 * "Getting Subscription Information"); the reference types `fields` as string[], so plain names are read too.
 */
const subscriptionsAnswer = z.object({
  data: z
    .array(
      z.object({
        object: z.string().default(''),
        callback_url: z.string().optional(),
        active: z.boolean().default(false),
        fields: z
          .array(z.union([z.string().transform((name) => ({ name, version: undefined })), z.object({ name: z.string(), version: z.string().optional() })]))
          .default([]),
      }),
    )
    .default([]),
});

const NUMBER_FIELDS = 'display_phone_number,verified_name,quality_rating,messaging_limit_tier';

export function createGraphSetupProbe(opts: { apiUrl: string; apiVersion: string; accessToken: string; appSecret: string; timeoutMs: number }): GraphSetupProbe {
  async function get<T>(path: string, query: Record<string, string>, schema: z.ZodType<T>, token = opts.accessToken): Promise<GraphAnswer<T>> {
    const url = new URL(`${opts.apiUrl}/${opts.apiVersion}/${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    // The token travels in the header, never in the URL, so no error text that quotes the URL can carry it.
    const answer = await fetchJsonAnswer(url, { headers: { authorization: `Bearer ${token}` } }, { timeoutMs: opts.timeoutMs, notAnAnswer: NOT_GRAPH });
    if (answer.kind === 'unreachable') return answer;
    const failed = graphError.safeParse(answer.json);
    if (failed.success) return { kind: 'refused', code: failed.data.error.code, message: failed.data.error.message };
    const parsed = schema.safeParse(answer.json);
    if (!parsed.success) return { kind: 'unreachable', detail: `HTTP ${answer.status} with an answer Graph does not give` };
    return { kind: 'ok', value: parsed.data };
  }

  return {
    async debugToken() {
      const answer = await get('debug_token', { input_token: opts.accessToken }, debugAnswer);
      if (answer.kind !== 'ok') return answer;
      const d = answer.value.data;
      const wabaIds = [...new Set(d.granular_scopes.filter((g) => g.scope.startsWith('whatsapp_business_')).flatMap((g) => g.target_ids ?? []))];
      return { kind: 'ok', value: { isValid: d.is_valid, appId: d.app_id, expiresAt: d.expires_at, scopes: d.scopes, wabaIds } };
    },
    async phoneNumber(phoneNumberId) {
      const answer = await get(encodeURIComponent(phoneNumberId), { fields: NUMBER_FIELDS }, numberAnswer);
      if (answer.kind !== 'ok') return answer;
      const n = answer.value;
      return {
        kind: 'ok',
        value: { displayPhoneNumber: n.display_phone_number, verifiedName: n.verified_name, qualityRating: n.quality_rating, messagingLimitTier: n.messaging_limit_tier },
      };
    },
    async subscribedApps(wabaId) {
      const answer = await get(`${encodeURIComponent(wabaId)}/subscribed_apps`, {}, appsAnswer);
      if (answer.kind !== 'ok') return answer;
      return { kind: 'ok', value: answer.value.data.flatMap((a) => (a.whatsapp_business_api_data?.id ? [a.whatsapp_business_api_data.id] : [])) };
    },
    async appSubscriptions(appId) {
      // An app access token is required here (the edge's Permissions); `<APP_ID>|<APP_SECRET>` is one without a
      // token exchange (developers.facebook.com/docs/facebook-login/guides/access-tokens, App Access Tokens).
      const answer = await get(`${encodeURIComponent(appId)}/subscriptions`, {}, subscriptionsAnswer, `${appId}|${opts.appSecret}`);
      if (answer.kind === 'refused') return { ...answer, message: withoutSecret(answer.message, opts.appSecret) };
      if (answer.kind !== 'ok') return answer;
      return {
        kind: 'ok',
        value: answer.value.data.map((d) => ({
          object: d.object,
          callbackUrl: d.callback_url,
          active: d.active,
          fields: d.fields.map((f) => ({ name: f.name, version: f.version })),
        })),
      };
    },
  };
}

/** Graph's error texts do not quote the token today; the secret is cut out anyway, since these lines are printed. */
function withoutSecret(text: string, secret: string): string {
  return secret ? text.split(secret).join('<WHATSAPP_APP_SECRET>') : text;
}
