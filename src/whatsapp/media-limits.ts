/**
 * Which WhatsApp message type an agent's Slack file can travel as, by Meta's media types and size limits
 * (reference/whatsapp.md §3.3). When a file is too big or the wrong format for its natural type but fits as
 * a document, it goes as a document, so the customer still gets the file.
 */

/**
 * Meta states limits in "MB" without saying whether that is 10^6 or 2^20 bytes (reference/whatsapp.md §3.3).
 * Outbound checks take the stricter 10^6, so a file we pass is never refused by Meta for its size.
 */
const MB = 1_000_000;

export const MAX_IMAGE_BYTES = 5 * MB;
export const MAX_VIDEO_BYTES = 16 * MB;
export const MAX_AUDIO_BYTES = 16 * MB;
export const MAX_DOCUMENT_BYTES = 100 * MB;

/**
 * Meta refuses inbound media over 100 MB (error 131052, reference/whatsapp.md §3.3). The download cap takes the
 * generous 2^20 reading, so nothing Meta does deliver is refused here.
 */
export const maxInboundMediaBytes = 100 * 1024 * 1024;

/** Image, video and document captions (reference/whatsapp.md §3.2). */
export const MAX_CAPTION_LENGTH = 1024;

export type OutboundMediaType = 'image' | 'video' | 'audio' | 'document';

export type MediaChoice =
  | { ok: true; type: OutboundMediaType; mimeType: string }
  | { ok: false; reason: string };

const IMAGE_MIME_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png']);
const VIDEO_MIME_TYPES: ReadonlySet<string> = new Set(['video/mp4', 'video/3gpp']);
const AUDIO_MIME_TYPES: ReadonlySet<string> = new Set(['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg']);
const DOCUMENT_MIME_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'text/plain',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

/** Other spellings of the types above that Slack or browsers report. */
const MIME_ALIASES: ReadonlyMap<string, string> = new Map([
  ['image/jpg', 'image/jpeg'],
  ['image/pjpeg', 'image/jpeg'],
  ['video/3gp', 'video/3gpp'],
  ['audio/mp3', 'audio/mpeg'],
  ['audio/x-m4a', 'audio/mp4'],
  ['audio/m4a', 'audio/mp4'],
  ['audio/x-aac', 'audio/aac'],
  ['audio/opus', 'audio/ogg'],
  ['application/x-pdf', 'application/pdf'],
]);

/** For files whose MIME type says nothing (missing, octet-stream): judged by extension instead. */
const MIME_BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['png', 'image/png'],
  ['webp', 'image/webp'],
  ['gif', 'image/gif'],
  ['heic', 'image/heic'],
  ['mp4', 'video/mp4'],
  ['3gp', 'video/3gpp'],
  ['mov', 'video/quicktime'],
  ['aac', 'audio/aac'],
  ['amr', 'audio/amr'],
  ['mp3', 'audio/mpeg'],
  ['m4a', 'audio/mp4'],
  ['ogg', 'audio/ogg'],
  ['opus', 'audio/ogg'],
  ['pdf', 'application/pdf'],
  ['txt', 'text/plain'],
  ['doc', 'application/msword'],
  ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xls', 'application/vnd.ms-excel'],
  ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['ppt', 'application/vnd.ms-powerpoint'],
  ['pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
]);

const UNINFORMATIVE_MIME_TYPES: ReadonlySet<string> = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

const ACCEPTED_FORMATS =
  'WhatsApp takes images (JPEG, PNG), videos (MP4, 3GPP), audio (AAC, AMR, MP3, M4A, OGG) and documents ' +
  '(PDF, TXT, Word, Excel, PowerPoint).';

/** The file a template's media header would carry: what Slack says about it before any byte is fetched. */
export interface HeaderMediaFile {
  name: string;
  mimetype: string;
  size: number;
}

