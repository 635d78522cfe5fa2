import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchJsonAnswer } from '../../src/probe-fetch';
import { createSlackSetupProbe } from '../../src/slack/setup-probe';
import { createGraphSetupProbe } from '../../src/whatsapp/setup-probe';

/**
 * The HTTP half the Slack and the Graph setup probes share (src/probe-fetch.ts), through each probe: no answer,
 * an answer that is not the API's, a redirect (never followed with the token), a hang, all as data naming the
 * setting to check. Loopback servers stand in for a wrong API base URL.
 */

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const servers: http.Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const probes = (base: string, timeoutMs = 5_000) => ({
  slack: createSlackSetupProbe({ apiUrl: `${base}/api/`, botToken: 'xoxb-probe', timeoutMs }),
  graph: createGraphSetupProbe({ apiUrl: base, apiVersion: 'v25.0', accessToken: 'graph-probe', appSecret: 'probe-secret-77', timeoutMs }),
});

describe('the setup probes over HTTP', () => {
  it('answer "unreachable" with the socket error when nothing listens', async () => {
    const base = await serve(() => undefined);
    const closed = servers.pop();
    await new Promise((resolve) => closed?.close(resolve));
    const { slack, graph } = probes(base);
    expect(await slack.authTest()).toEqual({ kind: 'unreachable', detail: expect.stringMatching(/^ECONNREFUSED/) });
    expect(await graph.debugToken()).toEqual({ kind: 'unreachable', detail: expect.stringMatching(/^ECONNREFUSED/) });
  });

  it('name the base-URL setting when something else answers (a web page, not the API)', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>welcome to nginx</html>');
    });
    const { slack, graph } = probes(base);
    expect(await slack.authTest()).toEqual({ kind: 'unreachable', detail: 'HTTP 200 without a Slack answer (is SLACK_API_URL right?)' });
    expect(await graph.phoneNumber('1')).toEqual({ kind: 'unreachable', detail: 'HTTP 200 without a Graph answer (is WHATSAPP_API_URL right?)' });
  });

  it('refuse a redirect instead of following it with the token', async () => {
    const seen: Array<string | undefined> = [];
    const elsewhere = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.end('{"ok":true}');
    });
    const base = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere}/login` });
      res.end();
    });
    const { slack, graph } = probes(base);
    expect(await slack.channelInfo('C1')).toMatchObject({ kind: 'unreachable', detail: expect.stringContaining('redirect') });
    expect(await graph.subscribedApps('2')).toMatchObject({ kind: 'unreachable', detail: expect.stringContaining('redirect') });
    expect(seen).toEqual([]);
  });

  it('give up after their timeout on a server that never answers', async () => {
    const base = await serve(() => undefined);
    const { slack, graph } = probes(base, 200);
    expect(await slack.authTest()).toEqual({ kind: 'unreachable', detail: 'timed out' });
    expect(await graph.debugToken()).toEqual({ kind: 'unreachable', detail: 'timed out' });
  });

  it('hand back the JSON, the status and the headers of an answer', async () => {
    const base = await serve((req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-oauth-scopes': 'chat:write' });
      res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization }));
    });
    const answer = await fetchJsonAnswer(`${base}/x`, { method: 'POST', headers: { authorization: 'Bearer t' }, body: 'a=1' }, { timeoutMs: 5_000, notAnAnswer: 'n/a' });
    expect(answer).toMatchObject({ kind: 'json', status: 201, json: { method: 'POST', auth: 'Bearer t' } });
    expect(answer.kind === 'json' && answer.headers.get('x-oauth-scopes')).toBe('chat:write');
  });

  it("cut the app secret out of a Graph refusal that quotes the app token", async () => {
    const base = await serve((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 190, message: `Malformed access token ${req.headers.authorization ?? ''}` } }));
    });
    const answer = await probes(base).graph.appSubscriptions('300');
    expect(answer).toEqual({ kind: 'refused', code: 190, message: 'Malformed access token Bearer 300|<WHATSAPP_APP_SECRET>' });
  });
});
