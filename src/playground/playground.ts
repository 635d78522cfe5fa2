import path from 'node:path';
import express from 'express';
import type { z } from 'zod';
import type { Config } from '../config';
import type { GraphEmulator } from '../emulators/graph-emulator';
import type { SlackEmulator } from '../emulators/slack-emulator';
import { formatTs } from '../emulators/slack-workspace';
import type { SandboxClock } from '../sandbox/sandbox-clock';
import { type BusinessLine, CUSTOMERS, type Persona } from '../sandbox/sandbox-world';
import type { EphemeralView, PlaygroundState } from './state-types';
import {
  applyClockAction,
  applyFaultAction,
  clockActionSchema,
  faultActionSchema,
  listFaults,
  SLACK_FAULT_KINDS,
  SLACK_FAULT_METHODS,
  WHATSAPP_FAULT_CODES,
} from './control-actions';
import { customerActionSchema, sendAsCustomer } from './customer-actions';
import { LiveUpdates } from './live-updates';
import { buildPhoneChats } from './phone-state';
import { performSlackAction, slackActionSchema } from './slack-actions';
import { buildSlackState } from './slack-state';

/**
 * The playground (DESIGN §6): a page that plays the customer's phone and the team's Slack side by side. It sees
 * and does only what the two emulators see and do; threadline in between is the real thing, reached only through
 * its webhooks and /slack/events. Mounted by the sandbox alone, never with real credentials.
 */

export interface PlaygroundDeps {
  config: Config;
  slack: SlackEmulator;
  graph: GraphEmulator;
  clock: SandboxClock;
  personas: readonly Persona[];
  lines: readonly BusinessLine[];
}

export interface Playground {
  /** Tell open pages that something changed (the emulators call this on every call they answer). */
  changed(): void;
  state(): PlaygroundState;
  mount(app: express.Express): void;
  close(): void;
}

const WEB_DIR = path.join(__dirname, 'web');
/** Files come as base64 in JSON: a few MB of upload is enough to try it. */
const JSON_LIMIT = '12mb';

export function createPlayground(deps: PlaygroundDeps): Playground {
  if (!deps.config.sandbox) throw new Error('the playground is only for the sandbox: it must never be mounted with real credentials');
  const { slack, graph, clock } = deps;
  const customers = new Map<string, string>(CUSTOMERS.map((c) => [c.waId, c.name]));
  const ackEphemerals: EphemeralView[] = [];

  const state = (): PlaygroundState => {
    const phone = buildPhoneChats(graph, customers);
    for (const chat of phone) if (!customers.has(chat.waId)) customers.set(chat.waId, chat.name ?? `+${chat.waId}`);
    return {
      now: clock.now().toISOString(),
      aheadMs: clock.aheadMs,
      digest: { time: deps.config.digest.time, timeZone: deps.config.digest.timeZone },
      personas: deps.personas,
      lines: deps.lines,
      customers: [...customers].map(([waId, name]) => ({ waId, name })),
      phone,
      slack: buildSlackState(slack, ackEphemerals),
      faults: listFaults(slack, graph),
      faultOptions: {
        slackMethods: SLACK_FAULT_METHODS,
        slackKinds: SLACK_FAULT_KINDS,
        whatsappCodes: WHATSAPP_FAULT_CODES.map((c) => ({ code: c.code, title: c.title })),
      },
    };
  };
  const live = new LiveUpdates(state);

  /** Runs a validated action; bad input is a 400 that says why, a refusal by an emulator a 409 with its words. */
  const route = <S extends z.ZodType>(schema: S, run: (input: z.infer<S>) => Promise<unknown>): express.RequestHandler => (req, res) => {
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
      return;
    }
    run(parsed.data).then(
      (result) => {
        live.changed();
        res.json({ ok: true, ...(typeof result === 'object' && result !== null ? result : {}) });
      },
      (err: unknown) => res.status(409).json({ ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  };

  const mount = (app: express.Express) => {
    const api = express.Router();
    api.use(express.json({ limit: JSON_LIMIT }));
    api.get('/state', (_req, res) => {
      res.json(state());
    });
    api.get('/events', (req, res) => live.subscribe(req, res));
    api.post(
      '/customer',
      route(customerActionSchema, async (action) => {
        customers.set(action.waId, action.name);
        const sent = await sendAsCustomer(graph, action);
        if (sent.status !== 200) throw new Error(`threadline answered the webhook with ${sent.status}`);
        return { wamid: sent.wamid };
      }),
    );
    api.post(
      '/slack',
      route(slackActionSchema, async (action) => {
        const { response, shownIn, fileId } = await performSlackAction(slack, action);
        const ack = (response?.json ?? {}) as { text?: unknown; blocks?: unknown; response_type?: unknown; response_action?: unknown; errors?: unknown };
        // Slack shows a command's ack body to its user as an ephemeral (slack.md §3).
        if (shownIn && (typeof ack.text === 'string' || Array.isArray(ack.blocks)) && ack.response_type !== 'in_channel') {
          ackEphemerals.push({
            channel: shownIn.channel,
            user: shownIn.user,
            text: typeof ack.text === 'string' ? ack.text : '',
            blocks: Array.isArray(ack.blocks) ? ack.blocks : undefined,
            ts: formatTs(clock.now().getTime() * 1000),
          });
        }
        return { status: response?.status, errors: ack.response_action === 'errors' ? ack.errors : undefined, fileId };
      }),
    );
    api.post(
      '/clock',
      route(clockActionSchema, (action) => {
        applyClockAction(clock, action, deps.config.digest.timeZone);
        return Promise.resolve({ now: clock.now().toISOString() });
      }),
    );
    api.post(
      '/faults',
      route(faultActionSchema, (action) => {
        applyFaultAction(slack, graph, action, deps.config.whatsapp.timeoutMs);
        return Promise.resolve({});
      }),
    );
    api.get('/slack-files/:id', (req, res) => {
      const file = slack.file(req.params.id);
      if (!file?.bytes) return void res.status(404).send('no such file');
      res.type(file.mimetype).send(file.bytes);
    });
    api.get('/wa-media/:id', (req, res) => {
      const media = graph.findMedia(req.params.id);
      if (!media) return void res.status(404).send('no such media');
      res.type(media.mimeType).send(media.data);
    });
    app.use('/playground/api', api);
    app.use('/playground', express.static(WEB_DIR, { index: false, fallthrough: false }));
    app.get('/', (_req, res) => res.sendFile(path.join(WEB_DIR, 'index.html')));
  };

  return { changed: () => live.changed(), state, mount, close: () => live.close() };
}
