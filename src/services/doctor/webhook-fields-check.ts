import type { Config } from '../../config';
import type { GraphSetupProbe } from '../../whatsapp/setup-probe';
import { type CheckResult, failed, passed, warned } from './check-result';

/**
 * The app's own webhook settings, the most common setup mistake: a verified callback URL with the `messages` field
 * not ticked receives nothing, and so does one that points somewhere else. Meta shows both on the app's
 * `subscriptions` edge, read with the app token (developers.facebook.com/docs/graph-api/reference/app/subscriptions).
 * The WABA's own subscription is checked next to this one (subscribed_apps); both are needed.
 */

const NAME = 'WhatsApp webhook fields';
/** The object Meta files WhatsApp webhooks under (reference/whatsapp.md §1: every payload's `object`). */
const WHATSAPP_OBJECT = 'whatsapp_business_account';
const WEBHOOK_PATH = '/webhooks/whatsapp';
const DASHBOARD = 'in the Meta app dashboard → WhatsApp → Configuration';
const LOOK_YOURSELF = `${DASHBOARD} → Webhook fields, check that \`messages\` is subscribed`;

/** `appId` is the access token's app (token debug); undefined when Graph would not say. */
export async function checkWebhookFields(config: Config, probe: GraphSetupProbe, appId: string | undefined): Promise<CheckResult> {
  if (!appId) return warned(NAME, 'not read: the Meta app is unknown (Graph does not permit token debug for WHATSAPP_ACCESS_TOKEN)', LOOK_YOURSELF);
  const answer = await probe.appSubscriptions(appId);
  if (answer.kind === 'unreachable') return warned(NAME, `not read: Graph did not answer (${answer.detail})`, LOOK_YOURSELF);
  if (answer.kind === 'refused') {
    // 190 with a token built from this app's id is the secret not matching: the same secret checks every webhook.
    const hint = answer.code === 190 ? `check that WHATSAPP_APP_SECRET is app ${appId}'s App settings → Basic → App secret (a wrong one fails every webhook's signature), and ` : '';
    return warned(NAME, `not read: Graph refused app ${appId}'s subscriptions (${answer.code}${answer.message ? `: ${answer.message}` : ''})`, `${hint}${LOOK_YOURSELF}`);
  }

  const expected = config.publicUrl ? `${config.publicUrl}${WEBHOOK_PATH}` : undefined;
  const whatsapp = answer.value.find((s) => s.object === WHATSAPP_OBJECT);
  if (!whatsapp) {
    return failed(
      NAME,
      `app ${appId} has no WhatsApp webhook: no customer message will arrive`,
      `${DASHBOARD} → Webhook, set the Callback URL to ${expected ?? `https://YOUR-HOST${WEBHOOK_PATH}`} and the verify token to WHATSAPP_VERIFY_TOKEN, then subscribe \`messages\` under Webhook fields`,
    );
  }

  const problems: Array<{ detail: string; fix: string }> = [];
  if (!whatsapp.active) {
    problems.push({ detail: 'the webhook is not active', fix: `${DASHBOARD} → Webhook, verify and save the Callback URL again while threadline runs` });
  }
  const messages = whatsapp.fields.find((f) => f.name === 'messages');
  if (!messages) {
    const others = whatsapp.fields.map((f) => f.name).join(', ');
    problems.push({
      detail: `\`messages\` is not subscribed (${others ? `only ${others}` : 'no field is'}): no customer message will arrive`,
      fix: `${DASHBOARD} → Webhook fields, subscribe \`messages\``,
    });
  }
  if (expected && !sameEndpoint(whatsapp.callbackUrl, expected)) {
    problems.push({
      detail: `Meta sends webhooks to ${whatsapp.callbackUrl ?? 'no callback URL'}, not to PUBLIC_URL's ${expected}`,
      fix: `${DASHBOARD} → Webhook, set the Callback URL to ${expected} (or correct PUBLIC_URL)`,
    });
  }
  if (problems.length > 0) return failed(NAME, problems.map((p) => p.detail).join('; '), problems.map((p) => p.fix).join('; '));

  const version = messages?.version ? ` (${messages.version} payloads)` : '';
  return passed(NAME, `\`messages\` subscribed${version}, delivered to ${whatsapp.callbackUrl ?? 'the callback URL'}`);
}

/** Same scheme, host, port and path; a trailing slash and the query do not change which route answers. */
function sameEndpoint(actual: string | undefined, expected: string): boolean {
  if (!actual) return false;
  try {
    const a = new URL(actual);
    const e = new URL(expected);
    const path = (u: URL) => u.pathname.replace(/\/+$/, '');
    return a.origin === e.origin && path(a) === path(e);
  } catch {
    return false;
  }
}
