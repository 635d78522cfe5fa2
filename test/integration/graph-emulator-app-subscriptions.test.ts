import { type GraphEmulator, startGraphEmulator } from '../../src/emulators/graph-emulator';

/**
 * The Graph emulator's GET /<APP_ID>/subscriptions: only the app token `<APP_ID>|<APP_SECRET>` reads it, and it
 * answers the app's WhatsApp webhook settings in Meta's shape, as setAppWebhook left them.
 */

let graph: GraphEmulator;
const APP = '300000000000003';

beforeAll(async () => {
  graph = await startGraphEmulator({ accessToken: 'system-user-token', appSecret: 'shh', webhookUrl: 'https://bridge.example.com/webhooks/whatsapp' });
});
afterAll(() => graph.close());
afterEach(() => graph.reset());

async function read(token: string | undefined, appId = APP): Promise<{ status: number; body: { data?: unknown[]; error?: { code: number; message: string } } }> {
  const res = await fetch(`${graph.url}/v25.0/${appId}/subscriptions`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as { data?: unknown[]; error?: { code: number; message: string } } };
}

describe("the Graph emulator's app subscriptions", () => {
  it("answers the app's WhatsApp webhook to the app token, at the emulator's webhook URL by default", async () => {
    expect(await read(`${APP}|shh`)).toEqual({
      status: 200,
      body: { data: [{ object: 'whatsapp_business_account', callback_url: 'https://bridge.example.com/webhooks/whatsapp', active: true, fields: [{ name: 'messages', version: 'v25.0' }] }] },
    });
  });

  it('answers what setAppWebhook set, until reset', async () => {
    graph.setAppWebhook({ fields: ['account_update', 'messages'], active: false, callbackUrl: 'https://x.example/h' });
    expect((await read(`${APP}|shh`)).body.data).toEqual([
      expect.objectContaining({ callback_url: 'https://x.example/h', active: false, fields: [expect.objectContaining({ name: 'account_update' }), expect.objectContaining({ name: 'messages' })] }),
    ]);
    graph.setAppWebhook({ configured: false });
    expect((await read(`${APP}|shh`)).body.data).toEqual([]);
    graph.reset();
    expect((await read(`${APP}|shh`)).body.data).toHaveLength(1);
  });

  it('refuses the access token (15), a wrong secret (190), no token (190) and another app (100)', async () => {
    expect(await read('system-user-token')).toMatchObject({ status: 400, body: { error: { code: 15, message: '(#15) This method must be called with an app access_token.' } } });
    expect(await read(`${APP}|wrong`)).toMatchObject({ status: 400, body: { error: { code: 190, message: 'Invalid OAuth access token signature.' } } });
    expect(await read(undefined)).toMatchObject({ status: 401, body: { error: { code: 190 } } });
    expect(await read('999|shh', '999')).toMatchObject({ body: { error: { code: 190 } } });
    expect(await read(`${APP}|shh`, '999')).toMatchObject({ status: 400, body: { error: { code: 100 } } });
  });
});
