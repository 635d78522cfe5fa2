import { and, eq } from 'drizzle-orm';
import { listApprovedTemplates } from '../../db/queries/templates';
import { messages } from '../../db/schema';
import { ManualClock } from '../../src/clock';
import { DEFAULT_BUSINESS_NUMBER } from '../../src/emulators/whatsapp-webhooks';
import type { EphemeralMessage, StoredView } from '../../src/emulators/slack-types';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import {
  type OpenConversation,
  actionIdsOf,
  agentReplies,
  auditOf,
  cardOf,
  openConversation,
  renderedText,
  sendsTo,
  settle,
  threadOf,
  waitForAudit,
  waitForCard,
  waitForEphemeral,
} from '../helpers/threads';
import { waitFor } from '../helpers/wait';

const SEND_TEMPLATE = 'conversation_send_template';
const PICK = 'template_pick';
const VALUE = 'template_value';
const FILE = 'template_file';
const HOUR = 60 * 60 * 1000;
const GRAPH_TIMEOUT_MS = 300;
const WABA = DEFAULT_BUSINESS_NUMBER.wabaId;

type Block = { block_id?: string; element?: { options?: { text: { text: string }; value: string }[] }; elements?: { action_id?: string; value?: string }[] };

function buttonValue(message: { blocks?: unknown[] | undefined }, actionId: string): string {
  for (const block of (message.blocks ?? []) as Block[]) {
    const found = block.elements?.find((e) => e.action_id === actionId);
    if (found?.value) return found.value;
  }
  throw new Error(`no ${actionId} button`);
}

function optionsOf(view: StoredView): { text: string; value: string }[] {
  const pick = (view.blocks as Block[]).find((b) => b.block_id === 'tpl_pick');
  return (pick?.element?.options ?? []).map((o) => ({ text: o.text.text, value: o.value }));
}

function optionFor(view: StoredView, label: string): string {
  const option = optionsOf(view).find((o) => o.text.startsWith(label));
  if (!option) throw new Error(`no option ${label} in ${JSON.stringify(optionsOf(view))}`);
  return option.value;
}

function fieldBlocks(view: StoredView): string[] {
  return (view.blocks as Block[]).map((b) => b.block_id ?? '').filter((id) => id.startsWith('tpl_field:'));
}

async function catalogueLearnt(h: Harness): Promise<void> {
  await waitFor('the template catalogue', async () => (await listApprovedTemplates(h.app.deps.db, WABA)).length > 0);
}

