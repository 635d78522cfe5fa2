/**
 * The Graph emulator's GET /<APP_ID>/subscriptions: the app's webhook settings (callback URL, active, fields), as
 * the App Dashboard's WhatsApp → Configuration page sets them. Only an app access token `<APP_ID>|<APP_SECRET>` may
 * read it (developers.facebook.com/docs/graph-api/reference/app/subscriptions, Permissions; the answer's shape from
 * …/graph-api/webhooks/subscriptions-edge, "Getting Subscription Information").
 */
import { buildGraphErrorBody, type GraphErrorSpec, graphErrors } from './graph-errors';
import type { RouteResult } from './graph-http';

export interface AppWebhookSettings {
  /** Subscribed fields of the whatsapp_business_account object; default ['messages']. */
  fields: string[];
  /** Default: the emulator's webhookUrl (where it posts webhooks), else a placeholder. */
  callbackUrl: string | undefined;
  active: boolean;
  /** False: the app has no WhatsApp webhook at all (the Webhooks product never configured for it). */
  configured: boolean;
}

/** Graph's version for the fields' payloads; the emulator's is the version threadline is built for. */
const FIELD_VERSION = 'v25.0';
const PLACEHOLDER_CALLBACK = 'https://threadline.test/webhooks/whatsapp';

const defaults = (): AppWebhookSettings => ({ fields: ['messages'], callbackUrl: undefined, active: true, configured: true });

export class AppSubscriptions {
  private settings = defaults();

  set(change: Partial<AppWebhookSettings>): void {
    this.settings = { ...this.settings, ...change };
  }

  reset(): void {
    this.settings = defaults();
  }

  handle(args: { appId: string; appSecret: string; accessToken: string; requestedAppId: string; token: string | undefined; webhookUrl: string | undefined }): RouteResult {
    const { appId, requestedAppId, token } = args;
    if (token === args.accessToken) {
      // A System User or user token is not enough for this edge (Graph's wording: github.com/arsduo/koala#229).
      return errorResult({ code: 15, httpStatus: 400, title: 'This method must be called with an app access_token.' });
    }
    if (token?.startsWith(`${appId}|`) && token !== `${appId}|${args.appSecret}`) {
      // Field reports of Graph's answer to an app token made with the wrong secret (github.com/amachang/facebook-node-sdk#10).
      return errorResult({ code: 190, httpStatus: 400, title: 'Invalid OAuth access token signature.', message: 'Invalid OAuth access token signature.' });
    }
    if (token !== `${appId}|${args.appSecret}`) return errorResult(graphErrors.invalidToken());
    if (requestedAppId !== appId) return errorResult(graphErrors.unknownObject('get', requestedAppId));
    const s = this.settings;
    const data = s.configured
      ? [
          {
            object: 'whatsapp_business_account',
            callback_url: s.callbackUrl ?? args.webhookUrl ?? PLACEHOLDER_CALLBACK,
            active: s.active,
            fields: s.fields.map((name) => ({ name, version: FIELD_VERSION })),
          },
        ]
      : [];
    return { status: 200, json: { data } };
  }
}

function errorResult(spec: GraphErrorSpec): RouteResult {
  return { status: spec.httpStatus, json: buildGraphErrorBody(spec) };
}
