import { loadConfig } from '../../src/config';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox';
import { describeInBrowser, openBrowser, type BrowserSession } from '../helpers/browser';

/**
 * The playground in a real browser (Debian Chromium + playwright-core): a newcomer's first shift, step by step,
 * through the page only. Each step saves a screenshot under test-artifacts/playground/.
 */

const TIMEOUT = 15_000;

describeInBrowser('the playground page', () => {
  let sandbox: Sandbox;
  let browser: BrowserSession;

  beforeAll(async () => {
    sandbox = await startSandbox(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }, []));
    browser = await openBrowser();
    await browser.page.goto(`${sandbox.url}?as=ana`);
    await browser.page.waitForSelector('body[data-ready]', { timeout: TIMEOUT });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.running.stop(2_000);
    await sandbox?.close();
  });

  const page = () => browser.page;
  const thread = () => page().locator('[data-testid=thread]');
  const card = () => page().locator('[data-testid=channel-messages] [data-testid=message]', { hasText: 'Alice Martin' }).first();
  const businessBubbles = () => page().locator('[data-testid=wa-business-message]');
  const actAs = (name: string) => page().click(`[data-testid=act-as-${name}]`);
  const replyInThread = async (text: string, opts: { note?: boolean } = {}) => {
    await page().fill('[data-testid=thread-composer-input]', text);
    await page().setChecked('[data-testid=thread-composer-note]', opts.note === true);
    await page().click('[data-testid=thread-composer-send]');
  };
  const visible = (selector: string, hasText?: string) =>
    page()
      .locator(selector, hasText ? { hasText } : {})
      .first()
      .waitFor({ state: 'visible', timeout: TIMEOUT });

  it('shows a customer message as a header card with Claim, and as a post in its thread', async () => {
    await page().fill('[data-testid=wa-input]', 'Hi! My parcel has not arrived');
    await page().press('[data-testid=wa-input]', 'Enter');
    await visible('[data-testid=wa-customer-message]', 'My parcel has not arrived');
    await card().waitFor({ timeout: TIMEOUT });
    await card().locator('[data-action-id=conversation_claim]').waitFor({ timeout: TIMEOUT });
    await card().locator('[data-testid=open-thread]').click();
    await visible('[data-testid=thread] [data-testid=customer-post]', 'My parcel has not arrived');
    await browser.screenshot('01-new-conversation');
  });

  it('claims the conversation from the card: Ana becomes its owner and the Claim button goes', async () => {
    await card().locator('[data-action-id=conversation_claim]').click();
    await card().locator('.bk-field', { hasText: '@Ana' }).waitFor({ timeout: TIMEOUT });
    expect(await card().locator('[data-action-id=conversation_claim]').count()).toBe(0);
  });

  it("sends the owner's thread reply to the phone, where its ticks go sent → delivered → read", async () => {
    await replyInThread('Sorry about that! Let me check the tracking.');
    const bubble = businessBubbles().filter({ hasText: 'Let me check the tracking' });
    await bubble.waitFor({ timeout: TIMEOUT });
    await page().locator('[data-testid=wa-business-message][data-tick=read]', { hasText: 'Let me check the tracking' }).waitFor({ timeout: TIMEOUT });
    await thread().locator('[data-testid=message]', { hasText: 'Let me check the tracking' }).locator('[data-reaction=eyes]').waitFor({ timeout: TIMEOUT });
    await browser.screenshot('02-reply-with-ticks');
  });

  it('keeps a private note in Slack: threadline marks it 📝 and the phone gets nothing', async () => {
    const before = await businessBubbles().count();
    await replyInThread('VIP customer, second late parcel this month', { note: true });
    const note = thread().locator('[data-testid=message]', { hasText: 'VIP customer' });
    await note.locator('[data-reaction=memo]').waitFor({ timeout: TIMEOUT });
    await sandbox.graph.settle();
    expect(await businessBubbles().count()).toBe(before);
    expect(sandbox.graph.sent.some((s) => s.text?.includes('VIP customer'))).toBe(false);
  });

  it('holds a reply from someone who does not own it, shows the choice only to them, and keeps it as a note on request', async () => {
    await actAs('bruno');
    await replyInThread('I can take this one');
    const held = thread().locator('[data-testid=ephemeral]', { hasText: 'Not sent' });
    await held.waitFor({ timeout: TIMEOUT });
    await held.locator('[data-action-id=held_take_over_and_send], button', { hasText: 'Take over and send' }).first().waitFor();
    await browser.screenshot('03-held-reply');
    expect(sandbox.graph.sent.some((s) => s.text?.includes('I can take this one'))).toBe(false);
    await actAs('ana');
    expect(await thread().locator('[data-testid=ephemeral]', { hasText: 'Not sent' }).count()).toBe(0);
    await actAs('bruno');
    await held.locator('button', { hasText: 'Keep as note' }).click();
    await thread().locator('[data-testid=message]', { hasText: 'I can take this one' }).locator('[data-reaction=memo]').waitFor({ timeout: TIMEOUT });
    await actAs('ana');
  });

  it('/queue in the channel lists the conversation, only to the person who asked', async () => {
    await page().fill('[data-testid=channel-composer-input]', '/queue');
    await page().press('[data-testid=channel-composer-input]', 'Enter');
    const answer = page().locator('[data-testid=channel-messages] [data-testid=ephemeral]', { hasText: 'Alice Martin' });
    await answer.waitFor({ timeout: TIMEOUT });
    await browser.screenshot('04-queue');
  });

  it('hands the conversation off through the modal: Bruno owns it after the submit', async () => {
    await thread().locator('[data-action-id=conversation_handoff]').first().click();
    await page().locator('[data-testid=modal-submit]').waitFor({ timeout: TIMEOUT });
    await page().check('[data-testid=modal] [data-block-id=handoff_target_kind] input[value=user]');
    await page().selectOption('[data-testid=modal] [data-block-id=handoff_target_user] select', 'U0BRUNO');
    await page().fill('[data-testid=modal] textarea', 'Tracking says it is in Lisbon; call the courier tomorrow');
    await browser.screenshot('05-handoff-modal');
    await page().click('[data-testid=modal-submit]');
    await page().locator('[data-testid=modal]').waitFor({ state: 'detached', timeout: TIMEOUT });
    await card().locator('.bk-field', { hasText: '@Bruno' }).waitFor({ timeout: TIMEOUT });
    await thread().locator('[data-testid=message]', { hasText: 'call the courier tomorrow' }).first().waitFor({ timeout: TIMEOUT });
  });

  it('a +25 h jump of the sandbox clock closes the 24-hour window: the reply is not sent and says why', async () => {
    const before = await businessBubbles().count();
    await page().click('[data-testid=clock-25h]');
    await page().locator('[data-testid=clock]', { hasText: '+25 h' }).waitFor({ timeout: TIMEOUT });
    await actAs('bruno');
    await replyInThread('Your parcel will arrive tomorrow');
    await thread().locator('[data-testid=ephemeral]', { hasText: '24-hour window closed' }).waitFor({ timeout: TIMEOUT });
    await browser.screenshot('06-window-closed');
    await sandbox.graph.settle();
    expect(await businessBubbles().count()).toBe(before);
  });

  it('the refused reply offers "Send a template": choosing one shows its fields and preview, and the send reaches the phone with ticks', async () => {
    const refused = thread().locator('[data-testid=ephemeral]', { hasText: '24-hour window closed' });
    await refused.locator('button', { hasText: 'Send a template' }).click();
    const modal = page().locator('[data-testid=modal]');
    const picker = modal.locator('[data-block-id=tpl_pick] select');
    await picker.waitFor({ timeout: TIMEOUT });
    // Choosing is a block_actions from the dispatching input; threadline answers with views.update.
    await picker.selectOption({ label: 'order_update (en_US) · Utility' });
    const field = (id: string) => modal.locator(`[data-block-id$=":${id}"] input`);
    await field('body:1').waitFor({ timeout: TIMEOUT });
    expect(await modal.locator('[data-block-id^="tpl_field:"]').count()).toBe(5);
    await modal.locator('.bk-text', { hasText: 'Hi {{1}}, your order {{2}} is {{3}}.' }).waitFor({ timeout: TIMEOUT });
    const values: [string, string][] = [
      ['header:1', '#1042'],
      ['body:1', 'Alice'],
      ['body:2', '#1042'],
      ['body:3', 'on its way'],
      ['button:0', '1042'],
    ];
    for (const [id, value] of values) await field(id).fill(value);
    // The live preview follows what was typed (on_character_entered), and the typed values survive each update.
    await modal.locator('.bk-text', { hasText: 'Hi Alice, your order #1042 is on its way.' }).waitFor({ timeout: TIMEOUT });
    for (const [id, value] of values) expect(await field(id).inputValue()).toBe(value);
    await browser.screenshot('07-template-modal');
    await page().click('[data-testid=modal-submit]');
    await modal.waitFor({ state: 'detached', timeout: TIMEOUT });
    const sent = page().locator('[data-testid=wa-business-message]', { hasText: 'Template · order_update (en_US)' });
    await sent.waitFor({ timeout: TIMEOUT });
    expect(await sent.textContent()).toContain('Alice · #1042 · on its way');
    await page().locator('[data-testid=wa-business-message][data-tick=read]', { hasText: 'order_update' }).waitFor({ timeout: TIMEOUT });
    await thread().locator('[data-testid=message]', { hasText: 'WhatsApp template order_update' }).waitFor({ timeout: TIMEOUT });
    const send = sandbox.graph.sent.find((s) => s.type === 'template');
    expect(send?.content).toMatchObject({ name: 'order_update', language: { code: 'en_US' } });
  });

  it("a template's header image can be uploaded from the modal's file picker (file_input) and reaches Graph by media id", async () => {
    await thread().locator('[data-action-id=conversation_send_template]').first().click();
    const modal = page().locator('[data-testid=modal]');
    await modal.locator('[data-block-id=tpl_pick] select').selectOption({ label: 'spring_sale (en_US) · Marketing' });
    const picker = modal.locator('[data-block-id$=":header_file"] input[type=file]');
    await picker.waitFor({ timeout: TIMEOUT });
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(32, 1)]);
    await picker.setInputFiles({ name: 'sale.png', mimeType: 'image/png', buffer: png });
    await modal.locator('[data-testid=file-input-status]', { hasText: 'Uploaded: sale.png' }).waitFor({ timeout: TIMEOUT });
    await modal.locator('[data-block-id$=":body:1"] input').fill('Alice');
    await modal.locator('[data-block-id$=":body:2"] input').fill('20%');
    // The upload is kept while the typed fields update the view, and shows in the preview.
    await modal.locator('.bk-text', { hasText: '[image: sale.png]' }).waitFor({ timeout: TIMEOUT });
    await modal.locator('.bk-text', { hasText: 'Everything is 20% off' }).waitFor({ timeout: TIMEOUT });
    await page().click('[data-testid=modal-submit]');
    await modal.waitFor({ state: 'detached', timeout: TIMEOUT });
    const bubble = page().locator('[data-testid=wa-business-message]', { hasText: 'Template · spring_sale (en_US)' });
    await bubble.waitFor({ timeout: TIMEOUT });
    const send = sandbox.graph.sent.find((x) => x.type === 'template' && x.content.name === 'spring_sale');
    const header = (send?.content.components as { parameters: { image?: { id?: string } }[] }[] | undefined)?.[0];
    const mediaId = String(header?.parameters[0]?.image?.id);
    expect(sandbox.graph.findMedia(mediaId)?.data).toEqual(png);
    // The phone shows the header's picture, served by the playground's own route, and the values without the word "image".
    const picture = bubble.locator('img.wa-image');
    await picture.waitFor({ timeout: TIMEOUT });
    const src = await picture.getAttribute('src');
    expect(src).toBe(`/playground/api/wa-media/${mediaId}`);
    const served = await page().evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())), src ?? '');
    expect(Buffer.from(served)).toEqual(png);
    expect(await bubble.innerText()).toContain('Alice · 20%');
    expect(await bubble.innerText()).not.toMatch(/\bimage\b/);
  });

  it('a WhatsApp fault from the fault control shows in the thread in plain words', async () => {
    await actAs('carla');
    await page().selectOption('[data-testid=line-select]', '100000000000002');
    await page().fill('[data-testid=wa-input]', 'Do you ship to Porto?');
    await page().press('[data-testid=wa-input]', 'Enter');
    await page().click('[data-testid=channel-sales-whatsapp]');
    const salesCard = page().locator('[data-testid=channel-messages] [data-testid=message]', { hasText: 'Alice Martin' }).first();
    await salesCard.locator('[data-testid=open-thread]').click({ timeout: TIMEOUT });
    await page().click('[data-testid=faults-button]');
    await page().selectOption('[data-testid=fault-wa-code]', '131026');
    await page().click('[data-testid=fault-wa-inject]');
    await page().locator('[data-testid=faults-list] li', { hasText: '131026' }).waitFor({ timeout: TIMEOUT });
    await page().click('[data-testid=faults-button]');
    await replyInThread('Yes, we do!');
    await thread().locator('[data-testid=message]', { hasText: /undeliverable|could not be delivered|131026/i }).first().waitFor({ timeout: TIMEOUT });
    await browser.screenshot('08-whatsapp-fault');
  });

  it("+30 min reminds an owner who left the customer waiting; the message shortcut opens the handoff modal", async () => {
    await actAs('ana');
    await page().selectOption('[data-testid=line-select]', '100000000000001');
    await page().selectOption('[data-testid=customer-select]', '4915123456789');
    await page().fill('[data-testid=wa-input]', 'Is the blue one back in stock?');
    await page().press('[data-testid=wa-input]', 'Enter');
    await page().click('[data-testid=channel-support-whatsapp]');
    const jonas = page().locator('[data-testid=channel-messages] [data-testid=message]', { hasText: 'Jonas Weber' }).first();
    await jonas.locator('[data-action-id=conversation_claim]').click({ timeout: TIMEOUT });
    await jonas.locator('.bk-field', { hasText: '@Ana' }).waitFor({ timeout: TIMEOUT });
    await page().click('[data-testid=clock-30m]');
    await jonas.locator('[data-testid=open-thread]').click({ timeout: TIMEOUT });
    await thread().locator('[data-testid=message]', { hasText: 'the customer has been waiting' }).waitFor({ timeout: TIMEOUT });
    await browser.screenshot('09-owner-reminder');

    const post = thread().locator('[data-testid=customer-post]', { hasText: 'blue one' });
    await post.hover();
    await post.locator('[data-testid=message-more]').click();
    await post.locator('.menu button', { hasText: 'Hand off conversation' }).click();
    await page().locator('[data-testid=modal-submit]').waitFor({ timeout: TIMEOUT });
    await page().click('[data-testid=modal-close]');
    await page().locator('[data-testid=modal]').waitFor({ state: 'detached', timeout: TIMEOUT });
  });

  it('opens the App Home tab for the person acting', async () => {
    await page().click('[data-testid=app-home]');
    const home = page().locator('[data-testid=app-home-view]');
    await home.locator('button', { hasText: /shift/i }).first().waitFor({ timeout: TIMEOUT });
    expect(await home.textContent()).toContain('Jonas Weber');
    await browser.screenshot('10-app-home');
  });
});
