import type { Clock } from '../clock';
import type { FileShare, StoredFile } from './slack-types';

/** Files in the emulated workspace: uploaded in three steps (slack.md §7.1), served only with a bearer token (§7.2). */

const MIME_BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  '3gp': 'video/3gpp',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  amr: 'audio/amr',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};

export function guessMimetype(filename: string): { mimetype: string; filetype: string } {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (!ext) return { mimetype: 'application/octet-stream', filetype: 'binary' };
  return { mimetype: MIME_BY_EXTENSION[ext] ?? 'application/octet-stream', filetype: ext };
}

export const UPLOAD_PATH_PREFIX = '/upload/v1/';
export const FILES_PATH_PREFIX = '/files-pri/';

export class SlackFileStore {
  private readonly files = new Map<string, StoredFile>();
  private counter = 0;

  constructor(
    private readonly baseUrl: () => string,
    private readonly teamId: string,
    private readonly clock: Clock,
  ) {}

  reset(): void {
    this.files.clear();
  }

  get(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  all(): StoredFile[] {
    return [...this.files.values()];
  }

  /** files.getUploadURLExternal: the file exists but has no bytes and is shared nowhere yet. */
  createPending(args: { name: string; length: number; user: string; altText?: string }): StoredFile {
    this.counter += 1;
    const file: StoredFile = {
      id: `F0${String(this.counter).padStart(9, '0')}`,
      name: args.name,
      title: args.name,
      ...guessMimetype(args.name),
      declaredLength: args.length,
      user: args.user,
      created: Math.floor(this.clock.now().getTime() / 1000),
      completed: false,
      shares: { public: {}, private: {} },
      ...(args.altText !== undefined ? { altText: args.altText } : {}),
    };
    this.files.set(file.id, file);
    return file;
  }

  /** A file a person shared from their Slack client: uploaded and complete at once. */
  createUploaded(args: { name: string; bytes: Buffer; user: string; mimetype?: string; title?: string }): StoredFile {
    const file = this.createPending({ name: args.name, length: args.bytes.length, user: args.user });
    file.bytes = args.bytes;
    file.completed = true;
    if (args.mimetype) file.mimetype = args.mimetype;
    if (args.title) file.title = args.title;
    return file;
  }

  /** The absolute URL the upload POST goes to; clients use it as given (slack.md §7.1). */
  uploadUrl(file: StoredFile): string {
    return `${this.baseUrl()}${UPLOAD_PATH_PREFIX}${file.id}`;
  }

  privateUrl(file: StoredFile): string {
    return `${this.baseUrl()}${FILES_PATH_PREFIX}${this.teamId}-${file.id}/${encodeURIComponent(file.name)}`;
  }

  downloadUrl(file: StoredFile): string {
    return `${this.baseUrl()}${FILES_PATH_PREFIX}${this.teamId}-${file.id}/download/${encodeURIComponent(file.name)}`;
  }

  /** `/files-pri/T…-F…/…` → the file, for the download route. */
  findByPath(pathname: string): StoredFile | undefined {
    if (!pathname.startsWith(FILES_PATH_PREFIX)) return undefined;
    const segment = pathname.slice(FILES_PATH_PREFIX.length).split('/')[0] ?? '';
    const id = segment.slice(segment.lastIndexOf('-') + 1);
    return this.files.get(id);
  }

  addShare(file: StoredFile, channel: { id: string; name: string; is_private: boolean }, share: Omit<FileShare, 'channel_name' | 'reply_users_count'>): void {
    const bucket = channel.is_private ? file.shares.private : file.shares.public;
    const list = (bucket[channel.id] ??= []);
    list.push({ ...share, channel_name: channel.name, reply_users_count: 0 });
  }

  /** The file object as files.info and message `files[]` show it. Shares only where Slack includes them. */
  toApiFile(file: StoredFile, opts: { includeShares: boolean }): Record<string, unknown> {
    const hasShares = Object.keys(file.shares.public).length + Object.keys(file.shares.private).length > 0;
    return {
      id: file.id,
      created: file.created,
      timestamp: file.created,
      name: file.name,
      title: file.title,
      mimetype: file.mimetype,
      filetype: file.filetype,
      pretty_type: file.filetype.toUpperCase(),
      user: file.user,
      user_team: this.teamId,
      editable: false,
      size: file.bytes?.length ?? file.declaredLength,
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: Object.keys(file.shares.public).length > 0,
      url_private: this.privateUrl(file),
      url_private_download: this.downloadUrl(file),
      permalink: `https://emulator.slack.test/files/${file.user}/${file.id}/${encodeURIComponent(file.name)}`,
      ...(file.altText !== undefined ? { alt_txt: file.altText } : {}),
      ...(opts.includeShares && hasShares ? { shares: structuredClone(file.shares) } : {}),
      channels: Object.keys(file.shares.public),
      groups: Object.keys(file.shares.private).filter((c) => !c.startsWith('D')),
      ims: Object.keys(file.shares.private).filter((c) => c.startsWith('D')),
    };
  }
}
