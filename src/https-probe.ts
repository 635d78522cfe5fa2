import https from 'node:https';
import { describeNetworkError } from './network-error';

/**
 * GET <PUBLIC_URL>/healthz from this machine, the way Slack and Meta will reach it: over HTTPS with a certificate
 * they trust. `ca` exists for tests (a throwaway certificate); production uses the system's trust store.
 */
export type HealthAnswer = { kind: 'ok'; status: number; body: string } | { kind: 'failed'; detail: string };

export function createHttpsHealthProbe(opts: { timeoutMs?: number; ca?: string | Buffer } = {}): (url: string) => Promise<HealthAnswer> {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  return (url) =>
    new Promise((resolve) => {
      const req = https.get(url, { timeout: timeoutMs, ...(opts.ca ? { ca: opts.ca } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= 4096) chunks.push(chunk);
        });
        res.on('end', () => resolve({ kind: 'ok', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => resolve({ kind: 'failed', detail: describeNetworkError(error) }));
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (error) => {
        const code = (error as { code?: string }).code;
        // TLS refusals carry their reason in the code (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, …).
        resolve({ kind: 'failed', detail: code && !code.startsWith('E') ? `certificate not accepted (${code})` : describeNetworkError(error) });
      });
    });
}
