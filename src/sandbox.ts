import express from 'express';
import { type Config, SANDBOX_CHANNEL } from './config';
import { type GraphEmulator, startGraphEmulator } from './emulators/graph-emulator';
import { type SlackEmulator, startSlackEmulator } from './emulators/slack-emulator';
import { type Running, startThreadline } from './runtime';

export interface Sandbox {
  running: Running;
  slack: SlackEmulator;
  graph: GraphEmulator;
  instructions: string;
  close(): Promise<void>;
}

const SANDBOX_NUMBER_ID = '100000000000001';

/**
 * No credentials: run the real bridge against the built-in Slack and WhatsApp emulators (DESIGN §6), with small
 * HTTP helpers to play the customer and an agent from a terminal.
 */
export async function startSandbox(config: Config): Promise<Sandbox> {
  const slack = await startSlackEmulator({
    token: config.slack.botToken,
    signingSecret: config.slack.signingSecret,
    channels: [{ id: SANDBOX_CHANNEL, name: 'whatsapp-inbox' }],
  });
  const graph = await startGraphEmulator({
    accessToken: config.whatsapp.accessToken,
    appSecret: config.whatsapp.appSecret,
    autoStatuses: ['sent', 'delivered', 'read'],
    statusDelayMs: 400,
    businessNumbers: [{ phoneNumberId: SANDBOX_NUMBER_ID, displayPhoneNumber: '15550001111' }],
  });
  const sandboxConfig: Config = {
    ...config,
    slack: { ...config.slack, apiUrl: slack.apiUrl },
    whatsapp: { ...config.whatsapp, apiUrl: graph.url },
  };
  const running = await startThreadline(sandboxConfig, { extraRoutes: (app) => mountSandboxRoutes(app, slack, graph) });
  slack.setAppUrl(running.url);
  graph.webhookUrl = `${running.url}/webhooks/whatsapp`;
  return {
    running,
    slack,
    graph,
    instructions: instructionsFor(running.url),
    async close() {
      await slack.close();
      await graph.close();
    },
  };
}

function mountSandboxRoutes(app: express.Express, slack: SlackEmulator, graph: GraphEmulator): void {
  const json = (req: express.Request) => (typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {});
  const str = (v: unknown, fallback: string) => (typeof v === 'string' && v.trim() ? v : fallback);
  app.post('/sandbox/customer', expressJson(), (req, res) => {
    const body = json(req);
    graph
      .customerSends({ from: str(body.from, '15550002222'), name: str(body.name, 'Alice'), text: str(body.text, 'Hello!') })
      .then((r) => res.json({ ok: r.status === 200, wamid: r.wamid }), (err: unknown) => res.status(500).json({ ok: false, error: String(err) }));
  });
  app.post('/sandbox/agent', expressJson(), (req, res) => {
    const body = json(req);
    const threads = slack.messages(SANDBOX_CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    const thread = str(body.thread_ts, threads.at(-1)?.ts ?? '');
    if (!thread) {
      res.status(404).json({ ok: false, error: 'no conversation yet: send a customer message first' });
      return;
    }
    slack
      .userPosts({ user: str(body.user, 'U0ANA'), channel: SANDBOX_CHANNEL, threadTs: thread, text: str(body.text, 'Hi! How can I help?') })
      .then((r) => res.json({ ok: true, ts: r.ts }), (err: unknown) => res.status(500).json({ ok: false, error: String(err) }));
  });
  app.get('/sandbox/state', (_req, res) => {
    res.json({ slack: slack.messages(SANDBOX_CHANNEL), whatsappSent: graph.sent });
  });
}

/** JSON bodies only on the sandbox helpers: Bolt and the WhatsApp route need their raw bytes. */
const expressJson = () => express.json();

function instructionsFor(url: string): string {
  return [
    '',
    'threadline is running in SANDBOX mode: no Slack or WhatsApp credentials were given, so it talks to built-in',
    'emulators of both. Try it:',
    '',
    `  # a customer (Alice) writes on WhatsApp`,
    `  curl -s -X POST ${url}/sandbox/customer -H 'content-type: application/json' -d '{"text":"Hi, where is my order?"}'`,
    `  # agent U0ANA replies in the Slack thread (it claims the conversation and the reply goes to WhatsApp)`,
    `  curl -s -X POST ${url}/sandbox/agent -H 'content-type: application/json' -d '{"text":"On its way!"}'`,
    `  # a private note (stays in Slack)`,
    `  curl -s -X POST ${url}/sandbox/agent -H 'content-type: application/json' -d '{"text":"note: VIP customer"}'`,
    `  # what Slack and WhatsApp saw`,
    `  curl -s ${url}/sandbox/state`,
    '',
    'Set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, WHATSAPP_* and SLACK_CHANNEL to run against the real platforms.',
    '',
  ].join('\n');
}
