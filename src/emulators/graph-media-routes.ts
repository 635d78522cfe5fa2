/**
 * The Graph emulator's media routes: upload (multipart), media info, delete and the authenticated download
 * (reference/whatsapp.md §3.3).
 */
import type { IncomingMessage } from 'node:http';
import { buildGraphErrorBody, type GraphErrorSpec, graphErrors } from './graph-errors';
import type { RouteResult } from './graph-http';
import { findUploadProblem, type MediaStore } from './graph-media-store';

export interface MediaRouteContext {
  media: MediaStore;
  baseUrl: string;
  nowMs(): number;
  onUploaded(): void;
  onDownloaded(): void;
}

const errorResult = (spec: GraphErrorSpec): RouteResult => ({ status: spec.httpStatus, json: buildGraphErrorBody(spec) });

/** Parses the multipart body with the platform's own FormData parser (no extra dependency). */
async function parseMultipart(raw: Buffer, contentType: string): Promise<FormData | undefined> {
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) return undefined;
  try {
    return await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
}

export async function handleMediaUpload(ctx: MediaRouteContext, phoneNumberId: string, req: IncomingMessage, raw: Buffer): Promise<RouteResult> {
  const form = await parseMultipart(raw, req.headers['content-type'] ?? '');
  if (!form) return errorResult(graphErrors.invalidParameter('Media upload must be a multipart/form-data body.'));
  if (form.get('messaging_product') !== 'whatsapp') {
    return errorResult(graphErrors.invalidParameter('The parameter messaging_product is required and must be "whatsapp".'));
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string') return errorResult(graphErrors.invalidParameter('The parameter file is required.'));
  const typeField = form.get('type');
  const mimeType = typeof typeField === 'string' && typeField.trim() !== '' ? typeField.trim() : file.type;
  const data = Buffer.from(await file.arrayBuffer());
  const problem = findUploadProblem(mimeType, data);
  if (problem) return errorResult(graphErrors.mediaUpload(problem));
  const stored = ctx.media.add({ data, mimeType, filename: file.name || undefined, phoneNumberId, origin: 'upload' }, ctx.nowMs());
  ctx.onUploaded();
  return { status: 200, json: { id: stored.id } };
}

/** `file_size` as a string, the form Meta's docs show (reference/whatsapp.md §3.3). */
export function handleMediaGet(ctx: MediaRouteContext, mediaId: string): RouteResult {
  const stored = ctx.media.find(mediaId, ctx.nowMs());
  if (!stored) return errorResult(graphErrors.unknownObject('get', mediaId));
  return {
    status: 200,
    json: {
      messaging_product: 'whatsapp',
      url: ctx.media.buildDownloadUrl(ctx.baseUrl, stored.id, ctx.nowMs()),
      mime_type: stored.mimeType,
      sha256: stored.sha256,
      file_size: String(stored.fileSize),
      id: stored.id,
    },
  };
}

export function handleMediaDelete(ctx: MediaRouteContext, mediaId: string): RouteResult {
  return ctx.media.delete(mediaId) ? { status: 200, json: { success: true } } : errorResult(graphErrors.unknownObject('delete', mediaId));
}

/** A failed download answers 404, whether the URL expired or never existed (reference/whatsapp.md §3.3). */
export function handleMediaDownload(ctx: MediaRouteContext, query: URLSearchParams): RouteResult {
  const stored = ctx.media.resolveDownload(query, ctx.nowMs());
  if (stored === 'expired' || stored === 'invalid') {
    const text = stored === 'expired' ? 'URL signature expired' : 'Not Found';
    return { status: 404, bytes: { data: Buffer.from(text), contentType: 'text/plain' } };
  }
  ctx.onDownloaded();
  return { status: 200, bytes: { data: stored.data, contentType: stored.mimeType } };
}
