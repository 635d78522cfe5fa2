import WebSocket from 'ws';
import type { SocketEnvelope } from '../../src/emulators/slack-socket-hub';
import { callSlackApi } from './slack-api-call';
import { waitFor } from './wait';

/**
 * A bare Socket Mode app for the emulator's tests: opens a connection the way @slack/socket-mode does
 * (apps.connections.open with the app-level token, then the WebSocket), records every message and acks
 * envelopes with whatever `answerWith` says.
 */

/** The ack payload for an envelope, or 'no-ack' to leave it unacknowledged. */
export type SocketAnswer = (envelope: SocketEnvelope) => Record<string, unknown> | undefined | 'no-ack';

export interface SocketModeTestApp {
  ws: WebSocket;
  /** Every JSON message the emulator sent, in order (hello first). */
  messages: Record<string, unknown>[];
  envelopes(): SocketEnvelope[];
  answerWith(answer: SocketAnswer): void;
  close(): Promise<void>;
}

export async function openSocketUrl(apiUrl: string, appToken: string): Promise<string> {
  const opened = await callSlackApi(apiUrl, 'apps.connections.open', {}, { token: appToken });
  if (opened.body.ok !== true || typeof opened.body.url !== 'string') throw new Error(`apps.connections.open: ${JSON.stringify(opened.body)}`);
  return opened.body.url;
}

/** Resolves once the WebSocket is open; rejects with the HTTP status when the upgrade is refused. */
export function openWebSocket(url: string, onMessage?: (data: WebSocket.RawData) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    // Listening before 'open': the emulator's hello can arrive together with the upgrade answer.
    if (onMessage) ws.on('message', onMessage);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

export async function connectSocketModeApp(apiUrl: string, appToken: string): Promise<SocketModeTestApp> {
  const messages: Record<string, unknown>[] = [];
  let answer: SocketAnswer = () => undefined;
  const ws: WebSocket = await openWebSocket(await openSocketUrl(apiUrl, appToken), (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    messages.push(message);
    if (typeof message.envelope_id !== 'string') return;
    const payload = answer(message as unknown as SocketEnvelope);
    if (payload === 'no-ack') return;
    ws.send(JSON.stringify({ envelope_id: message.envelope_id, ...(payload ? { payload } : {}) }));
  });
  await waitFor('hello', () => messages.some((m) => m.type === 'hello'));
  return {
    ws,
    messages,
    envelopes: () => messages.filter((m) => typeof m.envelope_id === 'string') as unknown as SocketEnvelope[],
    answerWith: (next) => {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close(1000);
      }),
  };
}
