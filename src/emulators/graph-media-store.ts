/**
 * The Graph emulator's media: uploads checked against Meta's type and size limits, media info, and download URLs
 * that expire after 5 minutes like Meta's (reference/whatsapp.md §3.3).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DOWNLOAD_PATH } from './graph-http';

export type MediaCategory = 'audio' | 'document' | 'image' | 'sticker' | 'video';

const MB = 1024 * 1024;
const KB = 1024;

/** Accepted MIME types and size caps per category (reference/whatsapp.md §3.3). */
const MEDIA_RULES: Record<MediaCategory, { mimeTypes: readonly string[]; maxBytes: number }> = {
  audio: { mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * MB },
  document: {
    mimeTypes: [
      'text/plain',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      'application/pdf',
    ],
    maxBytes: 100 * MB,
  },
  image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  sticker: { mimeTypes: ['image/webp'], maxBytes: 500 * KB },
  video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
};

/** Static stickers are capped at 100 KB, animated ones at 500 KB (reference/whatsapp.md §3.3). */
const STATIC_STICKER_MAX_BYTES = 100 * KB;
/** Download URLs expire after 5 minutes (reference/whatsapp.md §3.3). */
export const MEDIA_URL_TTL_MS = 5 * 60 * 1000;
/** Uploads persist 30 days; media ids from webhooks download for 7 days (reference/whatsapp.md §3.3). */
const UPLOADED_MEDIA_TTL_MS = 30 * 24 * 3600 * 1000;
const INBOUND_MEDIA_TTL_MS = 7 * 24 * 3600 * 1000;

export function baseMimeType(mimeType: string): string {
  return mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
}

export function categoryOfMimeType(mimeType: string): MediaCategory | undefined {
  const base = baseMimeType(mimeType);
  return (Object.keys(MEDIA_RULES) as MediaCategory[]).find((c) => MEDIA_RULES[c].mimeTypes.includes(base));
}

/** Only the formats whose magic bytes are unambiguous; anything else is taken at its word. */
function sniffMimeFamily(data: Buffer): readonly string[] | undefined {
  const ascii = (start: number, end: number) => data.subarray(start, end).toString('latin1');
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return ['image/jpeg'];
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return ['image/png'];
  if (ascii(0, 5) === '%PDF-') return ['application/pdf'];
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return ['image/webp'];
  if (ascii(0, 4) === 'OggS') return ['audio/ogg'];
  if (ascii(4, 8) === 'ftyp') return ['video/mp4', 'video/3gpp', 'audio/mp4'];
  return undefined;
}

function isAnimatedWebp(data: Buffer): boolean {
  return data.subarray(0, 64).includes('ANIM', 0, 'latin1');
}

/** Why Meta would refuse this upload (131053), or undefined when it is acceptable. */
export function findUploadProblem(mimeType: string, data: Buffer): string | undefined {
  const category = categoryOfMimeType(mimeType);
  if (!category) return `Param file must be a file with one of the supported media types; got ${baseMimeType(mimeType) || 'none'}.`;
  const sniffed = sniffMimeFamily(data);
  if (sniffed && !sniffed.includes(baseMimeType(mimeType))) {
    return `Media file content does not match the declared MIME type ${baseMimeType(mimeType)}.`;
  }
  const max = category === 'sticker' && !isAnimatedWebp(data) ? STATIC_STICKER_MAX_BYTES : MEDIA_RULES[category].maxBytes;
  if (data.length > max) return `Media file size ${data.length} bytes exceeds the ${category} limit of ${max} bytes.`;
  return undefined;
}

export interface StoredMedia {
  id: string;
  data: Buffer;
  mimeType: string;
  /** base64, as Meta shows it (reference/whatsapp.md §2.4). */
  sha256: string;
  fileSize: number;
  filename?: string | undefined;
  phoneNumberId?: string | undefined;
  createdAtMs: number;
  expiresAtMs: number;
}

export class MediaStore {
  private readonly media = new Map<string, StoredMedia>();
  private nextId = 1_037_543_291_543_636;
  private readonly urlKey = randomBytes(32);

  add(
    args: {
      data: Buffer;
      mimeType: string;
      filename?: string | undefined;
      phoneNumberId?: string | undefined;
      origin: 'upload' | 'inbound';
      reportedFileSize?: number | undefined;
    },
    nowMs: number,
  ): StoredMedia {
    const id = String(this.nextId++);
    const stored: StoredMedia = {
      id,
      data: args.data,
      mimeType: args.mimeType,
      sha256: createHash('sha256').update(args.data).digest('base64'),
      fileSize: args.reportedFileSize ?? args.data.length,
      filename: args.filename,
      phoneNumberId: args.phoneNumberId,
      createdAtMs: nowMs,
      expiresAtMs: nowMs + (args.origin === 'upload' ? UPLOADED_MEDIA_TTL_MS : INBOUND_MEDIA_TTL_MS),
    };
    this.media.set(id, stored);
    return stored;
  }

  find(id: string, nowMs: number): StoredMedia | undefined {
    const stored = this.media.get(id);
    return stored && stored.expiresAtMs > nowMs ? stored : undefined;
  }

  delete(id: string): boolean {
    return this.media.delete(id);
  }

  clear(): void {
    this.media.clear();
  }

  buildDownloadUrl(baseUrl: string, id: string, nowMs: number): string {
    const ext = String(Math.floor((nowMs + MEDIA_URL_TTL_MS) / 1000));
    const url = new URL(DOWNLOAD_PATH, baseUrl);
    url.searchParams.set('mid', id);
    url.searchParams.set('ext', ext);
    url.searchParams.set('hash', this.signUrl(id, ext));
    return url.toString();
  }

  /** The media behind a download URL, or why it cannot be served (both answer 404, as Meta does). */
  resolveDownload(query: URLSearchParams, nowMs: number): StoredMedia | 'expired' | 'invalid' {
    const id = query.get('mid') ?? '';
    const ext = query.get('ext') ?? '';
    const hash = Buffer.from(query.get('hash') ?? '');
    const expected = Buffer.from(this.signUrl(id, ext));
    if (hash.length !== expected.length || !timingSafeEqual(hash, expected)) return 'invalid';
    if (Number(ext) * 1000 <= nowMs) return 'expired';
    return this.find(id, nowMs) ?? 'invalid';
  }

  private signUrl(id: string, ext: string): string {
    return createHmac('sha256', this.urlKey).update(`${id}:${ext}`).digest('hex').slice(0, 32);
  }
}
