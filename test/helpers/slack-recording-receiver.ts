import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** A stand-in for our app's `/slack/events`: records the exact bytes and headers that arrive, answers as told. */

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export interface RecordingReceiver {
  url: string;
  received: ReceivedRequest[];
  /** What the next requests are answered with (default: 200, empty body). */
  answerWith(answer: { status: number; json?: unknown }): void;
  close(): Promise<void>;
}

export async function startRecordingReceiver(): Promise<RecordingReceiver> {
  const received: ReceivedRequest[] = [];
  let answer: { status: number; json?: unknown } = { status: 200 };
  const app = express();
  app.post('/slack/events', express.raw({ type: '*/*' }), (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    received.push({ path: req.path, headers: req.headers, rawBody: body.toString('utf8') });
    if (answer.json === undefined) res.status(answer.status).end();
    else res.status(answer.status).json(answer.json);
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerWith: (next) => {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The parsed `payload` field of an interactivity request. */
export function parseInteractionPayload(request: ReceivedRequest): Record<string, unknown> {
  const payload = new URLSearchParams(request.rawBody).get('payload');
  if (payload === null) throw new Error('no payload field in the request');
  return JSON.parse(payload) as Record<string, unknown>;
}
