import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { appsHandlers, findTokenRefusal } from './slack-api-apps';
import { chatHandlers } from './slack-api-chat';
import { conversationHandlers } from './slack-api-conversations';
import { memberHandlers } from './slack-api-members';
import { fileHandlers, receiveUploadBytes, type RouteAnswer, serveFileDownload } from './slack-api-files';
import { viewHandlers } from './slack-api-views';
import type { ApiHandler, EmulatorCore } from './slack-emulator-core';
import type { FaultRegistry } from './slack-faults';
import { FILES_PATH_PREFIX, UPLOAD_PATH_PREFIX } from './slack-file-store';
import { bearerToken, parseApiBody, readBody, sendJson, sendText, stringParam } from './slack-http-io';
import { RESPONSE_PATH_PREFIX } from './slack-response-urls';
import type { FaultSpec, RecordedCall } from './slack-types';

/**
 * The emulator's HTTP side: `/api/<method>` like slack.com/api (slack.md §1.4), the upload URL, the private file
 * download route, response_url endpoints and the Socket Mode WebSocket upgrade. Faults and rate limits are applied
 * here, around the handlers.
 */

export const UPLOAD_BYTES_METHOD = 'files.upload_bytes';
export const DOWNLOAD_METHOD = 'files.download';

const handlers: Record<string, ApiHandler> = { ...appsHandlers, ...chatHandlers, ...conversationHandlers, ...memberHandlers, ...fileHandlers, ...viewHandlers };

export interface SlackHttpServer {
  port: number;
  close(): Promise<void>;
}

