import type { RequestHandler } from 'express';
import type { Deps } from '../../src/deps';

/**
 * Meta's verification handshake: echo hub.challenge as plain text when the verify token matches, otherwise 403
 * (reference/whatsapp.md §1.1).
 */
export function createVerifyWebhookHandler(deps: Pick<Deps, 'config' | 'logger'>): RequestHandler {
  return (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && token === deps.config.whatsapp.verifyToken && typeof challenge === 'string') {
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    deps.logger.warn({ mode }, 'WhatsApp webhook verification refused: wrong verify token or mode');
    res.status(403).type('text/plain').send('verification failed');
  };
}
