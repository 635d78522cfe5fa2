import type { ApiHandler, EmulatorCore } from './slack-emulator-core';

/**
 * apps.connections.open and which token each method takes (slack.md §9.5): Socket Mode's URL is issued only to the
 * app-level token (xapp-…), and that token is good for nothing else.
 */

const APP_TOKEN_METHODS = new Set(['apps.connections.open']);

/** Slack's answer to a token that cannot call `method`, or undefined when it can. */
export function findTokenRefusal(core: EmulatorCore, method: string, token: string | undefined): string | undefined {
  if (!token) return 'not_authed';
  const expected = APP_TOKEN_METHODS.has(method) ? core.appToken : core.token;
  if (token === expected) return undefined;
  // A real token of the other kind is recognised and refused for its type; anything else is not a token at all.
  return token === core.appToken || token === core.token ? 'not_allowed_token_type' : 'invalid_auth';
}

export const appsHandlers: Record<string, ApiHandler> = {
  'apps.connections.open': (core) => ({ ok: true, url: core.socket.issueUrl() }),
};
