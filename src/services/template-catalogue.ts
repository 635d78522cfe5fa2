import {
  ensureTemplateAccount,
  findWabaOfNumber,
  listAccountsDue,
  markAccountStale,
  recordSyncFailure,
  replaceTemplates,
  updateTemplateStatus,
  upsertNumberAccount,
} from '../../db/queries/templates';
import type { NewMessageTemplateRow } from '../../db/schema';
import type { Deps } from '../deps';
import { pgSafeString } from '../pg-safe';
import { graphTemplateSchema } from '../whatsapp/templates';

/**
 * The template catalogue per WhatsApp Business Account: fetched whole (every page) from
 * GET /<WABA_ID>/message_templates, kept in Postgres, refreshed on a schedule and when Meta announces a status change
 * (`message_template_status_update`). Management endpoints are rate limited per WABA (200 calls/h by default,
 * reference/whatsapp.md §5), so a sync is one call per 100 templates and runs only when due.
 */

/** A refetch at most this often without a status webhook asking for one. */
export const TEMPLATE_REFRESH_MS = 60 * 60_000;
/** How often due catalogues (new, stale, old) are looked for. */
const TICK_MS = 30_000;
/** A safety stop: 100 per page, so 20,000 templates (Meta allows far fewer per WABA). */
const MAX_PAGES = 200;

/** WABA and phone number ids are digit strings (reference/whatsapp.md §2.1); anything else is not an id to note. */
const META_ID = /^\d{1,20}$/;

const inFlight = new WeakMap<Deps, Map<string, Promise<SyncResult>>>();
const knownNumbers = new WeakMap<Deps, Map<string, string>>();

export interface SyncResult {
  wabaId: string;
  templates: number;
  skipped: number;
  pages: number;
}

/** Fetches every page and replaces the stored catalogue; one sync per WABA at a time in this process. */
export function syncTemplates(deps: Deps, wabaId: string): Promise<SyncResult> {
  let running = inFlight.get(deps);
  if (!running) inFlight.set(deps, (running = new Map()));
  const current = running.get(wabaId);
  if (current) return current;
  const started = fetchAndStore(deps, wabaId).finally(() => running.delete(wabaId));
  running.set(wabaId, started);
  return started;
}

async function fetchAndStore(deps: Deps, wabaId: string): Promise<SyncResult> {
  const startedAt = deps.clock.now();
  const rows: NewMessageTemplateRow[] = [];
  let skipped = 0;
  let after: string | undefined;
  let pages = 0;
  try {
    do {
      const page = await deps.whatsapp.listTemplates({ wabaId, after });
      pages += 1;
      for (const item of page.templates) {
        const parsed = graphTemplateSchema.safeParse(item);
        if (!parsed.success) {
          skipped += 1;
          continue;
        }
        const t = parsed.data;
        rows.push({
          wabaId,
          metaId: t.id ?? null,
          name: t.name,
          language: t.language,
          category: t.category.toUpperCase(),
          status: t.status.toUpperCase(),
          parameterFormat: t.parameter_format?.toUpperCase() === 'NAMED' ? 'NAMED' : 'POSITIONAL',
          components: t.components,
          syncedAt: startedAt,
        });
      }
      after = page.after;
    } while (after && pages < MAX_PAGES);
  } catch (err) {
    await ensureTemplateAccount(deps.db, wabaId);
    await recordSyncFailure(deps.db, wabaId, err instanceof Error ? err.message : String(err));
    throw err;
  }
  // Meta may list one (name, language) twice across pages while it changes; the last one wins.
  const unique = [...new Map(rows.map((r) => [`${r.name}\u0000${r.language}`, r])).values()];
  await deps.db.transaction(async (tx) => {
    await ensureTemplateAccount(tx, wabaId);
    await replaceTemplates(tx, wabaId, unique, startedAt, startedAt);
  });
  deps.logger.info({ wabaId, templates: unique.length, skipped, pages }, 'template catalogue synced');
  return { wabaId, templates: unique.length, skipped, pages };
}

