import { type GraphEmulator, startGraphEmulator } from '../../src/emulators/graph-emulator';
import { DEFAULT_BUSINESS_NUMBER } from '../../src/emulators/whatsapp-webhooks';
import { buildPhoneChats, waMediaUrl } from '../../src/playground/phone-state';

/** What the playground's phone shows for the business's sends, read from the Graph emulator. */

const CUSTOMER = '15550007777';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
let graph: GraphEmulator;

beforeAll(async () => {
  graph = await startGraphEmulator({});
});
afterAll(async () => {
  await graph.close();
});
beforeEach(() => {
  graph.reset();
  graph.openWindow(CUSTOMER);
});

async function send(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${graph.url}/v25.0/${DEFAULT_BUSINESS_NUMBER.phoneNumberId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${graph.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', to: `+${CUSTOMER}`, ...body }),
  });
  expect(res.status).toBe(200);
}

/** A template send: its header parameter (media by id or link), then the body's text values. */
function sendTemplate(name: string, language: string, header: Record<string, unknown>, values: string[]): Promise<void> {
  return send({
    type: 'template',
    template: {
      name,
      language: { code: language },
      components: [
        { type: 'header', parameters: [header] },
        { type: 'body', parameters: values.map((text) => ({ type: 'text', text })) },
      ],
    },
  });
}

const businessMessages = () => buildPhoneChats(graph, new Map()).flatMap((c) => c.messages).filter((m) => m.from === 'business');

describe('the phone', () => {
  it('shows a template’s header image as the picture, from the playground’s own media route, not as the word "image"', async () => {
    const mediaId = graph.addMedia({ data: JPEG, mimeType: 'image/jpeg', filename: 'sale.jpg' });
    await sendTemplate('spring_sale', 'en_US', { type: 'image', image: { id: mediaId } }, ['Maria', '20%']);

    const [message] = businessMessages();
    expect(message?.media).toEqual({ url: waMediaUrl(mediaId), mimeType: 'image/jpeg', filename: undefined });
    expect(message?.media?.url).toMatch(/^\/playground\/api\/wa-media\//);
    expect(message?.template).toEqual({ name: 'spring_sale', language: 'en_US', parameters: ['Maria', '20%'] });
  });

  it('shows a template’s document header as that document, and a header image sent by link as a picture', async () => {
    const pdf = graph.addMedia({ data: Buffer.from('%PDF-1.4 invoice'), mimeType: 'application/pdf' });
    await sendTemplate('invoice_ready', 'pt_BR', { type: 'document', document: { id: pdf, filename: 'fatura.pdf' } }, ['Maria']);
    await sendTemplate('spring_sale', 'en_US', { type: 'image', image: { link: 'https://cdn.example/sale.jpg' } }, ['Ana', '10%']);

    const [invoice, sale] = businessMessages();
    expect(invoice?.media).toEqual({ url: waMediaUrl(pdf), mimeType: 'application/pdf', filename: 'fatura.pdf' });
    expect(invoice?.template?.parameters).toEqual(['Maria']);
    expect(sale?.media).toEqual({ url: 'https://cdn.example/sale.jpg', mimeType: 'image/*', filename: undefined });
  });

  it('shows an image the business sent by media id as a picture (its MIME type from the media store)', async () => {
    const mediaId = graph.addMedia({ data: JPEG, mimeType: 'image/jpeg' });
    await send({ type: 'image', image: { id: mediaId } });
    expect(businessMessages()[0]?.media).toMatchObject({ url: waMediaUrl(mediaId), mimeType: 'image/jpeg' });
  });
});
