import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { Logger } from '../logger';
import { boltLogger } from './bolt-logger';
import { explainSocketStartError } from './socket-start-errors';

/**
 * Bolt's receiver for Socket Mode (slack.md §9.5), written for one guarantee Bolt's own SocketModeReceiver does not
 * give: nothing is acknowledged before it is durable. Bolt acks an Events API envelope before its listeners run
 * (slack.md §2.1), and SocketModeReceiver (bolt 5.1.0) has no processBeforeResponse: its ack goes out over the
 * socket at once. Here ack() only stores the answer; the envelope is acknowledged when processEvent has finished,
 * i.e. after the listener's database write, which is what ExpressReceiver's processBeforeResponse does over HTTP.
 * An envelope whose processing throws is not acknowledged, so Slack delivers it again with retry_attempt (the
 * HTTP path's 500).
 */

/** One envelope as @slack/socket-mode emits it on 'slack_event' (SocketModeClient.onWebSocketMessage). */
interface SocketEnvelopeEvent {
  ack(response?: Record<string, unknown>): Promise<void>;
  envelope_id?: string;
  type?: string;
  body?: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

/** Slack waits 3 s for an ack before it counts the delivery as failed (slack.md §2.1). */
const ACK_DEADLINE_MS = 3_000;

/** Delay before reconnect attempt n (0-based): at once after a clean drop, then backing off to 30 s. */
function reconnectDelayMs(failures: number): number {
  return failures === 0 ? 0 : Math.min(30_000, 1_000 * 2 ** (failures - 1));
}

export class DurableSocketModeReceiver implements Receiver {
  private app: App | undefined;
  private readonly client: SocketModeClient;
  private readonly log: Logger;
  private readonly inFlight = new Set<Promise<void>>();
  private connected = false;
  private stopping = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(options: { appToken: string; slackApiUrl: string; logger: Logger }) {
    this.log = options.logger.child({ component: 'socket-mode' });
    this.client = new SocketModeClient({
      appToken: options.appToken,
      logger: boltLogger(options.logger),
      // The client's own reconnect loop retries not_allowed_token_type forever (socket-mode 3.1.0 lists only
      // not_authed, invalid_auth, account_inactive, user_removed_from_team and team_disabled as unrecoverable), so
      // a wrong token would never fail the start. We start once, fail clearly, and reconnect ourselves afterwards.
      autoReconnectEnabled: false,
      // apps.connections.open goes to the same API base as every other call (emulators, proxies). Retrying it is
      // safe (it only hands out a URL), unlike chat.postMessage; a few tries ride out a blip, then start fails.
      clientOptions: { slackApiUrl: options.slackApiUrl, retryConfig: { retries: 3, factor: 2 } },
    });
    this.client.on('slack_event', (envelope: SocketEnvelopeEvent) => this.track(this.processEnvelope(envelope)));
    this.client.on('disconnected', () => this.scheduleReconnect());
  }

  init(app: App): void {
    this.app = app;
  }

  /** Opens the WebSocket: resolves after Slack's hello; a refused token fails with what to check. */
  async start(): Promise<void> {
    this.stopping = false;
    try {
      await this.client.start();
    } catch (err) {
      throw explainSocketStartError(err);
    }
    this.connected = true;
    this.log.info('Socket Mode connected');
  }

  /**
   * Envelopes already being processed finish and are acknowledged (for as long as Slack would wait for them), then
   * the socket closes.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    let timer: NodeJS.Timeout | undefined;
    const slackGivesUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ACK_DEADLINE_MS);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), slackGivesUp]);
    clearTimeout(timer);
    this.connected = false;
    await this.client.disconnect();
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async processEnvelope(envelope: SocketEnvelopeEvent): Promise<void> {
    const { body, envelope_id: envelopeId } = envelope;
    // Shutting down: leave it unacknowledged, Slack delivers it again once a connection is back.
    if (!this.app || this.stopping || !envelopeId || typeof body !== 'object' || body === null) return;
    let acked = false;
    let answer: Record<string, unknown> | undefined;
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        answer = typeof response === 'string' ? { text: response } : (response as Record<string, unknown> | undefined);
      },
      ...(envelope.retry_num !== undefined ? { retryNum: envelope.retry_num } : {}),
      ...(envelope.retry_reason ? { retryReason: envelope.retry_reason } : {}),
    };
    try {
      await this.app.processEvent(event);
    } catch (err) {
      this.log.error({ err, envelopeId, type: envelope.type }, 'Socket Mode envelope failed; not acknowledged, Slack will deliver it again');
      return;
    }
    if (!acked) {
      this.log.warn({ envelopeId, type: envelope.type }, 'no listener acknowledged a Socket Mode envelope');
      return;
    }
    try {
      await envelope.ack(answer);
    } catch (err) {
      this.log.warn({ err, envelopeId }, 'Socket Mode ack could not be sent; Slack will deliver the envelope again');
    }
  }

  /** After a drop (Slack's `disconnect` refresh, a network blip): a new apps.connections.open and socket. */
  private scheduleReconnect(): void {
    if (!this.connected || this.stopping || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopping) return;
      this.client.start().then(
        () => {
          this.failures = 0;
          // stop() ran while this connection was being opened: it found no socket to close, so close this one.
          if (this.stopping) return void this.client.disconnect();
          this.log.info('Socket Mode reconnected');
        },
        (err: unknown) => {
          this.failures += 1;
          this.log.error({ err: explainSocketStartError(err), attempt: this.failures }, 'Socket Mode reconnect failed');
          this.scheduleReconnect();
        },
      );
    }, reconnectDelayMs(this.failures));
    this.reconnectTimer.unref();
  }
}
