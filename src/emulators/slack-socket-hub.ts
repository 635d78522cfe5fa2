import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';

/**
 * Slack's Socket Mode server side (slack.md §9.5): the WebSocket URLs apps.connections.open hands out, `hello` on
 * connect, envelopes out and acks back matched by envelope_id, pings, and `disconnect` to make the app reconnect.
 * It lives on the emulator's HTTP server (the `upgrade` event), at `/socket?ticket=…`.
 */

export const SOCKET_PATH = '/socket';

export interface SocketEnvelope {
  envelope_id: string;
  type: 'events_api' | 'interactive' | 'slash_commands';
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** What the app sends back: the envelope id, and for commands and view submissions the response payload. */
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

export interface SocketHubOptions {
  appId: string;
  /** `http://127.0.0.1:PORT`, known once the HTTP server listens. */
  baseUrl(): string;
  pingIntervalMs: number;
  ackTimeoutMs: number;
}

interface Connection {
  ws: WebSocket;
  /** Told to disconnect: no new envelopes go to it (Slack's `disconnect` warning). */
  draining: boolean;
}

interface PendingAck {
  connection: Connection;
  timer: NodeJS.Timeout;
  resolve(ack: SocketAck): void;
  reject(error: Error): void;
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function parseMessage(data: RawData): Record<string, unknown> | undefined {
  try {
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class SocketModeHub {
  /** Every JSON message the app sent over its sockets (acks included), oldest first. */
  readonly received: Record<string, unknown>[] = [];
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly connections: Connection[] = [];
  private readonly pending = new Map<string, PendingAck>();

  constructor(private readonly options: SocketHubOptions) {}

  /** A one-time URL for apps.connections.open: the ticket is spent by the connection that uses it. */
  issueUrl(): string {
    const ticket = randomBytes(16).toString('hex');
    this.tickets.add(ticket);
    const base = this.options.baseUrl().replace(/^http/, 'ws');
    return `${base}${SOCKET_PATH}?ticket=${ticket}&app_id=${this.options.appId}`;
  }

  /** Open connections that take new envelopes (not told to disconnect). */
  liveConnectionCount(): number {
    return this.liveConnections().length;
  }

  isConnected(): boolean {
    return this.liveConnections().length > 0;
  }

  /** The HTTP server's `upgrade` event: only `/socket` with an unspent ticket becomes a WebSocket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== SOCKET_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    const ticket = url.searchParams.get('ticket');
    if (!ticket || !this.tickets.delete(ticket)) return refuseUpgrade(socket, 401, 'Unauthorized');
    this.server.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** Sends the envelope on the newest connection and resolves with the app's ack (rejects on timeout or close). */
  deliver(envelope: SocketEnvelope): Promise<SocketAck> {
    const connection = this.liveConnections().at(-1);
    if (!connection) return Promise.reject(new Error('no Socket Mode connection is open'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.envelope_id);
        reject(new Error(`no ack for envelope ${envelope.envelope_id} within ${this.options.ackTimeoutMs} ms`));
      }, this.options.ackTimeoutMs);
      this.pending.set(envelope.envelope_id, { connection, timer, resolve, reject });
      connection.ws.send(JSON.stringify(envelope));
    });
  }

  /** Slack's `disconnect` message ('warning', 'refresh_requested', …): the app is expected to reconnect. */
  sendDisconnect(reason = 'refresh_requested'): void {
    for (const connection of this.connections.filter((c) => !c.draining)) {
      connection.draining = true;
      connection.ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-emulator' } }));
    }
  }

  /** Back to the start: records and unspent tickets dropped; open connections stay (the app keeps its socket). */
  reset(): void {
    this.received.length = 0;
    this.tickets.clear();
  }

  close(): void {
    for (const [id, pending] of this.pending) this.settle(id, pending, new Error('the Slack emulator closed'));
    for (const connection of [...this.connections]) connection.ws.terminate();
    this.server.close();
  }

  private liveConnections(): Connection[] {
    return this.connections.filter((c) => !c.draining && c.ws.readyState === c.ws.OPEN);
  }

  private accept(ws: WebSocket): void {
    const connection: Connection = { ws, draining: false };
    this.connections.push(connection);
    const pinger = this.options.pingIntervalMs > 0 ? setInterval(() => ws.ping(), this.options.pingIntervalMs) : undefined;
    pinger?.unref();
    ws.on('message', (data) => this.receive(data));
    // A broken socket also emits 'close', where the cleanup happens.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearInterval(pinger);
      this.connections.splice(this.connections.indexOf(connection), 1);
      for (const [id, pending] of this.pending) {
        if (pending.connection === connection) this.settle(id, pending, new Error(`the Socket Mode connection closed before envelope ${id} was acknowledged`));
      }
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections.length,
        debug_info: { host: 'applink-emulator', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: this.options.appId },
      }),
    );
  }

  private receive(data: RawData): void {
    const message = parseMessage(data);
    if (!message) return;
    this.received.push(message);
    const id = message.envelope_id;
    const pending = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (typeof id !== 'string' || !pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(id);
    pending.resolve({ envelope_id: id, ...('payload' in message ? { payload: message.payload } : {}) });
  }

  private settle(id: string, pending: PendingAck, error: Error): void {
    clearTimeout(pending.timer);
    this.pending.delete(id);
    pending.reject(error);
  }
}
