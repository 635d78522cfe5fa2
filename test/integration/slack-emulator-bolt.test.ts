import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';

/** The emulator against a real Bolt 5 app: signatures verify, auth.test answers, trigger ids open modals. */

const CHANNEL = 'C0BOLT0001';
let emulator: SlackEmulator;
let server: Server;
const seenEvents: string[] = [];

beforeAll(async () => {
  emulator = await startSlackEmulator({ channels: [CHANNEL] });
  const receiver = new ExpressReceiver({ signingSecret: emulator.signingSecret, logLevel: LogLevel.ERROR });
  const app = new App({ token: emulator.token, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: emulator.apiUrl } });
  app.message(async ({ message, client }) => {
    if (message.subtype !== undefined || !('text' in message)) return;
    seenEvents.push(message.text ?? '');
    await client.chat.postMessage({ channel: message.channel, thread_ts: message.ts, text: `echo: ${message.text}` });
  });
  app.action('open_modal', async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions') return;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: { type: 'modal', callback_id: 'm', title: { type: 'plain_text', text: 'Hi' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }] },
    });
  });
  app.command('/queue', async ({ ack, command }) => {
    await ack(`queue for ${command.user_name}`);
  });
  server = (await app.start(0)) as Server;
  emulator.setAppUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await emulator.close();
});

async function waitFor<T>(read: () => T | undefined): Promise<T> {
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('accepts the emulator’s signed message event and the reply lands in the thread', async () => {
  const { ts, response } = await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'ping' });
  expect(response.status).toBe(200);
  const reply = await waitFor(() => emulator.thread(CHANNEL, ts)[1]);
  expect(reply).toMatchObject({ text: 'echo: ping', bot_id: emulator.botId, thread_ts: ts });
  expect(seenEvents).toEqual(['ping']);
});

it('opens a modal with the trigger id of a button click', async () => {
  const blocks = [{ type: 'actions', block_id: 'b', elements: [{ type: 'button', action_id: 'open_modal', text: { type: 'plain_text', text: 'Open' } }] }];
  const ts = (await fetch(`${emulator.apiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ channel: CHANNEL, text: 'card', blocks: JSON.stringify(blocks) }).toString(),
  }).then((r) => r.json())) as { ts: string };
  const click = await emulator.clickButton({ user: 'U0BRUNO', channel: CHANNEL, messageTs: ts.ts, actionId: 'open_modal' });
  expect(click.status).toBe(200);
  const modal = await waitFor(() => emulator.openModal('U0BRUNO'));
  expect(modal.callback_id).toBe('m');
});

it('answers a slash command through Bolt’s ack', async () => {
  const result = await emulator.runSlashCommand({ user: 'U0CARLA', channel: CHANNEL, command: '/queue', text: '' });
  expect(result.status).toBe(200);
  expect(result.text).toBe('queue for carla');
});