describe('sending a template from the thread', () => {
  const clock = new ManualClock(new Date());
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clock, autoStatuses: ['sent', 'delivered'] });
  });
  afterAll(async () => {
    await h.close();
  });

  async function closedConversation(waId: string, name: string, owner = 'U0ANA'): Promise<OpenConversation> {
    const c = await openConversation(h, { waId, name });
    await catalogueLearnt(h);
    await h.slack.clickButton({ user: owner, actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
    await waitForAudit(h, c, 'claimed');
    clock.advance(25 * HOUR);
    return c;
  }

  async function openFromEphemeral(c: OpenConversation, user: string, ephemeral: EphemeralMessage): Promise<StoredView> {
    await h.slack.clickButton({
      user,
      actionId: SEND_TEMPLATE,
      channel: INBOX,
      messageTs: ephemeral.message_ts,
      threadTs: c.cardTs,
      isEphemeral: true,
      value: buttonValue(ephemeral, SEND_TEMPLATE),
    });
    return waitFor('the template modal', () => h.slack.openModal(user));
  }

  async function choose(user: string, view: StoredView, label: string): Promise<{ view: StoredView; templateId: string }> {
    const templateId = optionFor(view, label);
    await h.slack.choose({ user, viewId: view.id, actionId: PICK, selected: templateId, values: { tpl_pick: { [PICK]: templateId } } });
    const updated = await waitFor('the template fields', () => {
      const v = h.slack.openModal(user);
      return v && fieldBlocks(v).length > 0 ? v : undefined;
    });
    return { view: updated, templateId };
  }

  /** Ana opens the modal from the card's button and chooses a template; `id` names its fields' blocks. */
  async function chooseFromCard(c: OpenConversation, label: string) {
    await waitForCard(h, c, 'the template button', (card) => actionIdsOf(card).includes(SEND_TEMPLATE));
    await h.slack.clickButton({ user: 'U0ANA', actionId: SEND_TEMPLATE, channel: INBOX, messageTs: c.cardTs });
    const modal = await waitFor('the template modal', () => h.slack.openModal('U0ANA'));
    const chosen = await choose('U0ANA', modal, label);
    return { ...chosen, id: (f: string) => `tpl_field:${chosen.templateId}:${f}` };
  }

  it('closed window → reply held → Send a template → the modal → Graph gets exactly the parameters typed, once', async () => {
    const c = await closedConversation('15550091001', 'Maria');
    await agentReplies(h, c, 'U0ANA', 'Are you still there?');
    const ephemeral = await waitForEphemeral(h, 'U0ANA', c, '24-hour window closed');
    expect(actionIdsOf(ephemeral)).toContain(SEND_TEMPLATE);
    await waitForCard(h, c, 'a Send a template button while closed', (card) => actionIdsOf(card).includes(SEND_TEMPLATE));

    const modal = await openFromEphemeral(c, 'U0ANA', ephemeral);
    expect(optionsOf(modal).map((o) => o.text)).toEqual(expect.arrayContaining(['order_update (en_US) · Utility', 'spring_sale (en_US) · Marketing']));
    expect(optionsOf(modal).some((o) => o.text.startsWith('winter_promo'))).toBe(false);

    const { view, templateId } = await choose('U0ANA', modal, 'order_update (en_US)');
    const id = (f: string) => `tpl_field:${templateId}:${f}`;
    expect(fieldBlocks(view)).toEqual([id('header:1'), id('body:1'), id('body:2'), id('body:3'), id('button:0')]);
    expect(renderedText(view as never)).toContain('Utility');
    expect(renderedText(view as never)).toContain('e.g. on its way');

    // Live preview: what is typed so far shows in the rendered template.
    await h.slack.choose({
      user: 'U0ANA',
      viewId: view.id,
      actionId: VALUE,
      blockId: id('body:1'),
      selected: 'Maria',
      values: { tpl_pick: { [PICK]: templateId }, [id('body:1')]: { [VALUE]: 'Maria' } },
    });
    await waitFor('the preview', () => renderedText(h.slack.openModal('U0ANA') as never).includes('Hi Maria, your order {{2}}'));

    const submitted = await h.slack.submitView({
      user: 'U0ANA',
      view: { id: view.id },
      values: {
        tpl_pick: { [PICK]: templateId },
        [id('header:1')]: { [VALUE]: '#7' },
        [id('body:1')]: { [VALUE]: 'Maria' },
        [id('body:2')]: { [VALUE]: '#7' },
        [id('body:3')]: { [VALUE]: 'ready for pickup' },
        [id('button:0')]: { [VALUE]: '7' },
      },
    });
    expect(submitted.status).toBe(200);
    const send = await waitFor('the template send', () => sendsTo(h, c)[0]);
    expect(send.type).toBe('template');
    expect(send.content).toEqual({
      name: 'order_update',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'text', text: '#7' }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: '#7' }, { type: 'text', text: 'ready for pickup' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '7' }] },
      ],
    });
    const post = await waitFor('the template in the thread', () => threadOf(h, c).find((m) => m.text.startsWith('Template order_update')));
    expect(renderedText(post)).toContain('WhatsApp template *order_update*');
    expect(renderedText(post)).toContain('Hi Maria, your order #7 is ready for pickup.');
    expect(post.username).toBe('Ana');
    await waitFor('delivered on the template post', () => h.slack.message(INBOX, post.ts)?.reactions?.length);
    expect((await waitForAudit(h, c, 'template_sent')).detail).toMatchObject({ template: 'order_update', language: 'en_US' });
    await settle(h);
    expect(sendsTo(h, c)).toHaveLength(1);

    // The customer answers: the window is open again and the card drops the button.
    await h.graph.customerSends({ from: c.waId, name: c.name, text: 'On my way!' });
    await waitForCard(h, c, 'no template button once the customer wrote', (card) => !actionIdsOf(card).includes(SEND_TEMPLATE));
  });

  it('a missing variable is refused in the modal, next to its field, and nothing reaches Meta', async () => {
    const c = await closedConversation('15550091002', 'Nadia');
    const { view, templateId, id } = await chooseFromCard(c, 'follow_up_named (en_US)');
    // Prefilled: the customer's and the agent's names.
    expect(renderedText(view as never)).toContain('"initial_value":"Nadia"');
    expect(renderedText(view as never)).toContain('"initial_value":"Ana"');

    const refused = await h.slack.submitView({ user: 'U0ANA', view: { id: view.id }, values: { tpl_pick: { [PICK]: templateId }, [id('body:customer_name')]: { [VALUE]: 'Nadia' } } });
    expect(refused.json).toEqual({ response_action: 'errors', errors: { [id('body:agent_name')]: 'Fill this in: the template needs it.' } });

    // Meta's copy of the template changed while the modal was open (a new variable): the form no longer matches.
    const remote = h.graph.templates.find((t) => t.name === 'follow_up_named');
    if (!remote) throw new Error('no follow_up_named');
    remote.components = [{ type: 'BODY', text: 'Hi {{customer_name}}, {{agent_name}} here about order {{order_id}}.' }];
    await h.graph.setTemplateStatus({ name: 'follow_up_named', language: 'en_US', status: 'APPROVED' });
    await waitFor('the changed template synced', async () =>
      JSON.stringify(await listApprovedTemplates(h.app.deps.db, WABA)).includes('order_id'),
    );
    const stale = await h.slack.submitView({
      user: 'U0ANA',
      view: { id: view.id },
      values: { tpl_pick: { [PICK]: templateId }, [id('body:customer_name')]: { [VALUE]: 'Nadia' }, [id('body:agent_name')]: { [VALUE]: 'Ana' } },
    });
    expect(stale.json).toEqual({
      response_action: 'errors',
      errors: { tpl_pick: 'This template now has 3 fields to fill, not 2. Choose it again to refresh the form.' },
    });
    await settle(h);
    expect(sendsTo(h, c)).toEqual([]);
    expect(h.slack.openModal('U0ANA')?.id).toBe(view.id);
    await h.slack.closeView({ user: 'U0ANA', view: { id: view.id } });
  });

  it('a media header uploaded in the modal (file_input) goes to Graph as a media id, uploaded once though the send is retried', async () => {
    const c = await closedConversation('15550091006', 'Sara');
    const { view, templateId, id } = await chooseFromCard(c, 'spring_sale (en_US)');
    expect(fieldBlocks(view)).toEqual([id('header_link'), id('header_file'), id('body:1'), id('body:2')]);
    const upload = (view.blocks as { block_id?: string; element?: Record<string, unknown> }[]).find((b) => b.block_id === id('header_file'));
    expect(upload?.element).toMatchObject({ type: 'file_input', action_id: FILE, max_files: 1, filetypes: ['jpg', 'jpeg', 'png'] });
    const body = { [id('body:1')]: { [VALUE]: 'Sara' }, [id('body:2')]: { [VALUE]: '30%' } };
    const submit = (extra: Record<string, Record<string, string | string[]>>) =>
      h.slack.submitView({ user: 'U0ANA', view: { id: view.id }, values: { tpl_pick: { [PICK]: templateId }, ...body, ...extra } });
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
    const picked = (name: string, data: Buffer, mimetype?: string) => h.slack.uploadForFileInput({ user: 'U0ANA', name, data, ...(mimetype ? { mimetype } : {}) }).fileId;

    expect((await submit({})).json).toEqual({ response_action: 'errors', errors: { [id('header_link')]: 'Give a link to the image (https://…), or upload it below.' } });
    const gif = picked('sale.gif', Buffer.from('GIF89a'), 'image/gif');
    expect((await submit({ [id('header_file')]: { [FILE]: [gif] } })).json).toEqual({
      response_action: 'errors',
      errors: { [id('header_file')]: "This template's header takes a JPEG or PNG image; .gif files (image/gif) are not accepted." },
    });
    const big = picked('big.png', Buffer.concat([png, Buffer.alloc(5_000_001)]));
    expect((await submit({ [id('header_file')]: { [FILE]: [big] } })).json).toEqual({
      response_action: 'errors',
      errors: { [id('header_file')]: 'WhatsApp takes a JPEG or PNG image up to 5 MB here; this one is 5 MB.' },
    });
    const sale = picked('sale.png', png);
    const both = await submit({ [id('header_link')]: { [VALUE]: 'https://shop.example/sale.png' }, [id('header_file')]: { [FILE]: [sale] } });
    expect(both.json).toEqual({ response_action: 'errors', errors: { [id('header_file')]: 'Give a link or upload a file, not both.' } });
    expect(h.graph.stats.mediaUploaded).toBe(0);

    // The first send is refused for a while (131016, service unavailable): it is retried with the media id already
    // uploaded, not with a second upload.
    const faultsBefore = h.graph.stats.faultsInjected;
    h.graph.injectFault({ route: 'messages', kind: 'graph_error', code: 131016, httpStatus: 503 });
    expect((await submit({ [id('header_file')]: { [FILE]: [sale] } })).status).toBe(200);
    await waitFor('the failed first send', () => h.graph.stats.faultsInjected > faultsBefore);
    // The retry is due a backoff after the failure is recorded, on the test's clock: move the clock past it only once
    // it is recorded (moved earlier, the backoff would start from the moved clock and never come due).
    const retryAt = await waitFor('the retry scheduled', async () => {
      const rows = await h.app.deps.db.select().from(messages).where(and(eq(messages.conversationId, c.conversationId), eq(messages.direction, 'outbound')));
      return rows.find((r) => r.waState === 'queued' && r.notBefore)?.notBefore ?? undefined;
    });
    clock.set(new Date(retryAt.getTime() + 1));
    const send = await waitFor('the template send', () => sendsTo(h, c)[0]);
    const header = (send.content.components as { type: string; parameters: { type: string; image?: { id?: string; link?: string } }[] }[])[0];
    expect(header?.type).toBe('header');
    const mediaId = header?.parameters[0]?.image?.id;
    expect(header?.parameters).toEqual([{ type: 'image', image: { id: mediaId } }]);
    expect(h.graph.findMedia(String(mediaId))?.data).toEqual(png);
    expect(h.graph.findMedia(String(mediaId))?.mimeType).toBe('image/png');
    await settle(h);
    expect(h.graph.stats.mediaUploaded).toBe(1);
    expect(sendsTo(h, c)).toHaveLength(1);
    const post = await waitFor('the template in the thread', () => threadOf(h, c).find((m) => m.text.startsWith('Template spring_sale')));
    expect(renderedText(post)).toContain('[image: sale.png]');
  });

  it('a template paused by Meta (status webhook) is gone from the picker opened by the shortcut', async () => {
    const c = await closedConversation('15550091003', 'Olga');
    await h.graph.setTemplateStatus({ name: 'spring_sale', language: 'en_US', status: 'PAUSED', reason: 'NONE' });
    await waitFor('spring_sale paused', async () => !(await listApprovedTemplates(h.app.deps.db, WABA)).some((t) => t.name === 'spring_sale'));
    await h.slack.runMessageShortcut({ user: 'U0ANA', channel: INBOX, messageTs: threadOf(h, c)[0]?.ts ?? c.cardTs, callbackId: 'template_shortcut' });
    const modal = await waitFor('the template modal', () => h.slack.openModal('U0ANA'));
    expect(optionsOf(modal).some((o) => o.text.startsWith('spring_sale'))).toBe(false);
    expect(optionsOf(modal).some((o) => o.text.startsWith('order_update'))).toBe(true);
    await h.slack.closeView({ user: 'U0ANA', view: { id: modal.id } });
  });

  it('someone who does not own the conversation is told who does, and gets no modal', async () => {
    const c = await closedConversation('15550091004', 'Pia');
    await waitForCard(h, c, 'the template button', (card) => actionIdsOf(card).includes(SEND_TEMPLATE));
    await h.slack.clickButton({ user: 'U0BRUNO', actionId: SEND_TEMPLATE, channel: INBOX, messageTs: cardOf(h, c).ts });
    await waitForEphemeral(h, 'U0BRUNO', c, '<@U0ANA> owns this conversation');
    await settle(h);
    expect(h.slack.openModal('U0BRUNO')).toBeUndefined();
    expect((await auditOf(h, c)).some((e) => e.type === 'template_sent')).toBe(false);
  });

  it('an unowned conversation is claimed by whoever sends the template', async () => {
    const c = await openConversation(h, { waId: '15550091005', name: 'Quentin' });
    await catalogueLearnt(h);
    clock.advance(25 * HOUR);
    await h.slack.runMessageShortcut({ user: 'U0CARLA', channel: INBOX, messageTs: c.cardTs, callbackId: 'template_shortcut' });
    const modal = await waitFor('the template modal', () => h.slack.openModal('U0CARLA'));
    const templateId = optionFor(modal, 'hello_world (en_US)');
    await h.slack.choose({ user: 'U0CARLA', viewId: modal.id, actionId: PICK, selected: templateId, values: { tpl_pick: { [PICK]: templateId } } });
    const view = await waitFor('the chosen template', () => {
      const v = h.slack.openModal('U0CARLA');
      return v && renderedText(v as never).includes('Hello World') ? v : undefined;
    });
    expect(fieldBlocks(view)).toEqual([]);
    await h.slack.submitView({ user: 'U0CARLA', view: { id: view.id }, values: { tpl_pick: { [PICK]: templateId } } });
    await waitFor('the send', () => sendsTo(h, c)[0]);
    expect((await waitForAudit(h, c, 'claimed')).actorId).toBe('U0CARLA');
  });
});

