import pino from 'pino';
import { redactLogFields, scrubErrorMessage, scrubText } from './log-privacy';

export type Logger = pino.Logger;

export { maskPhone } from './log-privacy';

/**
 * Every string argument of a log call (the message, interpolations) passes the same scrub as error texts. A bare
 * error (`logger.error(err)`) would otherwise become its own raw message line, so it is given a scrubbed one.
 */
function scrubArgs(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    const message = typeof rest[0] === 'string' ? rest.shift() : first.message;
    return [{ err: first }, scrubErrorMessage(String(message), (first as { code?: unknown }).code), ...rest.map((a) => (typeof a === 'string' ? scrubText(a) : a))];
  }
  return args.map((a) => (typeof a === 'string' ? scrubText(a) : a));
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
      // Phones masked, texts dropped, errors described without their data: at every level (log-privacy.ts).
      formatters: { log: redactLogFields },
      // The formatter has already described errors; pino's own serializer would copy every enumerable field back.
      serializers: { err: (value: unknown) => value },
      hooks: {
        logMethod(args, method) {
          method.apply(this, scrubArgs(args) as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}
