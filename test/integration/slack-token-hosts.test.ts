import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../src/logger';
import { SlackPermanentError, SlackTransientError } from '../../src/slack/gateway';
import { createSlackGateway } from '../../src/slack/web-api-gateway';

/**
 * The bot token goes only to Slack's file hosts (or SLACK_API_URL's origin), never along a redirect, and a download
 * is capped in size and time. Two local servers: "slack" (SLACK_API_URL's origin) and "elsewhere".
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface Recorded {
  server: 'slack' | 'elsewhere';
  url: string;
  authorization: string | undefined;
}

const seen: Recorded[] = [];
let routes: Record<string, Handler> = {};

async function start(name: Recorded['server']): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    seen.push({ server: name, url: req.url ?? '', authorization: req.headers.authorization });
    const route = routes[`${name} ${(req.url ?? '').split('?')[0]}`];
    if (route) route(req, res);
    else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('stolen');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let slack: { server: Server; base: string };
let elsewhere: { server: Server; base: string };
const TOKEN = 'xoxb-host-test';
const gateway = () =>
  createSlackGateway({ token: TOKEN, apiUrl: `${slack.base}/api/`, logger: createLogger({ level: 'silent' }), timeoutMs: 300, downloadMaxBytes: 1000 });

beforeAll(async () => {
  slack = await start('slack');
  elsewhere = await start('elsewhere');
});
afterAll(async () => {
  await new Promise((resolve) => slack.server.close(resolve));
  await new Promise((resolve) => elsewhere.server.close(resolve));
});
beforeEach(() => {
  seen.length = 0;
  routes = {};
});

describe('downloading a file a Slack event names', () => {
  it('sends the token to a Slack file host and gets the bytes', async () => {
    routes['slack /files-pri/T1-F1/a.png'] = (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end('png!');
    expect((await gateway().downloadFile(`${slack.base}/files-pri/T1-F1/a.png`)).toString()).toBe('png!');
    expect(seen).toEqual([{ server: 'slack', url: '/files-pri/T1-F1/a.png', authorization: `Bearer ${TOKEN}` }]);
  });

  it.each([
    ['another host', () => `${elsewhere.base}/files-pri/T1-F1/a.png`],
    ['a look-alike of files.slack.com over http', () => 'http://files.slack.com.127.0.0.1.nip.io/a.png'],
  ])('refuses %s before any request leaves', async (_what, url) => {
    const error = await gateway().downloadFile(url()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackPermanentError);
    expect((error as SlackPermanentError).code).toMatch(/^host_not_allowed:/);
    expect(seen).toEqual([]);
  });

  it('follows a redirect within Slack without the token', async () => {
    routes['slack /files-pri/T1-F1/moved.png'] = (_req, res) => res.writeHead(302, { location: '/files-tmp/T1-F1/a.png' }).end();
    routes['slack /files-tmp/T1-F1/a.png'] = (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end('signed url bytes');
    expect((await gateway().downloadFile(`${slack.base}/files-pri/T1-F1/moved.png`)).toString()).toBe('signed url bytes');
    expect(seen.map((s) => [s.url, s.authorization])).toEqual([
      ['/files-pri/T1-F1/moved.png', `Bearer ${TOKEN}`],
      ['/files-tmp/T1-F1/a.png', undefined],
    ]);
  });

  it('does not follow a redirect to another host at all', async () => {
    routes['slack /files-pri/T1-F1/away.png'] = (_req, res) => res.writeHead(302, { location: `${elsewhere.base}/collect` }).end();
    const error = await gateway().downloadFile(`${slack.base}/files-pri/T1-F1/away.png`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackPermanentError);
    expect(seen.filter((s) => s.server === 'elsewhere')).toEqual([]);
  });

  it('stops a download past the size cap, declared or streamed', async () => {
    routes['slack /files-pri/T1-F1/declared.bin'] = (_req, res) => res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000));
    routes['slack /files-pri/T1-F1/streamed.bin'] = (_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(Buffer.alloc(800));
      res.end(Buffer.alloc(800));
    };
    for (const name of ['declared', 'streamed']) {
      const error = await gateway().downloadFile(`${slack.base}/files-pri/T1-F1/${name}.bin`).catch((e: unknown) => e);
      expect(error).toMatchObject({ method: 'files.download', code: 'file_too_large' });
    }
  });

  it('gives up on a download that takes longer than the time limit', async () => {
    routes['slack /files-pri/T1-F1/slow.bin'] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write('a');
      setTimeout(() => res.end('b'), 2000).unref();
    };
    const started = Date.now();
    const error = await gateway().downloadFile(`${slack.base}/files-pri/T1-F1/slow.bin`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackTransientError);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('uploading a file', () => {
  it('does not send the token to an upload_url outside Slack', async () => {
    routes['slack /api/files.getUploadURLExternal'] = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, upload_url: `${elsewhere.base}/upload`, file_id: 'F1' }));
    const error = await gateway()
      .uploadFile({ channel: 'C1', threadTs: '1.000001', filename: 'a.txt', data: Buffer.from('abc') })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ method: 'files.upload_bytes' });
    expect((error as SlackPermanentError).code).toMatch(/^host_not_allowed:/);
    expect(seen.filter((s) => s.server === 'elsewhere')).toEqual([]);
  });
});
