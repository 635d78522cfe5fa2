import { listApprovedTemplates, countTemplates } from '../../db/queries/templates';
import { ManualClock } from '../../src/clock';
import type { Deps } from '../../src/deps';
import { type GraphEmulator, startGraphEmulator } from '../../src/emulators/graph-emulator';
import { defaultTemplateCatalogue, generatedTemplates } from '../../src/emulators/graph-templates';
import { DEFAULT_BUSINESS_NUMBER } from '../../src/emulators/whatsapp-webhooks';
import { noteTemplateWebhook, syncTemplates } from '../../src/services/template-catalogue';
import { type TestDatabase, openTestDatabase } from '../helpers/database';
import { templateSyncDeps } from '../helpers/template-sync-deps';

const WABA = DEFAULT_BUSINESS_NUMBER.wabaId;

describe('the template catalogue', () => {
  let database: TestDatabase;
  let graph: GraphEmulator;
  let deps: Deps;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    graph = await startGraphEmulator({ templateCatalogue: [...defaultTemplateCatalogue(), ...generatedTemplates(500)] });
    deps = templateSyncDeps(database.db, graph, new ManualClock(new Date('2026-12-06T10:00:00Z')));
  });
  afterAll(async () => {
    await graph.close();
    await database.close();
  });

  it('fetches every page of 509 templates and offers only the approved ones', async () => {
    const started = performance.now();
    const result = await syncTemplates(deps, WABA);
    const ms = performance.now() - started;
    console.log(`template catalogue sync: ${result.templates} templates in ${result.pages} pages, ${ms.toFixed(0)} ms`);
    expect(result).toMatchObject({ templates: 509, pages: 6, skipped: 0 });
    expect(await countTemplates(deps.db, WABA)).toBe(509);
    const approved = await listApprovedTemplates(deps.db, WABA);
    expect(approved).toHaveLength(508);
    expect(approved.map((t) => t.name)).not.toContain('winter_promo');
    expect(approved.find((t) => t.name === 'follow_up_named')?.parameterFormat).toBe('NAMED');
  });

  it('a status webhook takes a paused template out of the picker at once, and a refetch removes what Meta dropped', async () => {
    await syncTemplates(deps, WABA);
    const webhook = {
      entry: [{ id: WABA, changes: [{ field: 'message_template_status_update', value: { event: 'PAUSED', message_template_name: 'order_update', message_template_language: 'es', reason: 'NONE' } }] }],
    };
    const es = graph.templates.find((t) => t.name === 'order_update' && t.language === 'es');
    if (es) es.status = 'PAUSED';
    graph.templates.splice(graph.templates.findIndex((t) => t.name === 'bulk_template_0'), 1);
    await noteTemplateWebhook(deps, webhook);
    await deps.background.idle();
    const approved = await listApprovedTemplates(deps.db, WABA);
    expect(approved.some((t) => t.name === 'order_update' && t.language === 'es')).toBe(false);
    expect(approved.some((t) => t.name === 'order_update' && t.language === 'en_US')).toBe(true);
    expect(approved.some((t) => t.name === 'bulk_template_0')).toBe(false);
  });

  it('ignores a webhook it cannot read', async () => {
    await expect(noteTemplateWebhook(deps, { entry: [null, { id: 5 }, { id: WABA, changes: [{ field: 'message_template_status_update', value: {} }] }] })).resolves.toBeUndefined();
    await expect(noteTemplateWebhook(deps, 'junk')).resolves.toBeUndefined();
  });

  // Found by test/fuzz: these reached the queries, which Postgres refused, and the webhook's background task failed.
  it.each([
    ['a template name with a NUL', { id: WABA, changes: [{ field: 'message_template_status_update', value: { event: 'PAUSED', message_template_name: 'order\u0000update', message_template_language: 'es' } }] }],
    ['an event with a lone surrogate', { id: WABA, changes: [{ field: 'message_template_status_update', value: { event: 'PAUSED\ud800', message_template_name: 'order_update', message_template_language: 'es' } }] }],
    ['a phone number id of 100,000 characters', { id: WABA, changes: [{ field: 'messages', value: { metadata: { phone_number_id: '1'.repeat(100_000) } } }] }],
    ['a phone number id with a NUL', { id: WABA, changes: [{ field: 'messages', value: { metadata: { phone_number_id: '1\u00002' } } }] }],
    ['a WABA id that is not digits', { id: `${WABA}\u0000`, changes: [{ field: 'messages', value: { metadata: { phone_number_id: '100000000000009' } } }] }],
  ])('ignores %s, and the catalogue is unchanged', async (_what, entry) => {
    const before = await listApprovedTemplates(deps.db, WABA);
    await expect(noteTemplateWebhook(deps, { object: 'whatsapp_business_account', entry: [entry] })).resolves.toBeUndefined();
    await deps.background.idle();
    expect(await listApprovedTemplates(deps.db, WABA)).toEqual(before);
  });
});