describe('a template send whose answer never comes', () => {
  const clock = new ManualClock(new Date());
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clock, graphTimeoutMs: GRAPH_TIMEOUT_MS });
  });
  afterAll(async () => {
    await h.close();
  });

  it('is reported uncertain with Resend, not repeated on its own, and Resend sends one more copy with the window closed', async () => {
    const c = await openConversation(h, { waId: '15550092001', name: 'Rita' });
    await catalogueLearnt(h);
    await h.slack.clickButton({ user: 'U0ANA', actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
    await waitForAudit(h, c, 'claimed');
    clock.advance(25 * HOUR);
    await h.slack.runMessageShortcut({ user: 'U0ANA', channel: INBOX, messageTs: c.cardTs, callbackId: 'template_shortcut' });
    const modal = await waitFor('the template modal', () => h.slack.openModal('U0ANA'));
    const templateId = optionFor(modal, 'hello_world (en_US)');
    await h.slack.choose({ user: 'U0ANA', viewId: modal.id, actionId: PICK, selected: templateId, values: { tpl_pick: { [PICK]: templateId } } });
    await waitFor('the chosen template', () => renderedText(h.slack.openModal('U0ANA') as never).includes('Hello World'));
    h.graph.injectFault({ route: 'messages', kind: 'timeout', afterEffect: true, delayMs: GRAPH_TIMEOUT_MS * 3 });
    await h.slack.submitView({ user: 'U0ANA', view: { id: modal.id }, values: { tpl_pick: { [PICK]: templateId } } });

    const notice = structuredClone(await waitFor('the uncertain notice', () => threadOf(h, c).find((m) => m.text.includes('Delivery uncertain'))));
    await h.graph.settle();
    await settle(h);
    expect(sendsTo(h, c)).toHaveLength(1);

    await h.slack.clickButton({ user: 'U0ANA', actionId: 'message_resend', channel: INBOX, messageTs: notice.ts });
    await waitFor('the resent copy', () => sendsTo(h, c).length === 2);
    await settle(h);
    expect(sendsTo(h, c).map((s) => s.type)).toEqual(['template', 'template']);
  });
});
