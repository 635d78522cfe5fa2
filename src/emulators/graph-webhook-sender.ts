/**
 * Posts the emulator's signed webhooks to the app and keeps a record of each delivery, so tests can assert on
 * them or replay one (Meta delivers at least once, reference/whatsapp.md §1.3). Scheduled chains (sent →
 * delivered → read) run one step after another and can be awaited with flush().
 */
import { type PostedWebhook, postWebhook } from './whatsapp-webhooks';

export interface WebhookDelivery {
  kind: 'message' | 'status' | 'template_status';
  url: string;
  rawBody: string;
  payload: object;
  status?: number | undefined;
  error?: string | undefined;
  at: Date;
}

export interface WebhookTarget {
  url: string | undefined;
  appSecret: string;
}

export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly waiting = new Map<NodeJS.Timeout, () => void>();
  private readonly aborter = new AbortController();
  private closed = false;

  constructor(
    private readonly target: () => WebhookTarget,
    private readonly now: () => Date,
    private readonly onDelivered: (delivery: WebhookDelivery) => void,
  ) {}

  hasTarget(): boolean {
    return this.target().url !== undefined;
  }

  async post(payload: object, kind: WebhookDelivery['kind']): Promise<PostedWebhook> {
    const { url, appSecret } = this.target();
    if (!url) throw new Error('The Graph emulator has no webhookUrl: set emulator.webhookUrl to the app’s /webhooks/whatsapp URL.');
    const delivery: WebhookDelivery = { kind, url, rawBody: '', payload, at: this.now() };
    this.deliveries.push(delivery);
    try {
      const posted = await postWebhook(url, payload, appSecret, { signal: this.aborter.signal });
      delivery.rawBody = posted.rawBody;
      delivery.status = posted.status;
      return posted;
    } catch (err) {
      delivery.error = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      this.onDelivered(delivery);
    }
  }

  /** Posts each payload `delayMs` after the previous one finished; failures are recorded, not thrown. */
  schedule(steps: { delayMs: number; payload: () => object }[], kind: WebhookDelivery['kind']): void {
    if (this.closed || steps.length === 0) return;
    const chain = (async () => {
      for (const step of steps) {
        await this.wait(step.delayMs);
        if (this.closed) return;
        await this.post(step.payload(), kind).catch(() => undefined);
      }
    })();
    this.pending.add(chain);
    void chain.finally(() => this.pending.delete(chain));
  }

  /** Resolves once every scheduled webhook has been posted (or has failed). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  close(): void {
    this.closed = true;
    this.aborter.abort();
    for (const [timer, resolve] of this.waiting) {
      clearTimeout(timer);
      resolve();
    }
    this.waiting.clear();
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(timer);
        resolve();
      }, ms);
      this.waiting.set(timer, resolve);
    });
  }
}
