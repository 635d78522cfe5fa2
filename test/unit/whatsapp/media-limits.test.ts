import {
  MAX_CAPTION_LENGTH,
  chooseWhatsAppMediaType,
  describeBytes,
  maxInboundMediaBytes,
  normalizeMimeType,
} from '../../../src/whatsapp/media-limits';

const KB = 1000;
const MB = 1000 * KB;
const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('chooseWhatsAppMediaType', () => {
  it.each([
    ['a small JPEG', 'image/jpeg', 'photo.jpg', 2 * MB, 'image', 'image/jpeg'],
    ['a PNG at exactly 5 MB', 'image/png', 'shot.png', 5 * MB, 'image', 'image/png'],
    ['an MP4 video', 'video/mp4', 'clip.mp4', 10 * MB, 'video', 'video/mp4'],
    ['a 3GPP video', 'video/3gpp', 'clip.3gp', 1 * MB, 'video', 'video/3gpp'],
    ['an MP3', 'audio/mpeg', 'song.mp3', 3 * MB, 'audio', 'audio/mpeg'],
    ['an OGG voice note with codec parameters', 'audio/ogg; codecs=opus', 'note.ogg', 100 * KB, 'audio', 'audio/ogg'],
    ['AAC audio', 'audio/aac', 'a.aac', 1 * MB, 'audio', 'audio/aac'],
    ['AMR audio', 'audio/amr', 'a.amr', 1 * MB, 'audio', 'audio/amr'],
    ['M4A audio', 'audio/mp4', 'a.m4a', 1 * MB, 'audio', 'audio/mp4'],
    ['a PDF', PDF, 'invoice.pdf', 20 * MB, 'document', PDF],
    ['a Word file', DOCX, 'terms.docx', 1 * MB, 'document', DOCX],
    ['a text file', 'text/plain', 'notes.txt', 10 * KB, 'document', 'text/plain'],
    ['an Excel file', 'application/vnd.ms-excel', 'sheet.xls', 1 * MB, 'document', 'application/vnd.ms-excel'],
    ['a PowerPoint file', 'application/vnd.ms-powerpoint', 'deck.ppt', 1 * MB, 'document', 'application/vnd.ms-powerpoint'],
    ['a 100 MB document', PDF, 'big.pdf', 100 * MB, 'document', PDF],
  ])('sends %s natively', (_case, mime, name, size, type, normalized) => {
    expect(chooseWhatsAppMediaType(mime, name, size)).toEqual({ ok: true, type, mimeType: normalized });
  });

  it.each([
    ['a JPEG over 5 MB', 'image/jpeg', 'photo.jpg', 5 * MB + 1, 'image/jpeg'],
    ['a WebP image', 'image/webp', 'pic.webp', 200 * KB, 'image/webp'],
    ['a GIF', 'image/gif', 'fun.gif', 2 * MB, 'image/gif'],
    ['a HEIC photo', 'image/heic', 'IMG_0001.HEIC', 3 * MB, 'image/heic'],
    ['a video over 16 MB', 'video/mp4', 'long.mp4', 40 * MB, 'video/mp4'],
    ['a QuickTime video', 'video/quicktime', 'clip.mov', 5 * MB, 'video/quicktime'],
    ['a WAV recording', 'audio/wav', 'call.wav', 5 * MB, 'audio/wav'],
  ])('sends %s as a document so the customer still gets it', (_case, mime, name, size, normalized) => {
    expect(chooseWhatsAppMediaType(mime, name, size)).toEqual({ ok: true, type: 'document', mimeType: normalized });
  });

  it('refuses a file over 100 MB and says how big it is', () => {
    expect(chooseWhatsAppMediaType(PDF, 'scan.pdf', 120 * MB)).toEqual({
      ok: false,
      reason: 'WhatsApp accepts files up to 100 MB; this one is 120 MB.',
    });
  });

  it('refuses an oversized image that cannot fall back either', () => {
    expect(chooseWhatsAppMediaType('image/png', 'huge.png', 150 * MB)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('this one is 150 MB'),
    });
  });

  it('refuses a type WhatsApp does not take and lists what it does take', () => {
    const choice = chooseWhatsAppMediaType('application/zip', 'logs.zip', 1 * MB);
    expect(choice).toEqual({
      ok: false,
      reason:
        'WhatsApp does not accept .zip files (application/zip). WhatsApp takes images (JPEG, PNG), videos (MP4, 3GPP), ' +
        'audio (AAC, AMR, MP3, M4A, OGG) and documents (PDF, TXT, Word, Excel, PowerPoint).',
    });
  });

  it('refuses a file of unknown type without an extension', () => {
    expect(chooseWhatsAppMediaType('application/octet-stream', 'blob', 10)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^WhatsApp does not accept files of an unknown type\./),
    });
  });

  it('judges a file Slack reports as octet-stream by its extension', () => {
    expect(chooseWhatsAppMediaType('application/octet-stream', 'Photo.JPG', 1 * MB)).toEqual({
      ok: true,
      type: 'image',
      mimeType: 'image/jpeg',
    });
    expect(chooseWhatsAppMediaType('', 'report.pdf', 1 * MB)).toEqual({ ok: true, type: 'document', mimeType: PDF });
  });

  it('refuses an empty file and an unknown size', () => {
    expect(chooseWhatsAppMediaType(PDF, 'empty.pdf', 0)).toEqual({ ok: false, reason: 'The file is empty.' });
    expect(chooseWhatsAppMediaType(PDF, 'x.pdf', Number.NaN)).toEqual({ ok: false, reason: 'The file size is unknown.' });
  });
});

describe('normalizeMimeType', () => {
  it.each([
    ['IMAGE/JPEG', 'x', 'image/jpeg'],
    ['image/jpg', 'x', 'image/jpeg'],
    ['audio/mp3', 'x', 'audio/mpeg'],
    ['audio/x-m4a', 'x', 'audio/mp4'],
    ['video/3gp', 'x', 'video/3gpp'],
    ['audio/ogg; codecs=opus', 'x', 'audio/ogg'],
    ['application/octet-stream', 'a.docx', DOCX],
    ['application/octet-stream', 'noext', 'application/octet-stream'],
  ])('normalises %s (%s) to %s', (mime, name, expected) => {
    expect(normalizeMimeType(mime, name)).toBe(expected);
  });
});

describe('describeBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [999, '999 bytes'],
    [1500, '1.5 KB'],
    [5_242_880, '5.2 MB'],
    [16 * MB, '16 MB'],
    [120 * MB, '120 MB'],
    [999_999, '1 MB'],
    [2_500_000_000, '2.5 GB'],
  ])('describes %d bytes as %s', (bytes, expected) => {
    expect(describeBytes(bytes)).toBe(expected);
  });
});

describe('limits', () => {
  it('caps captions at 1024 characters and inbound media at 100 MiB', () => {
    expect(MAX_CAPTION_LENGTH).toBe(1024);
    expect(maxInboundMediaBytes).toBe(100 * 1024 * 1024);
  });
});
