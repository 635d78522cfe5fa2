import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countTemplates } from '../db/queries/templates';
import { ManualClock, systemClock } from '../src/clock';
import { startGraphEmulator } from '../src/emulators/graph-emulator';
import { defaultTemplateCatalogue, generatedTemplates } from '../src/emulators/graph-templates';
import { EMULATOR_DEFAULTS, startSlackEmulator } from '../src/emulators/slack-emulator';
import { DEFAULT_BUSINESS_NUMBER } from '../src/emulators/whatsapp-webhooks';
import { syncTemplates } from '../src/services/template-catalogue';
import { openTestDatabase } from '../test/helpers/database';
import { freePort, startChild } from '../test/helpers/processes';
import { templateSyncDeps } from '../test/helpers/template-sync-deps';
import { percentile, round } from './stats';

/**
 * Two template timings on the emulators (issue 9): how long a click on "Send a template" takes to reach Slack as
 * views.open (the modal must open within the trigger id's 3 seconds, slack.md §4), and how long the catalogue sync
 * takes for 500 templates, which the Graph emulator pages as Graph does (25 a page unless asked for more).
 */

const HOUR = 60 * 60_000;
const SEND_TEMPLATE = 'conversation_send_template';
const WABA = DEFAULT_BUSINESS_NUMBER.wabaId;
const catalogue = () => [...defaultTemplateCatalogue(), ...generatedTemplates(500)];

async function waitUntil<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const summary = (samples: number[]) => ({
  count: samples.length,
  p50: round(percentile(samples, 50)),
  p95: round(percentile(samples, 95)),
  max: round(Math.max(...samples)),
});

/**
 * The bridge as its own process on embedded PGlite; the customers wrote 25 hours ago by the Graph emulator's
 * clock, so every header card carries "Send a template". Latency = the click's signed request leaving the
 * emulated Slack → views.open arriving at it (its recorded time), over `opens` clicks spread over 10 conversations.
 */
async function measureModalOpens(args: { entry: string; opens: number }) {
  const slack = await startSlackEmulator();
  const graph = await startGraphEmulator({ clock: new ManualClock(new Date(Date.now() - 25 * HOUR)), templateCatalogue: catalogue() });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-bench-templates-'));
  const port = await freePort();
  const bridge = await startChild({
    entry: args.entry,
    port,
    name: 'bridge',
    env: {
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATA_DIR: dir,
      DATABASE_URL: '',
      REDIS_URL: '',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL: EMULATOR_DEFAULTS.channel.id,
      WHATSAPP_ACCESS_TOKEN: graph.accessToken,
      WHATSAPP_APP_SECRET: graph.appSecret,
      WHATSAPP_VERIFY_TOKEN: 'bench-verify',
      WHATSAPP_API_URL: graph.url,
      WHATSAPP_BUSINESS_ACCOUNT_ID: WABA,
    },
  });
  try {
    slack.setAppUrl(bridge.url);
    graph.webhookUrl = `${bridge.url}/webhooks/whatsapp`;
    const cards: string[] = [];
    for (let i = 0; i < 10; i++) {
      const sent = await graph.customerSends({ from: `1555009${String(i).padStart(4, '0')}`, name: `Customer ${i}`, text: 'Hello, is anyone there?' });
      if (sent.status !== 200) throw new Error(`the bridge answered the webhook with ${sent.status}`);
      cards.push(
        await waitUntil('a header card with Send a template', () => {
          const card = slack.messages(EMULATOR_DEFAULTS.channel.id).filter((m) => !m.thread_ts || m.thread_ts === m.ts)[i];
          return card && JSON.stringify(card.blocks ?? []).includes(SEND_TEMPLATE) ? card.ts : undefined;
        }),
      );
    }
    const samples: number[] = [];
    for (let n = 0; n < args.opens; n++) {
      const messageTs = cards[n % cards.length] as string;
      const clickedAt = Date.now();
      const click = await slack.clickButton({ user: 'U0ANA', channel: EMULATOR_DEFAULTS.channel.id, messageTs, actionId: SEND_TEMPLATE });
      const opened = await waitUntil('views.open', () => slack.callsTo('views.open').find((c) => c.params.trigger_id === click.triggerId));
      if ((opened.response as { ok?: boolean } | undefined)?.ok === false) throw new Error(`views.open failed: ${JSON.stringify(opened.response)}`);
      samples.push(opened.at.getTime() - clickedAt);
    }
    return { ...summary(samples), options: 100, note: 'click sent → views.open received by the Slack emulator, ms' };
  } finally {
    await bridge.stop();
    await slack.close();
    await graph.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** syncTemplates in-process (the same function the bridge runs hourly): a first sync into an empty table, then a refetch. */
async function measureCatalogueSync(runs: number) {
  const graph = await startGraphEmulator({ templateCatalogue: catalogue() });
  const first: number[] = [];
  const again: number[] = [];
  let pages = 0;
  let templates = 0;
  try {
    for (let run = 0; run < runs; run++) {
      const database = await openTestDatabase('pglite');
      const deps = templateSyncDeps(database.db, graph, systemClock);
      try {
        let started = performance.now();
        const result = await syncTemplates(deps, WABA);
        first.push(performance.now() - started);
        ({ pages, templates } = result);
        if ((await countTemplates(deps.db, WABA)) !== templates) throw new Error('the sync did not store every template');
        started = performance.now();
        await syncTemplates(deps, WABA);
        again.push(performance.now() - started);
      } finally {
        await database.close();
      }
    }
  } finally {
    await graph.close();
  }
  return { templates, pages, storage: 'pglite', firstSyncMs: summary(first), refetchMs: summary(again) };
}

export async function measureTemplateTimings(args: { entry: string; opens?: number; syncRuns?: number }) {
  const modalOpen = await measureModalOpens({ entry: args.entry, opens: args.opens ?? 50 });
  process.stdout.write(`template modal open: p50 ${modalOpen.p50} ms, p95 ${modalOpen.p95} ms over ${modalOpen.count} clicks\n`);
  const catalogueSync = await measureCatalogueSync(args.syncRuns ?? 5);
  process.stdout.write(
    `catalogue sync of ${catalogueSync.templates} templates (${catalogueSync.pages} pages): first p50 ${catalogueSync.firstSyncMs.p50} ms, refetch p50 ${catalogueSync.refetchMs.p50} ms\n`,
  );
  return { modalOpen, catalogueSync };
}
