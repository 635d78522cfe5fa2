import express from 'express';
import { verifyMetaSignature } from '../src/whatsapp/signature';

/**
 * The benchmark's yardstick: an express endpoint that only checks the webhook HMAC over the raw body and answers
 * 200 — what any webhook receiver must do at least. Run as its own process, like the bridge.
 */
const port = Number(process.argv[2] ?? 0);
const secret = process.argv[3] ?? 'bench-app-secret';
const app = express();
app.post('/webhooks/whatsapp', express.raw({ type: () => true, limit: 4 * 1024 * 1024 }), (req, res) => {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (!verifyMetaSignature(raw, req.get('x-hub-signature-256'), secret)) {
    res.status(401).send('invalid signature');
    return;
  }
  res.status(200).send('EVENT_RECEIVED');
});
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
const server = app.listen(port, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`listening ${address.port}\n`);
});
