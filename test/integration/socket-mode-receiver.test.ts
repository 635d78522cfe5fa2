import type { App, ReceiverEvent } from '@slack/bolt';
import { ConfigError } from '../../src/config';
import { type SlackEmulator, startSlackEmulator } from '../../src/emulators/slack-emulator';
import { createLogger } from '../../src/logger';
import { DurableSocketModeReceiver } from '../../src/slack/socket-mode-receiver';
import { waitFor } from '../helpers/wait';

const CHANNEL = 'C0RECEIVE1';
const logger = createLogger({ level: 'silent' });
let emulator: SlackEmulator;

/** Stands in for Bolt's App: the receiver only calls processEvent. */
function fakeApp(processEvent: (event: ReceiverEvent) => Promise<void>): App {
  return { processEvent } as unknown as App;
}

const receiverWith = (appToken: string) => new DurableSocketModeReceiver({ appToken, slackApiUrl: emulator.apiUrl, logger });

beforeAll(async () => {
  emulator = await startSlackEmulator({ channels: [CHANNEL] });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('DurableSocketModeReceiver', () => {
  it.each([
    ['the bot token', () => emulator.token, 'not_allowed_token_type'],
    ['an unknown app token', () => 'xapp-1-A0THREADLN-1-unknown', 'invalid_auth'],
  ])('fails the start with a ConfigError when Slack refuses %s, instead of retrying', async (_what, token, code) => {
    const start = receiverWith(token()).start();
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(`apps.connections.open answered ${code}`);
    expect(emulator.callsTo('apps.connections.open')).toHaveLength(1);
  });

  it('sends the ack, with its payload, only when the listener has finished', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ackCalled: string[] = [];
    const receiver = receiverWith(emulator.appToken);
    receiver.init(
      fakeApp(async (event) => {
        const text = String(event.body.text);
        await event.ack({ response_type: 'ephemeral', text: `answer to ${text}` });
        ackCalled.push(text);
        if (text === 'slow') await released;
      }),
    );
    await receiver.start();
    try {
      const slow = emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/queue', text: 'slow' });
      await waitFor('the slow listener to call ack()', () => ackCalled.includes('slow'));
      // Envelopes are answered in order on one socket: had the slow one's ack() gone out at once, it would come first.
      const fast = await emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/queue', text: 'fast' });
      expect(fast.json).toEqual({ response_type: 'ephemeral', text: 'answer to fast' });
      expect(emulator.socketMessages).toHaveLength(1);
      release();
      expect((await slow).json).toEqual({ response_type: 'ephemeral', text: 'answer to slow' });
    } finally {
      release();
      await receiver.stop();
    }
  });

  it('leaves an envelope whose processing failed unacknowledged, so Slack delivers it again', async () => {
    const receiver = receiverWith(emulator.appToken);
    receiver.init(
      fakeApp(async (event) => {
        await event.ack();
        if ((event.body.event as { text?: string }).text === 'boom') throw new Error('listener chain failed');
      }),
    );
    await receiver.start();
    const failed = emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'boom' }).catch((err: unknown) => err);
    try {
      // Envelopes are answered in order on one socket: once the second is acked, the first would have been too.
      const fine = await emulator.userPosts({ user: 'U0ANA', channel: CHANNEL, text: 'fine' });
      expect(fine.response.status).toBe(200);
      expect(emulator.socketMessages).toHaveLength(1);
    } finally {
      await receiver.stop();
    }
    expect(await failed).toEqual(expect.objectContaining({ message: expect.stringContaining('closed before envelope') }));
  });

  it('stop() closes the socket', async () => {
    const receiver = receiverWith(emulator.appToken);
    receiver.init(fakeApp(async (event) => event.ack()));
    await receiver.start();
    expect(emulator.socketConnections()).toBe(1);
    await receiver.stop();
    await waitFor('the socket to close', () => emulator.socketConnections() === 0);
  });
});
