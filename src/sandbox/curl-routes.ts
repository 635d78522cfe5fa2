import express from 'express';
import { z } from 'zod';
import { SANDBOX_CHANNEL } from '../config';
import type { GraphEmulator } from '../emulators/graph-emulator';
import type { SlackEmulator } from '../emulators/slack-emulator';
import { editMessage, revokeMessage } from '../emulators/whatsapp-webhooks';

/**
 * The sandbox's terminal helpers (README "Sandbox"): play a customer and an agent with curl, read what both
 * emulators saw. Scripts rely on these shapes; the playground page offers the same and more.
 */

const text = (fallback: string) => z.string().trim().min(1).catch(fallback);

const customerBody = z.object({
  from: text('15550002222'),
  name: text('Alice'),
  text: text('Hello!'),
});

/** An edit or a deletion of a message the customer sent (its wamid, as /sandbox/customer answered it). */
const changeBody = customerBody.extend({ wamid: z.string().trim().min(1) });

const agentBody = z.object({
  user: text('U0ANA'),
  text: text('Hi! How can I help?'),
  thread_ts: z.string().trim().min(1).optional().catch(undefined),
});

const bodyOf = (req: express.Request): unknown => (typeof req.body === 'object' && req.body !== null ? req.body : {});

export function mountCurlRoutes(app: express.Express, slack: SlackEmulator, graph: GraphEmulator): void {
  app.post('/sandbox/customer', express.json(), (req, res) => {
    const body = customerBody.parse(bodyOf(req));
    graph.customerSends({ from: body.from, name: body.name, text: body.text }).then(
      (r) => res.json({ ok: r.status === 200, wamid: r.wamid }),
      (err: unknown) => res.status(502).json({ ok: false, error: String(err) }),
    );
  });
  app.post(['/sandbox/customer/edit', '/sandbox/customer/delete'], express.json(), (req, res) => {
    const parsed = changeBody.safeParse(bodyOf(req));
    if (!parsed.success) {
      res.status(400).json({ ok: false, error: 'give the wamid of the customer message to change' });
      return;
    }
    const body = parsed.data;
    const base = { from: body.from, originalId: body.wamid };
    const message = req.path.endsWith('/edit') ? editMessage({ ...base, body: body.text }) : revokeMessage(base);
    graph.customerSends({ from: body.from, name: body.name, message }).then(
      (r) => res.json({ ok: r.status === 200, wamid: r.wamid }),
      (err: unknown) => res.status(502).json({ ok: false, error: String(err) }),
    );
  });
  app.post('/sandbox/agent', express.json(), (req, res) => {
    const body = agentBody.parse(bodyOf(req));
    const threads = slack.messages(SANDBOX_CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    const thread = body.thread_ts ?? threads.at(-1)?.ts;
    if (!thread) {
      res.status(404).json({ ok: false, error: 'no conversation yet: send a customer message first' });
      return;
    }
    slack.userPosts({ user: body.user, channel: SANDBOX_CHANNEL, threadTs: thread, text: body.text }).then(
      (r) => res.json({ ok: true, ts: r.ts }),
      (err: unknown) => res.status(400).json({ ok: false, error: String(err) }),
    );
  });
  app.get('/sandbox/state', (_req, res) => {
    res.json({ slack: slack.messages(SANDBOX_CHANNEL), whatsappSent: graph.sent });
  });
}
