import type express from 'express';

/**
 * Server-sent events for the playground page: whenever an emulator reports activity, every open page gets the new
 * state (coalesced: a burst of calls becomes one update). SSE rather than a WebSocket: one direction is all the
 * page needs, and the browser reconnects on its own.
 */

const COALESCE_MS = 40;
const HEARTBEAT_MS = 20_000;

export class LiveUpdates {
  private readonly clients = new Set<express.Response>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly snapshot: () => unknown) {}

  /** Something changed; the pages hear of it shortly, once. */
  changed(): void {
    if (this.timer || this.closed || this.clients.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.broadcast();
    }, COALESCE_MS);
    this.timer.unref();
  }

  subscribe(req: express.Request, res: express.Response): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    this.clients.add(res);
    this.send(res);
    this.heartbeat ??= setInterval(() => {
      for (const client of this.clients) client.write(': still here\n\n');
    }, HEARTBEAT_MS).unref();
    req.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0 && this.heartbeat) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
      }
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private broadcast(): void {
    const data = `event: state\ndata: ${JSON.stringify(this.snapshot())}\n\n`;
    for (const client of this.clients) client.write(data);
  }

  private send(res: express.Response): void {
    res.write(`event: state\ndata: ${JSON.stringify(this.snapshot())}\n\n`);
  }
}
