import { storeBotMessage } from './slack-api-chat';
import { type ApiHandler, type EmulatorCore, fail } from './slack-emulator-core';
import { extractUploadBytes, intParam, stringParam } from './slack-http-io';
import type { StoredFile } from './slack-types';

/**
 * files.getUploadURLExternal → POST bytes to upload_url → files.completeUploadExternal, files.info, and the
 * bearer-only download route (slack.md §7.1, §7.2).
 */

const getUploadUrl: ApiHandler = (core, params) => {
  const filename = stringParam(params, 'filename');
  const length = intParam(params, 'length');
  if (!filename || length === undefined || length < 0) return fail('invalid_arguments', 'filename and length are required');
  // Slack's own error list: missing_argument "typically only occurs when the length provided is 0".
  if (length === 0) return fail('missing_argument');
  const file = core.files.createPending({
    name: filename,
    length,
    user: core.workspace.identity.botUserId,
    ...(stringParam(params, 'alt_txt') !== undefined ? { altText: stringParam(params, 'alt_txt') } : {}),
  });
  return { ok: true, upload_url: core.files.uploadUrl(file), file_id: file.id };
};

function readFileList(raw: unknown): Array<{ id: string; title?: string }> | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const list: Array<{ id: string; title?: string }> = [];
  for (const entry of raw) {
    if (typeof entry !== 'object' || entry === null || typeof (entry as { id?: unknown }).id !== 'string') return undefined;
    const { id, title } = entry as { id: string; title?: unknown };
    list.push(typeof title === 'string' ? { id, title } : { id });
  }
  return list;
}

/** Shares the files into the channel/thread as one bot message; the answer carries no message ts (slack.md §7.1). */
const completeUpload: ApiHandler = (core, params) => {
  const list = readFileList(params.files);
  if (!list) return fail('invalid_arguments', 'files must be a JSON array of {id, title}');
  const files: StoredFile[] = [];
  for (const entry of list) {
    const file = core.files.get(entry.id);
    if (!file?.bytes) return fail('file_not_found');
    files.push(file);
  }
  const channelId = stringParam(params, 'channel_id');
  const channel = channelId ? core.workspace.resolveChannel(channelId) : undefined;
  if (channelId && !channel) return fail('channel_not_found');
  const threadTs = stringParam(params, 'thread_ts');
  if (channel && threadTs && !core.workspace.findParent(channel.id, threadTs)) return fail('thread_not_found');
  for (const [i, file] of files.entries()) {
    const title = list[i]?.title;
    if (title) file.title = title;
    file.completed = true;
  }
  if (channel) {
    const initialComment = stringParam(params, 'initial_comment');
    const author = core.workspace.botAuthor({
      username: stringParam(params, 'username'),
      iconEmoji: stringParam(params, 'icon_emoji'),
      iconUrl: stringParam(params, 'icon_url'),
    });
    // initial_comment wins over blocks (slack.md §7.1).
    const blocks = initialComment === undefined && Array.isArray(params.blocks) ? params.blocks : undefined;
    const message = storeBotMessage(core, channel.id, {
      ...author,
      text: initialComment ?? '',
      files: files.map((f) => core.files.toApiFile(f, { includeShares: false })),
      upload: true,
      ...(blocks ? { blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    for (const file of files) core.files.addShare(file, channel, { ts: message.ts, ...(threadTs ? { thread_ts: threadTs } : {}) });
  }
  return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
};

const info: ApiHandler = (core, params) => {
  const file = core.files.get(stringParam(params, 'file') ?? '');
  if (!file?.completed) return fail('file_not_found');
  return { ok: true, file: core.files.toApiFile(file, { includeShares: true }), comments: [], response_metadata: { next_cursor: '' } };
};

export const fileHandlers: Record<string, ApiHandler> = {
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
  'files.info': info,
};

export interface RouteAnswer {
  status: number;
  contentType: string;
  body: Buffer | string;
}

/** The upload URL takes raw bytes or a multipart form (what @slack/web-api's filesUploadV2 sends). */
export async function receiveUploadBytes(core: EmulatorCore, fileId: string, contentType: string, body: Buffer): Promise<RouteAnswer> {
  const file = core.files.get(fileId);
  if (!file || file.completed) return { status: 404, contentType: 'text/plain', body: 'Not Found' };
  const bytes = await extractUploadBytes(contentType, body);
  if (bytes.length !== file.declaredLength) {
    return { status: 400, contentType: 'text/plain', body: `length mismatch: declared ${file.declaredLength}, received ${bytes.length}` };
  }
  file.bytes = bytes;
  return { status: 200, contentType: 'text/plain', body: `OK - ${bytes.length}` };
}

/** Slack's quirk: without a valid bearer token the answer is a 200 HTML sign-in page, not an error (slack.md §7.2). */
export function serveFileDownload(core: EmulatorCore, pathname: string, token: string | undefined): RouteAnswer {
  // Without files:read Slack answers the same sign-in page as without a token (slack.md §7.2).
  if (token !== core.token || !core.grantedScopes.includes('files:read')) {
    const page = '<!DOCTYPE html><html><head><title>Slack</title></head><body><h1>Sign in to your workspace</h1></body></html>';
    return { status: 200, contentType: 'text/html; charset=utf-8', body: page };
  }
  const file = core.files.findByPath(pathname);
  if (!file?.bytes) return { status: 404, contentType: 'text/plain', body: 'Not Found' };
  return { status: 200, contentType: file.mimetype, body: file.bytes };
}
