/**
 * The small HTTP pieces the Graph emulator needs on top of node:http: reading a bounded body, answering, and
 * recognising its routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route produces before it is written, so a fault can still replace the answer after the effect. */
export interface RouteResult {
  status: number;
  json?: unknown;
  bytes?: { data: Buffer; contentType: string };
}

export type GraphRoute =
  | { name: 'messages'; version: string; phoneNumberId: string }
  | { name: 'media_upload'; version: string; phoneNumberId: string }
  | { name: 'media_get'; version: string; mediaId: string }
  | { name: 'media_delete'; version: string; mediaId: string }
  | { name: 'message_templates'; version: string; wabaId: string }
  | { name: 'media_download' }
  | { name: 'debug_token'; version: string }
  | { name: 'phone_number_get'; version: string; phoneNumberId: string }
  | { name: 'subscribed_apps'; version: string; wabaId: string }
  | { name: 'app_subscriptions'; version: string; appId: string }
  | { name: 'unknown' };

/** The emulator's download path, in the style of Meta's lookaside host (reference/whatsapp.md §3.3). */
export const DOWNLOAD_PATH = '/whatsapp_business/attachments/';

const VERSION = String.raw`v\d+\.\d+`;
const ID = String.raw`[A-Za-z0-9_.]+`;

/** `isBusinessNumber` tells a phone number's node from a media node: both are GET /<version>/<id>. */
export function matchGraphRoute(method: string, pathname: string, isBusinessNumber: (id: string) => boolean = () => false): GraphRoute {
  if (method === 'GET' && pathname === DOWNLOAD_PATH) return { name: 'media_download' };
  const node = new RegExp(`^/(${VERSION})/(${ID})(?:/(messages|media|message_templates|subscribed_apps|subscriptions))?/?$`).exec(pathname);
  if (!node) return { name: 'unknown' };
  const [, version = '', id = '', edge] = node;
  if (method === 'GET' && id === 'debug_token' && edge === undefined) return { name: 'debug_token', version };
  if (method === 'GET' && edge === 'subscribed_apps') return { name: 'subscribed_apps', version, wabaId: id };
  if (method === 'GET' && edge === 'subscriptions') return { name: 'app_subscriptions', version, appId: id };
  if (method === 'GET' && edge === undefined && isBusinessNumber(id)) return { name: 'phone_number_get', version, phoneNumberId: id };
  if (method === 'POST' && edge === 'messages') return { name: 'messages', version, phoneNumberId: id };
  if (method === 'POST' && edge === 'media') return { name: 'media_upload', version, phoneNumberId: id };
  if (method === 'GET' && edge === 'message_templates') return { name: 'message_templates', version, wabaId: id };
  if (method === 'GET' && edge === undefined) return { name: 'media_get', version, mediaId: id };
  if (method === 'DELETE' && edge === undefined) return { name: 'media_delete', version, mediaId: id };
  return { name: 'unknown' };
}

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > maxBytes) throw new BodyTooLargeError(`request body over ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function writeResult(res: ServerResponse, result: RouteResult): void {
  if (res.destroyed || res.writableEnded) return;
  if (result.bytes) {
    res.writeHead(result.status, {
      'content-type': result.bytes.contentType,
      'content-length': String(result.bytes.data.length),
    });
    res.end(result.bytes.data);
    return;
  }
  const body = JSON.stringify(result.json ?? {});
  res.writeHead(result.status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

export function parseJsonObject(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
