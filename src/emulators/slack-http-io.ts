import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackParams } from './slack-types';

/** Reading Slack Web API requests the way they arrive on the wire, and writing answers (slack.md §1.4). */

/** Fields @slack/web-api JSON-stringifies into form values because they are not strings (slack.md §1.4). */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'files', 'view', 'unfurls', 'user_auth_blocks']);

const MAX_BODY_BYTES = 50 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface ParsedApiBody {
  raw: Record<string, unknown>;
  params: SlackParams;
}

/** Form bodies: every value a string, JSON fields parsed. JSON bodies: taken as they are. */
export function parseApiBody(contentType: string, body: Buffer): ParsedApiBody {
  const text = body.toString('utf8');
  if (contentType.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = {};
    }
    const raw = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    return { raw, params: { ...raw } };
  }
  const raw: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) raw[key] = value;
  const params: SlackParams = { ...raw };
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (!JSON_FIELDS.has(key) || value === undefined) continue;
    try {
      params[key] = JSON.parse(value);
    } catch {
      params[key] = value;
    }
  }
  return { raw, params };
}

/** The raw bytes of an upload: the body itself, or the first file part of a multipart body. */
export async function extractUploadBytes(contentType: string, body: Buffer): Promise<Buffer> {
  if (!contentType.startsWith('multipart/form-data')) return body;
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  const first = form.values().next();
  return Buffer.from(typeof first.value === 'string' ? first.value : '');
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Param readers: Slack takes booleans as 'true'/'1' and numbers as strings on the wire. */
export function stringParam(params: SlackParams, key: string): string | undefined {
  const value = params[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function boolParam(params: SlackParams, key: string): boolean {
  const value = params[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function intParam(params: SlackParams, key: string): number | undefined {
  const value = params[key];
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isInteger(n) ? n : undefined;
}
