/**
 * What may reach a log line. Customers' phone numbers, names and message texts must not (house rule: phone numbers
 * masked, no customer data in logs), yet they travel inside things that get logged: database errors (drizzle's
 * "Failed query: … params: …" wrapper lists every parameter; Postgres's DETAIL repeats the failing row; a data
 * exception quotes the value it refused), and the Slack libraries' debug lines (whole request and response bodies).
 */

/** Keys whose values are phone numbers or WhatsApp ids: masked at any depth. */
const PHONE_KEYS = new Set(['phone', 'waId', 'wa_id', 'from', 'to', 'recipient', 'recipientId', 'displayPhoneNumber', 'display_phone_number']);
/** Keys whose values are what customers or agents wrote, or who they are: never logged. */
const TEXT_KEYS = new Set(['body', 'text', 'caption', 'profileName', 'profile_name', 'customerName', 'contactName', 'username', 'reply']);
/** Fields of database, HTTP and Slack errors that describe the failure without carrying the data. */
const SAFE_ERROR_FIELDS = [
  'code',
  'severity',
  'routine',
  'constraint',
  'constraint_name',
  'table',
  'table_name',
  'column',
  'column_name',
  'schema',
  'schema_name',
  'kind',
  'httpStatus',
  'statusCode',
  'status',
  'retryAfter',
  'errno',
  'syscall',
  'hostname',
  'port',
] as const;
/** In the Slack libraries' debug payloads only these keys keep their string values (ids, states, error codes). */
const SLACK_ID_KEYS = new Set([
  'ok',
  'error',
  'warning',
  'needed',
  'provided',
  'messages',
  'channel',
  'channel_id',
  'ts',
  'thread_ts',
  'message_ts',
  'user',
  'user_id',
  'bot_id',
  'app_id',
  'team',
  'team_id',
  'type',
  'subtype',
  'event_type',
  'action_id',
  'block_id',
  'callback_id',
  'view_id',
  'external_id',
  'id',
]);

const MAX_DEPTH = 10;
const MAX_MESSAGE = 2000;
const MAX_FRAMES = 15;

/** "15550002222" → "•••••••2222": enough to tell customers apart in a log, not enough to call them. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 4) return '••••';
  return '•'.repeat(Math.min(digits.length - 4, 8)) + digits.slice(-4);
}

// drizzle-orm's DrizzleQueryError: `Failed query: ${sql}\nparams: ${params}`; the SQL has placeholders, the rest is data.
const DRIZZLE_PARAMS = /\n\s*params:[\s\S]*$/;
// A phone number in free text: 7 to 15 digits on their own (not part of a Slack ts, a wamid or a word), or "+" and a
// grouped number.
const BARE_DIGITS = /(?<![\w.])\d{7,15}(?!\w|\.\d)/g;
const GROUPED_PHONE = /\+\d[\d\s().-]{5,22}\d/g;

/** Free text that may quote a payload: drizzle's parameters cut off, phone-like numbers masked. */
export function scrubText(text: string): string {
  return text.replace(DRIZZLE_PARAMS, '\nparams: [redacted]').replace(GROUPED_PHONE, maskPhone).replace(BARE_DIGITS, maskPhone);
}

/**
 * An error message as it may be logged or stored. Postgres data exceptions (SQLSTATE class 22: "invalid input
 * syntax for type uuid: \"…\"", "value \"…\" is out of range") quote the value they refused, so their quotes go.
 */
export function scrubErrorMessage(message: string, code?: unknown): string {
  let out = scrubText(message);
  if (typeof code === 'string' && /^22/.test(code)) out = out.replace(/"[^"]*"/g, '"…"');
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out;
}

function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || (typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).stack === 'string');
}