/** The WABA whose templates a number's conversations are offered: the configured one, else the learnt one. */
export async function wabaForNumber(deps: Pick<Deps, 'db' | 'config'>, phoneNumberId: string): Promise<string | undefined> {
  return deps.config.whatsapp.businessAccountId ?? (await findWabaOfNumber(deps.db, phoneNumberId));
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Runs after a webhook was stored and answered (never before the ack): learns each number's WABA from
 * `entry[].id`, and applies `message_template_status_update` at once (a paused template leaves the picker) before
 * refetching that catalogue. Lenient: anything it cannot read is left to the inbox, which keeps it.
 */
export async function noteTemplateWebhook(deps: Deps, body: unknown): Promise<void> {
  if (!isObject(body) || !Array.isArray(body.entry)) return;
  let known = knownNumbers.get(deps);
  if (!known) knownNumbers.set(deps, (known = new Map()));
  for (const entry of body.entry) {
    if (!isObject(entry) || typeof entry.id !== 'string' || !META_ID.test(entry.id) || !Array.isArray(entry.changes)) continue;
    const wabaId = entry.id;
    for (const change of entry.changes) {
      if (!isObject(change) || !isObject(change.value)) continue;
      const value = change.value;
      if (change.field === 'messages' && isObject(value.metadata) && typeof value.metadata.phone_number_id === 'string' && META_ID.test(value.metadata.phone_number_id)) {
        const numberId = value.metadata.phone_number_id;
        if (known.get(numberId) === wabaId) continue;
        known.set(numberId, wabaId);
        if (await upsertNumberAccount(deps.db, numberId, wabaId)) deps.background.run('template sync (new number)', () => syncTemplates(deps, wabaId));
      } else if (change.field === 'message_template_status_update') {
        await applyTemplateStatus(deps, wabaId, value);
      }
    }
  }
}

async function applyTemplateStatus(deps: Deps, wabaId: string, value: Json): Promise<void> {
  const name = value.message_template_name;
  const language = value.message_template_language;
  const event = value.event;
  if (typeof name !== 'string' || typeof language !== 'string' || typeof event !== 'string') return;
  const category = typeof value.message_template_category === 'string' ? value.message_template_category.toUpperCase() : undefined;
  // Postgres text takes no NUL or lone surrogate (pg-safe.ts): no stored template has such a name, and such an
  // event or category is no status to store.
  if ([name, language, event, category ?? ''].some((text) => pgSafeString(text).replaced > 0)) return;
  // REINSTATED and UNPAUSED mean "usable again"; FLAGGED is a warning, still sendable.
  const status = event === 'REINSTATED' || event === 'UNPAUSED' || event === 'FLAGGED' ? 'APPROVED' : event.toUpperCase();
  await updateTemplateStatus(deps.db, { wabaId, name, language, status, category });
  await markAccountStale(deps.db, wabaId, deps.clock.now());
  deps.logger.info({ wabaId, template: name, language, event }, 'template status changed');
  deps.background.run('template sync (status webhook)', () => syncTemplates(deps, wabaId));
}

/** The schedule: the configured WABA at start, then every due catalogue (new, stale, older than an hour). */
export function startTemplateSync(deps: Deps): { stop(): void } {
  const tick = async () => {
    if (deps.lifecycle.stopping) return;
    const configured = deps.config.whatsapp.businessAccountId;
    if (configured) await ensureTemplateAccount(deps.db, configured);
    const due = await listAccountsDue(deps.db, new Date(deps.clock.now().getTime() - TEMPLATE_REFRESH_MS));
    for (const wabaId of due) {
      try {
        await syncTemplates(deps, wabaId);
      } catch (err) {
        deps.logger.warn({ err, wabaId }, 'template catalogue sync failed; retried on the next tick');
      }
    }
  };
  const run = () => void tick().catch((err: unknown) => deps.logger.warn({ err }, 'template sync tick failed'));
  run();
  const timer = setInterval(run, TICK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