/** The file extensions a header of this format takes, for a file_input's `filetypes`. */
export const HEADER_FILE_EXTENSIONS: Record<'IMAGE' | 'VIDEO' | 'DOCUMENT', string[]> = {
  IMAGE: ['jpg', 'jpeg', 'png'],
  VIDEO: ['mp4', '3gp'],
  DOCUMENT: ['pdf', 'txt', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx'],
};

const HEADER_RULES = {
  IMAGE: { types: IMAGE_MIME_TYPES, maxBytes: MAX_IMAGE_BYTES, what: 'a JPEG or PNG image' },
  VIDEO: { types: VIDEO_MIME_TYPES, maxBytes: MAX_VIDEO_BYTES, what: 'an MP4 or 3GPP video' },
  DOCUMENT: { types: DOCUMENT_MIME_TYPES, maxBytes: MAX_DOCUMENT_BYTES, what: 'a PDF, TXT, Word, Excel or PowerPoint document' },
} as const;

/**
 * A template's media header takes only its own format, within Meta's limit for that type (reference/whatsapp.md
 * §3.3): unlike a reply's attachment, an image over 5 MB cannot fall back to a document, the template says image.
 * The normalised MIME type (what is uploaded to Graph), or the reason, in words for the field.
 */
export function checkHeaderMedia(format: 'IMAGE' | 'VIDEO' | 'DOCUMENT', file: HeaderMediaFile): { ok: true; mimeType: string } | { ok: false; reason: string } {
  const rule = HEADER_RULES[format];
  if (!Number.isFinite(file.size) || file.size <= 0) return { ok: false, reason: 'This file is empty.' };
  const mime = normalizeMimeType(file.mimetype, file.name);
  if (!rule.types.has(mime)) return { ok: false, reason: `This template's header takes ${rule.what}; ${describeFormat(mime, file.name)} are not accepted.` };
  if (file.size > rule.maxBytes) {
    return { ok: false, reason: `WhatsApp takes ${rule.what} up to ${describeBytes(rule.maxBytes)} here; this one is ${describeBytes(file.size)}.` };
  }
  return { ok: true, mimeType: mime };
}

export function chooseWhatsAppMediaType(mimeType: string, filename: string, size: number): MediaChoice {
  if (!Number.isFinite(size) || size < 0) return { ok: false, reason: 'The file size is unknown.' };
  if (size === 0) return { ok: false, reason: 'The file is empty.' };
  const mime = normalizeMimeType(mimeType, filename);
  const family = mime.split('/')[0];

  if (IMAGE_MIME_TYPES.has(mime) && size <= MAX_IMAGE_BYTES) return { ok: true, type: 'image', mimeType: mime };
  if (VIDEO_MIME_TYPES.has(mime) && size <= MAX_VIDEO_BYTES) return { ok: true, type: 'video', mimeType: mime };
  if (AUDIO_MIME_TYPES.has(mime) && size <= MAX_AUDIO_BYTES) return { ok: true, type: 'audio', mimeType: mime };

  // Images over 5 MB or in other formats (webp, gif, heic), and videos or audio over 16 MB, are sent as a
  // document rather than refused; that Meta takes every such format as a document is (unconfirmed).
  const sendableAsDocument =
    DOCUMENT_MIME_TYPES.has(mime) || family === 'image' || family === 'video' || family === 'audio';
  if (!sendableAsDocument) {
    return { ok: false, reason: `WhatsApp does not accept ${describeFormat(mime, filename)}. ${ACCEPTED_FORMATS}` };
  }
  if (size > MAX_DOCUMENT_BYTES) {
    return {
      ok: false,
      reason: `WhatsApp accepts files up to ${describeBytes(MAX_DOCUMENT_BYTES)}; this one is ${describeBytes(size)}.`,
    };
  }
  return { ok: true, type: 'document', mimeType: mime };
}

/** Lowercase, parameters dropped (`audio/ogg; codecs=opus` → `audio/ogg`), aliases resolved, extension as fallback. */
export function normalizeMimeType(mimeType: string, filename: string): string {
  const bare = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  const known = MIME_ALIASES.get(bare) ?? bare;
  if (!UNINFORMATIVE_MIME_TYPES.has(known)) return known;
  return MIME_BY_EXTENSION.get(fileExtension(filename)) ?? known;
}

/** Decimal units, as Meta's limits are written: `999 bytes`, `1.5 KB`, `120 MB`. */
export function describeBytes(bytes: number): string {
  if (bytes === 1) return '1 byte';
  if (bytes < 1000) return `${Math.round(bytes)} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'] as const;
  let value = bytes / 1000;
  let unit = 0;
  while (roundForDisplay(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${roundForDisplay(value)} ${units[unit]}`;
}

/** One decimal below 10 (`5.2 MB`), whole numbers above (`120 MB`). */
function roundForDisplay(value: number): number {
  return value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
}

function describeFormat(mime: string, filename: string): string {
  const extension = fileExtension(filename);
  if (extension !== '') return `.${extension} files${UNINFORMATIVE_MIME_TYPES.has(mime) ? '' : ` (${mime})`}`;
  return UNINFORMATIVE_MIME_TYPES.has(mime) ? 'files of an unknown type' : `${mime} files`;
}

function fileExtension(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}