/** An error as a plain object for a log line: its kind, code and scrubbed message, its frames, its causes; never its data. */
export function describeErrorForLog(err: Error, depth = 0): Record<string, unknown> {
  const fields = err as unknown as Record<string, unknown>;
  const type = typeof err.constructor === 'function' && err.constructor.name ? err.constructor.name : String(err.name);
  const message = scrubErrorMessage(String(err.message), fields['code']);
  const out: Record<string, unknown> = { type, message };
  for (const key of SAFE_ERROR_FIELDS) {
    const v = fields[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = typeof v === 'string' ? scrubText(v).slice(0, 200) : v;
  }
  // @slack/web-api's platform errors carry the API's answer; its `error` code is what explains them.
  const data = fields['data'];
  if (typeof data === 'object' && data !== null && typeof (data as { error?: unknown }).error === 'string') out['slackError'] = (data as { error: string }).error;
  if (typeof err.stack === 'string') {
    const frames = err.stack.split('\n').filter((line) => /^\s+at /.test(line)).slice(0, MAX_FRAMES);
    out['stack'] = [`${type}: ${message}`, ...frames].join('\n');
  }
  if (depth < 5 && isErrorLike(err.cause)) out['cause'] = describeErrorForLog(err.cause, depth + 1);
  if (depth < 2 && Array.isArray((err as AggregateError).errors)) {
    out['errors'] = (err as AggregateError).errors.slice(0, 5).map((e: unknown) => (isErrorLike(e) ? describeErrorForLog(e, depth + 1) : typeof e));
  }
  return out;
}

/**
 * A log line's fields made safe: phone fields masked and text fields dropped at any depth, errors described without
 * their data. Returns the object itself when nothing needed changing.
 */
export function redactLogFields(obj: Record<string, unknown>): Record<string, unknown> {
  const seen = new WeakSet<object>();
  const walk = (value: unknown, key: string, depth: number): unknown => {
    if (typeof value === 'string') {
      if (PHONE_KEYS.has(key)) return maskPhone(value);
      if (TEXT_KEYS.has(key)) return `[redacted ${value.length} chars]`;
      if (key === 'err' || key === 'error' || key.endsWith('Err') || key.endsWith('Error')) return scrubErrorMessage(value);
      return value;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (isErrorLike(value)) return describeErrorForLog(value);
    if (seen.has(value) || depth >= MAX_DEPTH) return value;
    seen.add(value);
    if (Array.isArray(value)) {
      let changed = false;
      const out = value.map((item) => {
        const next = walk(item, key, depth + 1);
        if (next !== item) changed = true;
        return next;
      });
      return changed ? out : value;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const next = walk(v, k, depth + 1);
      if (next !== v) {
        out ??= { ...(value as Record<string, unknown>) };
        out[k] = next;
      }
    }
    return out ?? value;
  };
  return walk(obj, '', 0) as Record<string, unknown>;
}

/** A Slack payload from a library's debug line: ids and codes kept, every other string reduced to its length. */
function redactSlackPayload(value: unknown, key: string, depth: number): unknown {
  if (typeof value === 'string') return SLACK_ID_KEYS.has(key) ? scrubText(value) : `[${value.length} chars]`;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => redactSlackPayload(item, key, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSlackPayload(v, k, depth + 1)]));
}

/**
 * One line of @slack/bolt's or @slack/web-api's own logging. Their debug lines embed whole request and response
 * bodies ("http request body: {…}", Bolt's incoming events): the JSON is reduced to ids, and errors to their kind.
 */
export function libraryLogText(parts: unknown[]): string {
  return parts
    .map((part) => {
      if (isErrorLike(part)) {
        const d = describeErrorForLog(part);
        return `${String(d['type'])}: ${String(d['message'])}`;
      }
      if (typeof part !== 'string') {
        try {
          return JSON.stringify(redactSlackPayload(part, '', 0)) ?? String(part);
        } catch {
          return '[unprintable]';
        }
      }
      const start = part.search(/[{[]/);
      if (start < 0) return scrubText(part);
      const end = Math.max(part.lastIndexOf('}'), part.lastIndexOf(']'));
      let payload = '[payload omitted]';
      if (end > start) {
        try {
          payload = JSON.stringify(redactSlackPayload(JSON.parse(part.slice(start, end + 1)), '', 0));
        } catch {
          // Not JSON after all (a template, a stringified error): the part from the brace on is left out.
        }
      }
      return `${scrubText(part.slice(0, start))}${payload}${end > start ? scrubText(part.slice(end + 1)) : ''}`;
    })
    .join(' ');
}
