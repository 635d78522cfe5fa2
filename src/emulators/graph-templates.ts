/**
 * The Graph emulator's template catalogue: GET /<WABA_ID>/message_templates with Graph's cursor paging, template
 * sends checked against it with Meta's codes (132000–132016, 131049, 131050; reference/whatsapp.md §4.2), and the
 * `message_template_status_update` webhook a status change produces.
 */
import { type GraphErrorSpec, graphErrors } from './graph-errors';
import type { RouteResult } from './graph-http';

type Json = Record<string, unknown>;

export interface EmulatedTemplate {
  id: string;
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  status: string;
  parameter_format: 'POSITIONAL' | 'NAMED';
  components: Json[];
}

let nextId = 1_689_556_908_129_000;
const template = (t: Omit<EmulatedTemplate, 'id' | 'status' | 'parameter_format'> & Partial<EmulatedTemplate>): EmulatedTemplate => ({
  id: String(nextId++),
  status: 'APPROVED',
  parameter_format: 'POSITIONAL',
  ...t,
});

/** Several languages and categories, positional and named variables, header media, URL buttons, a paused one. */
export function defaultTemplateCatalogue(): EmulatedTemplate[] {
  return [
    template({ name: 'hello_world', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello World' }] }),
    template({ name: 'follow_up', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi! We have an update on your request. Reply to continue the conversation.' }] }),
    template({
      name: 'order_update',
      language: 'en_US',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#1042'] } },
        { type: 'BODY', text: 'Hi {{1}}, your order {{2}} is {{3}}.', example: { body_text: [['Maria', '#1042', 'on its way']] } },
        { type: 'FOOTER', text: 'Reply STOP to opt out' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track it', url: 'https://shop.example/track/{{1}}', example: ['https://shop.example/track/1042'] }] },
      ],
    }),
    template({
      name: 'order_update',
      language: 'es',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está {{3}}.', example: { body_text: [['María', '#1042', 'en camino']] } }],
    }),
    template({
      name: 'follow_up_named',
      language: 'en_US',
      category: 'UTILITY',
      parameter_format: 'NAMED',
      components: [
        {
          type: 'BODY',
          text: 'Hi {{customer_name}}, this is {{agent_name}} from the support team. Can we continue where we left off?',
          example: { body_text_named_params: [{ param_name: 'customer_name', example: 'Maria' }, { param_name: 'agent_name', example: 'Ana' }] },
        },
      ],
    }),
    template({
      name: 'spring_sale',
      language: 'en_US',
      category: 'MARKETING',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://scontent.example/sale.jpg'] } },
        { type: 'BODY', text: 'Hi {{1}}! Everything is {{2}} off this week.', example: { body_text: [['Maria', '20%']] } },
      ],
    }),
    template({
      name: 'invoice_ready',
      language: 'pt_BR',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['https://scontent.example/invoice.pdf'] } },
        { type: 'BODY', text: 'Olá {{1}}, sua fatura está pronta.', example: { body_text: [['Maria']] } },
      ],
    }),
    template({
      name: 'login_code',
      language: 'en_US',
      category: 'AUTHENTICATION',
      components: [
        { type: 'BODY', text: '{{1}} is your verification code.', example: { body_text: [['123456']] } },
        { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
      ],
    }),
    template({
      name: 'winter_promo',
      language: 'en_US',
      category: 'MARKETING',
      status: 'PAUSED',
      components: [{ type: 'BODY', text: 'Hi {{1}}, winter deals are here.', example: { body_text: [['Maria']] } }],
    }),
  ];
}

/** `count` simple approved templates, for the catalogue sync measurement. */
export function generatedTemplates(count: number): EmulatedTemplate[] {
  const languages = ['en_US', 'es', 'pt_BR', 'de', 'fr'];
  return Array.from({ length: count }, (_, i) =>
    template({
      name: `bulk_template_${i}`,
      language: languages[i % languages.length] ?? 'en_US',
      category: i % 3 === 0 ? 'MARKETING' : 'UTILITY',
      components: [{ type: 'BODY', text: `Template ${i}: hi {{1}}, about {{2}}.`, example: { body_text: [['Maria', 'your order']] } }],
    }),
  );
}

/** Graph's default page is 25; `limit` may ask for more (up to what Meta allows, here 100). */
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;

export function handleTemplateList(catalogue: readonly EmulatedTemplate[], baseUrl: string, path: string, query: URLSearchParams): RouteResult {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number(query.get('limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
  const after = query.get('after');
  const start = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) || 0 : 0;
  const status = query.get('status');
  const fields = query.get('fields')?.split(',').map((f) => f.trim()).filter(Boolean);
  const list = status ? catalogue.filter((t) => t.status === status.toUpperCase()) : catalogue;
  const page = list.slice(start, start + limit).map((t) => pick(t, fields));
  const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
  const paging: Json = { cursors: { before: cursor(start), after: cursor(start + page.length) } };
  if (start + limit < list.length) {
    const next = new URLSearchParams(query);
    next.set('after', cursor(start + limit));
    paging.next = `${baseUrl}${path}?${next.toString()}`;
  }
  return { status: 200, json: { data: page, paging } };
}

function pick(t: EmulatedTemplate, fields: string[] | undefined): Json {
  const all = structuredClone(t) as unknown as Json;
  if (!fields || fields.length === 0) return all;
  return Object.fromEntries(Object.entries(all).filter(([k]) => k === 'id' || fields.includes(k)));
}

export interface MarketingRules {
  optedOut(recipient: string): boolean;
  limited(recipient: string): boolean;
}

/**
 * A template send checked as Meta checks it: the template must exist in that language and be approved, the
 * parameters must match its variables in count (132000) and format (132012), the filled body must fit (132005).
 */
export function checkTemplateSend(
  catalogue: readonly EmulatedTemplate[],
  content: Json,
  recipient: string,
  marketing: MarketingRules,
): GraphErrorSpec | undefined {
  const name = String(content.name);
  const language = (content.language as Json | undefined)?.code;
  const found = catalogue.find((t) => t.name === name && t.language === language);
  if (!found) return graphErrors.templateMissing(name);
  if (found.status === 'PAUSED') return templateError(132015, 'Template is Paused', `Template ${name} is paused because of low quality.`);
  if (found.status === 'DISABLED') return templateError(132016, 'Template is Disabled', `Template ${name} was disabled because of low quality.`);
  if (found.status !== 'APPROVED') return graphErrors.templateMissing(name);
  const sent = Array.isArray(content.components) ? (content.components as unknown[]).filter((c): c is Json => typeof c === 'object' && c !== null) : [];
  const of = (type: string) => sent.find((c) => String(c.type).toLowerCase() === type);
  let bodyText = '';
  for (const component of found.components) {
    const type = String(component.type).toUpperCase();
    if (type === 'HEADER' && ['IMAGE', 'VIDEO', 'DOCUMENT'].includes(String(component.format))) {
      const param = (of('header')?.parameters as Json[] | undefined)?.[0];
      const kind = String(component.format).toLowerCase();
      const media = param?.[kind] as Json | undefined;
      if (!param || param.type !== kind || !media || (typeof media.link !== 'string' && typeof media.id !== 'string')) {
        return templateError(132012, 'Parameter format does not match format in the created template', `header: expected ${kind}`);
      }
    }
    if ((type === 'HEADER' && String(component.format ?? 'TEXT') === 'TEXT') || type === 'BODY') {
      const text = String(component.text ?? '');
      const problem = checkTextParams(found, text, of(type.toLowerCase()), type.toLowerCase());
      if (typeof problem !== 'string') return problem;
      if (type === 'BODY') bodyText = problem;
    }
    if (type === 'BUTTONS' && Array.isArray(component.buttons)) {
      const buttons = component.buttons as Json[];
      for (let index = 0; index < buttons.length; index++) {
        const b = buttons[index] as Json;
        const needs = (b.type === 'URL' && /\{\{/.test(String(b.url ?? ''))) || b.type === 'OTP';
        const given = sent.find((c) => c.type === 'button' && String(c.index) === String(index));
        const text = (given?.parameters as Json[] | undefined)?.[0]?.text;
        if (needs && (typeof text !== 'string' || text === '')) {
          return templateError(132000, 'Number of parameters does not match the expected number of params', `button ${index}: expected 1 parameter`);
        }
      }
    }
  }
  if ([...bodyText].length > 1024) return templateError(132005, 'Translated text too long', 'The body is over 1024 characters once filled.');
  if (found.category === 'MARKETING' && marketing.optedOut(recipient)) {
    return { code: 131050, httpStatus: 400, title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business' };
  }
  if (found.category === 'MARKETING' && marketing.limited(recipient)) {
    return { code: 131049, httpStatus: 400, title: 'This message was not delivered to maintain healthy ecosystem engagement.' };
  }
  return undefined;
}

/** The filled text, or the error: count (132000), names of named parameters (132012). */
function checkTextParams(found: EmulatedTemplate, text: string, sent: Json | undefined, where: string): string | GraphErrorSpec {
  const keys = [...new Set([...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1] ?? ''))];
  const params = Array.isArray(sent?.parameters) ? (sent.parameters as Json[]) : [];
  if (params.length !== keys.length) {
    return templateError(132000, 'Number of parameters does not match the expected number of params', `${where}: number of localizable_params (${params.length}) does not match the expected number of params (${keys.length})`);
  }
  const values = new Map<string, string>();
  for (const [i, p] of params.entries()) {
    if (p.type !== 'text' || typeof p.text !== 'string' || p.text.trim() === '') {
      return templateError(132012, 'Parameter format does not match format in the created template', `${where}: parameter ${i + 1} must be non-empty text`);
    }
    if (found.parameter_format === 'NAMED') {
      if (typeof p.parameter_name !== 'string' || !keys.includes(p.parameter_name)) {
        return templateError(132012, 'Parameter format does not match format in the created template', `${where}: parameter_name ${String(p.parameter_name)} is not in the template`);
      }
      values.set(p.parameter_name, p.text);
    } else values.set(String(i + 1), p.text);
  }
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, k: string) => values.get(k) ?? '');
}

function templateError(code: number, title: string, details: string): GraphErrorSpec {
  return { code, httpStatus: 400, title, details };
}

/** The webhook Meta posts when a template's status changes (entry[].id is the WABA). */
export function buildTemplateStatusWebhook(wabaId: string, t: EmulatedTemplate, event: string, reason: string, now: Date): Json {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: wabaId,
        time: Math.floor(now.getTime() / 1000),
        changes: [
          {
            field: 'message_template_status_update',
            value: {
              event,
              message_template_id: Number(t.id),
              message_template_name: t.name,
              message_template_language: t.language,
              reason,
              message_template_category: t.category,
            },
          },
        ],
      },
    ],
  };
}
