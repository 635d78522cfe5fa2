/**
 * The Graph emulator's read-only setup endpoints, the ones `threadline doctor` calls: token debug, a phone number's
 * node and a WABA's subscribed apps (reference/whatsapp.md §5 Tokens; Meta's WhatsApp Business Account reference).
 */
import { buildGraphErrorBody, type GraphErrorSpec, graphErrors } from './graph-errors';
import type { RouteResult } from './graph-http';
import { DEFAULT_BUSINESS_NUMBER, type BusinessNumberRef } from './whatsapp-webhooks';

export interface SetupState {
  accessToken: string;
  appId: string;
  businessNumbers: readonly BusinessNumberRef[];
  /** WABAs whose webhooks the app is subscribed to. */
  subscribedWabas: ReadonlySet<string>;
  /** debug_token refused (some tokens may not call it): the doctor falls back to another proof. */
  debugTokenRefused: boolean;
  /** Unix seconds; 0 means never (a System User token). */
  tokenExpiresAt: number;
  nowMs: number;
}

const errorResult = (spec: GraphErrorSpec): RouteResult => ({ status: spec.httpStatus, json: buildGraphErrorBody(spec) });

export function wabaOf(number: BusinessNumberRef): string {
  return number.wabaId ?? DEFAULT_BUSINESS_NUMBER.wabaId;
}

export function handleDebugToken(state: SetupState, query: URLSearchParams): RouteResult {
  if (state.debugTokenRefused) {
    return errorResult({ code: 10, httpStatus: 403, title: 'Application does not have permission for this action' });
  }
  const input = query.get('input_token');
  if (input !== state.accessToken) {
    return { status: 200, json: { data: { is_valid: false, error: { code: 190, message: 'Invalid OAuth access token.' }, scopes: [] } } };
  }
  const wabas = [...new Set(state.businessNumbers.map(wabaOf))];
  const scopes = ['whatsapp_business_management', 'whatsapp_business_messaging'];
  return {
    status: 200,
    json: {
      data: {
        app_id: state.appId,
        type: 'SYSTEM_USER',
        application: 'threadline emulator',
        data_access_expires_at: 0,
        expires_at: state.tokenExpiresAt,
        is_valid: true,
        issued_at: Math.floor(state.nowMs / 1000) - 86_400,
        scopes,
        granular_scopes: scopes.map((scope) => ({ scope, target_ids: wabas })),
        user_id: '400000000000004',
      },
    },
  };
}

export function handlePhoneNumberGet(number: BusinessNumberRef): RouteResult {
  const digits = number.displayPhoneNumber;
  return {
    status: 200,
    json: {
      id: number.phoneNumberId,
      verified_name: 'threadline emulator',
      code_verification_status: 'VERIFIED',
      // Graph shows the display number formatted, unlike webhook metadata's digits-only copy.
      display_phone_number: `+${digits.slice(0, 1)} ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`,
      quality_rating: number.qualityRating ?? 'GREEN',
      messaging_limit_tier: number.messagingLimitTier ?? 'TIER_1K',
      platform_type: 'CLOUD_API',
      throughput: { level: 'STANDARD' },
    },
  };
}

export function handleSubscribedApps(state: SetupState, wabaId: string): RouteResult {
  if (!state.businessNumbers.some((n) => wabaOf(n) === wabaId)) return errorResult(graphErrors.unknownObject('get', wabaId));
  const data = state.subscribedWabas.has(wabaId)
    ? [{ whatsapp_business_api_data: { id: state.appId, link: `https://threadline.test/${state.appId}`, name: 'threadline emulator' } }]
    : [];
  return { status: 200, json: { data } };
}