export async function startSlackHttpServer(core: EmulatorCore, faults: FaultRegistry, port: number): Promise<SlackHttpServer> {
  const sockets = new Set<Socket>();
  const heldTimers = new Set<NodeJS.Timeout>();

  /** Answers as the fault says; `deliver` sends the real answer (used when the fault comes after the effect). */
  const applyFault = (fault: FaultSpec, req: IncomingMessage, res: ServerResponse, deliver: () => void): void => {
    switch (fault.kind) {
      case 'http_429':
        sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfterSec ?? 1) });
        return;
      case 'http_500':
        sendText(res, 500, 'Internal Server Error');
        return;
      case 'http_503':
        sendText(res, 503, 'Service Unavailable');
        return;
      case 'ok_false':
        sendJson(res, 200, { ok: false, error: fault.error ?? 'internal_error' });
        return;
      case 'timeout': {
        const timer = setTimeout(() => {
          heldTimers.delete(timer);
          if (fault.afterEffect) deliver();
          else req.socket.destroy();
        }, fault.delayMs ?? 30_000);
        heldTimers.add(timer);
        return;
      }
      case 'reset':
        req.socket.destroy();
        return;
      default:
        fault.kind satisfies never;
    }
  };

  /** Shared by the API and the file routes: fault before or after the effect, and the call record. */
  const runWithFaults = async (
    call: RecordedCall,
    req: IncomingMessage,
    res: ServerResponse,
    effect: () => Promise<{ status: number; send: () => void; response?: unknown }>,
  ): Promise<void> => {
    const channel = call.params.channel ?? call.params.channel_id;
    const fault = faults.take(call.method, typeof channel === 'string' ? channel : undefined);
    if (fault) call.fault = fault.kind;
    if (fault && !fault.afterEffect) {
      applyFault(fault, req, res, () => undefined);
      return;
    }
    const outcome = await effect();
    call.status = outcome.status;
    call.response = outcome.response;
    if (fault) applyFault(fault, req, res, outcome.send);
    else outcome.send();
  };

  const recordCall = (method: string, req: IncomingMessage, parsed: { raw: Record<string, unknown>; params: Record<string, unknown> }): RecordedCall => {
    const call: RecordedCall = {
      method,
      params: parsed.params,
      raw: parsed.raw,
      contentType: req.headers['content-type'] ?? '',
      token: bearerToken(req) ?? stringParam(parsed.params, 'token'),
      at: core.workspace.clock.now(),
    };
    core.calls.push(call);
    return call;
  };

  const handleApi = async (method: string, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> => {
    const body = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const parsed = req.method === 'GET' ? parseApiBody('', Buffer.from(query.toString())) : parseApiBody(contentType, body);
    const call = recordCall(method, req, parsed);
    await runWithFaults(call, req, res, async () => {
      // Slack names the token's scopes on every answer to a valid bot token (read by `threadline doctor`).
      const scopes: Record<string, string> = call.token === core.token ? { 'x-oauth-scopes': core.grantedScopes.join(',') } : {};
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => ({
        status,
        response: json,
        send: () => sendJson(res, status, json, { ...scopes, ...headers }),
      });
      const handler = handlers[method];
      if (!handler) return answer(200, { ok: false, error: 'unknown_method' });
      const refusal = findTokenRefusal(core, method, call.token);
      if (refusal) return answer(200, { ok: false, error: refusal });
      const retryAfterSec = core.rateLimiter.check(method, parsed.params);
      if (retryAfterSec !== undefined) return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfterSec) });
      return answer(200, handler(core, parsed.params));
    });
  };

  const handleRoute = async (method: string, req: IncomingMessage, res: ServerResponse, route: (body: Buffer) => Promise<RouteAnswer> | RouteAnswer): Promise<void> => {
    const body = await readBody(req);
    const call = recordCall(method, req, { raw: {}, params: { path: req.url ?? '', length: body.length } });
    await runWithFaults(call, req, res, async () => {
      const routeAnswer = await route(body);
      return {
        status: routeAnswer.status,
        send: () => {
          if (res.headersSent || res.destroyed) return;
          res.writeHead(routeAnswer.status, { 'content-type': routeAnswer.contentType, 'content-length': Buffer.byteLength(routeAnswer.body) });
          res.end(routeAnswer.body);
        },
      };
    });
  };

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const contentType = req.headers['content-type'] ?? '';
    if (path.startsWith('/api/') && (req.method === 'POST' || req.method === 'GET')) {
      return handleApi(decodeURIComponent(path.slice('/api/'.length)), req, res, url.searchParams);
    }
    if (path.startsWith(UPLOAD_PATH_PREFIX) && req.method === 'POST') {
      const fileId = path.slice(UPLOAD_PATH_PREFIX.length);
      return handleRoute(UPLOAD_BYTES_METHOD, req, res, (body) => receiveUploadBytes(core, fileId, contentType, body));
    }
    if (path.startsWith(FILES_PATH_PREFIX) && req.method === 'GET') {
      return handleRoute(DOWNLOAD_METHOD, req, res, () => serveFileDownload(core, path, bearerToken(req)));
    }
    if (path.startsWith(RESPONSE_PATH_PREFIX) && req.method === 'POST') {
      const id = path.slice(RESPONSE_PATH_PREFIX.length);
      const body = await readBody(req);
      const answer = core.responseUrls.receive(core, id, `${core.baseUrl()}${path}`, contentType, body);
      return sendText(res, answer.status, answer.body.toString(), answer.contentType);
    }
    sendText(res, 404, 'Not Found');
  };

  const server: Server = createServer((req, res) => {
    res.once('close', () => core.notify());
    dispatch(req, res).catch((error: unknown) => {
      sendJson(res, 500, { ok: false, error: 'emulator_error', detail: error instanceof Error ? error.message : String(error) });
    });
  });
  // Socket Mode's WebSocket shares this server, as `/socket` (slack-socket-hub.ts).
  server.on('upgrade', (req, socket, head) => core.socket.handleUpgrade(req, socket, head));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('emulator server has no port');

  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        core.socket.close();
        for (const timer of heldTimers) clearTimeout(timer);
        heldTimers.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