describe('template sends in the Graph emulator', () => {
  let graph: GraphEmulator;
  beforeAll(async () => {
    graph = await startGraphEmulator();
  });
  afterAll(() => graph.close());

  async function send(template: Record<string, unknown>, to = '15550009999'): Promise<{ status: number; code?: number }> {
    const res = await fetch(`${graph.url}/v25.0/${DEFAULT_BUSINESS_NUMBER.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${graph.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to, type: 'template', template }),
    });
    const json = (await res.json()) as { error?: { code: number } };
    return { status: res.status, code: json.error?.code };
  }
  const body = (...texts: string[]) => ({ type: 'body', parameters: texts.map((text) => ({ type: 'text', text })) });

  it('answers with Meta’s codes: missing (132001), count (132000), format (132012), paused (132015), disabled (132016)', async () => {
    expect(await send({ name: 'nope', language: { code: 'en_US' } })).toEqual({ status: 404, code: 132001 });
    expect(await send({ name: 'order_update', language: { code: 'fr' } })).toMatchObject({ code: 132001 });
    expect(await send({ name: 'order_update', language: { code: 'es' }, components: [body('a', 'b')] })).toMatchObject({ code: 132000 });
    expect(await send({ name: 'follow_up_named', language: { code: 'en_US' }, components: [body('a', 'b')] })).toMatchObject({ code: 132012 });
    expect(await send({ name: 'spring_sale', language: { code: 'en_US' }, components: [body('a', 'b')] })).toMatchObject({ code: 132012 });
    expect(await send({ name: 'winter_promo', language: { code: 'en_US' }, components: [body('a')] })).toMatchObject({ code: 132015 });
    await graph.setTemplateStatus({ name: 'invoice_ready', language: 'pt_BR', status: 'DISABLED' });
    expect(await send({ name: 'invoice_ready', language: { code: 'pt_BR' } })).toMatchObject({ code: 132016 });
    expect(await send({ name: 'order_update', language: { code: 'es' }, components: [body('a', 'b', 'x'.repeat(1100))] })).toMatchObject({ code: 132005 });
  });

  it('accepts a well-filled template, and refuses marketing to a customer who opted out (131050) or hit the limit (131049)', async () => {
    const sale = { name: 'spring_sale', language: { code: 'en_US' }, components: [{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.example/a.jpg' } }] }, body('Maria', '20%')] };
    expect(await send(sale)).toEqual({ status: 200, code: undefined });
    graph.optOutOfMarketing('15550001001');
    graph.limitMarketing('15550001002');
    expect(await send(sale, '15550001001')).toMatchObject({ code: 131050 });
    expect(await send(sale, '15550001002')).toMatchObject({ code: 131049 });
  });

  it('lists the catalogue in pages with Graph cursors and only the fields asked for', async () => {
    const page = async (query: string) => {
      const res = await fetch(`${graph.url}/v25.0/${DEFAULT_BUSINESS_NUMBER.wabaId}/message_templates?${query}`, { headers: { authorization: `Bearer ${graph.accessToken}` } });
      return (await res.json()) as { data: Record<string, unknown>[]; paging: { cursors: { after: string }; next?: string } };
    };
    const first = await page('limit=4&fields=name,status');
    expect(first.data).toHaveLength(4);
    expect(Object.keys(first.data[0] ?? {}).sort()).toEqual(['id', 'name', 'status']);
    expect(first.paging.next).toContain('after=');
    const rest = await page(`limit=100&after=${first.paging.cursors.after}`);
    expect(rest.data).toHaveLength(graph.templates.length - 4);
    expect(rest.paging.next).toBeUndefined();
  });
});
