/**
 * Graph error responses as the emulator returns them, in Meta's synchronous shape (reference/whatsapp.md §4.1):
 * `{error: {message: "(#code) title", type, code, error_data: {messaging_product, details}, error_subcode?, fbtrace_id}}`.
 */
import { randomBytes } from 'node:crypto';

export interface GraphErrorSpec {
  code: number;
  httpStatus: number;
  title: string;
  details?: string | undefined;
  subcode?: number | undefined;
  /** Replaces the "(#code) title" message, for errors Meta words differently. */
  message?: string | undefined;
}

export function buildGraphErrorBody(spec: GraphErrorSpec): Record<string, unknown> {
  const error: Record<string, unknown> = {
    message: spec.message ?? `(#${spec.code}) ${spec.title}`,
    type: 'OAuthException',
    code: spec.code,
    error_data: { messaging_product: 'whatsapp', details: spec.details ?? spec.title },
    fbtrace_id: `A${randomBytes(16).toString('base64url').slice(0, 22)}`,
  };
  if (spec.subcode !== undefined) error['error_subcode'] = spec.subcode;
  return { error };
}

export const graphErrors = {
  invalidToken: (): GraphErrorSpec => ({
    code: 190,
    httpStatus: 401,
    title: 'Invalid OAuth access token - Cannot parse access token',
  }),
  invalidParameter: (details: string): GraphErrorSpec => ({ code: 100, httpStatus: 400, title: 'Invalid parameter', details }),
  /** Meta's answer for an id that does not exist or that the token cannot see (code 100, subcode 33). */
  unknownObject: (method: 'get' | 'post' | 'delete', id: string): GraphErrorSpec => ({
    code: 100,
    httpStatus: 400,
    subcode: 33,
    title: 'Unsupported request',
    message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
  }),
  unknownPath: (path: string): GraphErrorSpec => ({
    code: 2500,
    httpStatus: 400,
    title: `Unknown path components: ${path}`,
  }),
  windowClosed: (): GraphErrorSpec => ({
    code: 131047,
    httpStatus: 400,
    title: 'Re-engagement message',
    details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  }),
  throughput: (): GraphErrorSpec => ({
    code: 130429,
    httpStatus: 429,
    title: 'Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
  }),
  pairRateLimit: (): GraphErrorSpec => ({
    code: 131056,
    httpStatus: 400,
    title: '(Business Account, Consumer Account) pair rate limit hit',
    details: 'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
  }),
  mediaUpload: (details: string): GraphErrorSpec => ({ code: 131053, httpStatus: 400, title: 'Media upload error', details }),
  templateMissing: (name: string): GraphErrorSpec => ({
    code: 132001,
    httpStatus: 404,
    title: 'Template name does not exist in the translation',
    details: `template name (${name}) does not exist in the requested language`,
  }),
} as const;
