import pino from 'pino';

export type Logger = pino.Logger;

/** Keys whose values are phone numbers or WhatsApp ids: logged masked (house rule: phone numbers masked in logs). */
const PHONE_KEYS = new Set(['phone', 'waId', 'wa_id', 'from', 'to', 'recipient', 'recipientId', 'displayPhoneNumber']);

/** "15550002222" → "•••••••2222": enough to tell customers apart in a log, not enough to call them. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 4) return '••••';
  return '•'.repeat(Math.min(digits.length - 4, 8)) + digits.slice(-4);
}

function maskPhones(obj: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(obj)) {
    if (PHONE_KEYS.has(k) && typeof v === 'string') {
      out ??= { ...obj };
      out[k] = maskPhone(v);
    }
  }
  return out ?? obj;
}

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'token',
          'accessToken',
          'botToken',
          'appToken',
          'signingSecret',
          'appSecret',
          'verifyToken',
          'authorization',
          '*.token',
          '*.accessToken',
          '*.botToken',
          '*.appSecret',
          '*.signingSecret',
          '*.authorization',
          'headers.authorization',
          'req.headers.authorization',
        ],
        censor: '[redacted]',
      },
      formatters: { log: maskPhones },
    },
    options.destination,
  );
}
