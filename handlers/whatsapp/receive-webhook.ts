import type { RequestHandler } from 'express';
import type { Deps } from '../../src/deps';
import { INBOX_WORK } from '../../src/queue/work-queue';
import { noteTemplateWebhook } from '../../src/services/template-catalogue';
import { verifyMetaSignature } from '../../src/whatsapp/signature';

/**
 * POST /webhooks/whatsapp: signature over the raw bytes (401), JSON (400), the POST stored in Postgres before the
 * 200 (DESIGN §3; group-committed with concurrent requests), 503 when the database cannot take it so Meta retries.
 * The inbox processor is signalled after the answer and ingests it.
 */
export function createReceiveWebhookHandler(deps: Deps): RequestHandler {
  return (req, res) => {
    const started = process.hrtime.bigint();
    const answer = (status: number, body: string) => {
      res.status(status).type('text/plain').send(body);
      deps.metrics.webhooks.inc({ status: String(status) });
      deps.metrics.webhookAckSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    };
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifyMetaSignature(raw, req.get('x-hub-signature-256'), deps.config.whatsapp.appSecret)) {
      deps.logger.warn({ bytes: raw.length }, 'WhatsApp webhook with a missing or wrong signature refused');
      answer(401, 'invalid signature');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      answer(400, 'malformed JSON');
      return;
    }
    // The bytes themselves are stored, not a decoded string: invalid UTF-8 or a NUL must survive exactly (pg-safe.ts).
    deps.inbox.write(raw).then(
      () => {
        answer(200, 'EVENT_RECEIVED');
        deps.queue.signal(INBOX_WORK).catch((err: unknown) => deps.logger.warn({ err }, 'inbox signal failed; the sweeper will pick it up'));
        // After the answer, never before it: which WABA each number belongs to, and template status changes.
        deps.background.run('template webhook', () => noteTemplateWebhook(deps, json));
      },
      (err: unknown) => {
        deps.logger.error({ err }, 'webhook not stored; answering 503 so Meta retries');
        answer(503, 'temporarily unavailable');
      },
    );
  };
}
