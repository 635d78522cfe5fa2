import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ManualClock } from '../../src/clock';
import { startGraphEmulator } from '../../src/emulators/graph-emulator';
import { startSlackEmulator } from '../../src/emulators/slack-emulator';
import { callSlackApi } from '../helpers/slack-api-call';
import { parseInteractionPayload, startRecordingReceiver } from '../helpers/slack-recording-receiver';

/** What the emulators learnt for the sandbox playground: generic menus, closing modals, activity, clock-bound windows. */

const CHANNEL = 'C0MENUS001';
const HOUR = 60 * 60 * 1000;

describe('the Slack emulator for the playground', () => {
  const MENU_BLOCKS = [
    {
      type: 'actions',
      block_id: 'menus',
      elements: [
        { type: 'static_select', action_id: 'pick_level', options: [{ text: { type: 'plain_text', text: 'High' }, value: 'high' }] },
        { type: 'overflow', action_id: 'more', options: [{ text: { type: 'plain_text', text: 'Archive' }, value: 'archive' }] },
        { type: 'users_select', action_id: 'pick_user' },
      ],
    },
  ];

  it('sends block_actions for a static select, an overflow and a users select with what was chosen', async () => {
    const receiver = await startRecordingReceiver();
    const emulator = await startSlackEmulator({ channels: [CHANNEL] });
    emulator.setAppUrl(receiver.url);
    try {
      const posted = await callSlackApi(emulator.apiUrl, 'chat.postMessage', { channel: CHANNEL, text: 'menus', blocks: MENU_BLOCKS }, { token: emulator.token });
      const messageTs = posted.body.ts as string;
      await emulator.choose({ user: 'U0ANA', channel: CHANNEL, messageTs, actionId: 'pick_level', selected: 'high' });
      await emulator.choose({ user: 'U0ANA', channel: CHANNEL, messageTs, actionId: 'more', selected: 'archive' });
      await emulator.choose({ user: 'U0ANA', channel: CHANNEL, messageTs, actionId: 'pick_user', selected: 'U0BRUNO' });
      const actions = receiver.received.map((r) => (parseInteractionPayload(r) as { actions: Record<string, unknown>[] }).actions[0]);
      expect(actions[0]).toMatchObject({ type: 'static_select', action_id: 'pick_level', block_id: 'menus', selected_option: { value: 'high' } });
      expect(actions[1]).toMatchObject({ type: 'overflow', action_id: 'more', selected_option: { value: 'archive' } });
      expect(actions[2]).toMatchObject({ type: 'users_select', selected_user: 'U0BRUNO' });
      await expect(emulator.choose({ user: 'U0ANA', channel: CHANNEL, messageTs, actionId: 'pick_level', selected: 'nope' })).rejects.toThrow(/no option/);
    } finally {
      await emulator.close();
      await receiver.close();
    }
  });

  it('closes a modal: silently, or with a view_closed when the view asked for one', async () => {
    const receiver = await startRecordingReceiver();
    const emulator = await startSlackEmulator({ channels: [CHANNEL] });
    emulator.setAppUrl(receiver.url);
    try {
      const open = async (notify: boolean) => {
        const trigger = (await emulator.runSlashCommand({ user: 'U0ANA', channel: CHANNEL, command: '/x', text: '' })).triggerId;
        const view = { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [], notify_on_close: notify };
        await callSlackApi(emulator.apiUrl, 'views.open', { trigger_id: trigger, view }, { token: emulator.token });
        const modal = emulator.openModal('U0ANA');
        if (!modal) throw new Error('no modal opened');
        return modal;
      };
      const quiet = await open(false);
      const before = receiver.received.length;
      await emulator.closeView({ user: 'U0ANA', view: { id: quiet.id } });
      expect(emulator.openModal('U0ANA')).toBeUndefined();
      expect(receiver.received).toHaveLength(before);

      const loud = await open(true);
      await emulator.closeView({ user: 'U0ANA', view: { id: loud.id } });
      expect(parseInteractionPayload(receiver.received.at(-1)!)).toMatchObject({ type: 'view_closed', view: { id: loud.id } });
      await expect(emulator.closeView({ user: 'U0ANA', view: { id: loud.id } })).rejects.toThrow(/no open modal/);
    } finally {
      await emulator.close();
      await receiver.close();
    }
  });

  it('reports activity on every call it answers, and lists people, channels and pending faults', async () => {
    let activity = 0;
    const emulator = await startSlackEmulator({ channels: [CHANNEL], onActivity: () => (activity += 1) });
    try {
      await callSlackApi(emulator.apiUrl, 'chat.postMessage', { channel: CHANNEL, text: 'hi' }, { token: emulator.token });
      await new Promise((r) => setImmediate(r));
      expect(activity).toBeGreaterThan(0);
      expect(emulator.users().map((u) => u.id)).toEqual(expect.arrayContaining(['U0ANA', emulator.botUserId]));
      expect(emulator.channels()).toEqual([expect.objectContaining({ id: CHANNEL, isIm: false })]);
      emulator.injectFault({ method: 'chat.postMessage', kind: 'http_429', times: 2 });
      await callSlackApi(emulator.apiUrl, 'chat.postMessage', { channel: CHANNEL, text: 'hi' }, { token: emulator.token }).catch(() => undefined);
      expect(emulator.pendingFaults()).toEqual([{ spec: expect.objectContaining({ kind: 'http_429' }), remaining: 1 }]);
    } finally {
      await emulator.close();
    }
  });
});

describe('the Graph emulator for the playground', () => {
  async function startReceiver(): Promise<{ url: string; close(): Promise<void> }> {
    const app = express();
    app.post('/webhooks/whatsapp', (_req, res) => res.sendStatus(200));
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`, close: () => new Promise((r) => server.close(() => r())) };
  }

  it("closes a customer's 24-hour window when its clock passes 24 hours since their last message", async () => {
    const clock = new ManualClock('2026-11-24T10:00:00Z');
    const receiver = await startReceiver();
    let activity = 0;
    const graph = await startGraphEmulator({ clock, webhookUrl: receiver.url, onActivity: () => (activity += 1) });
    const send = () =>
      fetch(`${graph.url}/v25.0/100000000000001/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${graph.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', to: '15550002222', type: 'text', text: { body: 'hi' } }),
      });
    try {
      await graph.customerSends({ from: '15550002222', text: 'hello' });
      clock.advance(23 * HOUR);
      expect((await send()).status).toBe(200);
      clock.advance(2 * HOUR);
      const closed = await send();
      expect(closed.status).toBe(400);
      expect(((await closed.json()) as { error: { code: number } }).error.code).toBe(131047);
      await graph.customerSends({ from: '15550002222', text: 'me again' });
      expect((await send()).status).toBe(200);
      await graph.settle();
      expect(activity).toBeGreaterThan(3);
      graph.injectFault({ route: 'messages', kind: 'graph_error', code: 131026, times: 3 });
      await send();
      expect(graph.pendingFaults()).toEqual([{ spec: expect.objectContaining({ code: 131026 }), remaining: 2 }]);
    } finally {
      await graph.close();
      await receiver.close();
    }
  });
});
