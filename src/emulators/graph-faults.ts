/**
 * Faults the Graph emulator can inject per route (DESIGN §6): a Graph error, a non-JSON 500, a held response
 * (timeout) or a dropped connection. `afterEffect` lets the call take effect first and then fail: the
 * "uncertain send" that DESIGN §4 must never repeat silently.
 */
import { buildGraphErrorBody } from './graph-errors';
import type { RouteResult } from './graph-http';

export type FaultRoute =
  | 'messages'
  | 'messages_read'
  | 'media_upload'
  | 'media_get'
  | 'media_download'
  | 'message_templates'
  | 'debug_token'
  | 'phone_number_get'
  | 'subscribed_apps'
  | 'app_subscriptions';

export type FaultKind =
  | { kind: 'graph_error'; code: number; httpStatus?: number; title?: string; details?: string }
  | { kind: 'http_500' }
  /** Holds the response `delayMs` (default 30 s) before answering. */
  | { kind: 'timeout'; delayMs?: number }
  | { kind: 'reset' };

export type FaultSpec = FaultKind & {
  route: FaultRoute;
  /** How many calls the fault hits; default 1, Infinity for all. */
  times?: number;
  afterEffect?: boolean;
};

export const DEFAULT_TIMEOUT_FAULT_MS = 30_000;

export class FaultRegistry {
  private readonly pending: { spec: FaultSpec; remaining: number }[] = [];

  inject(spec: FaultSpec): void {
    this.pending.push({ spec, remaining: spec.times ?? 1 });
  }

  /** The next fault for this route, consuming one of its hits. */
  take(route: FaultRoute): FaultSpec | undefined {
    const index = this.pending.findIndex((f) => f.spec.route === route && f.remaining > 0);
    const entry = this.pending[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.pending.splice(index, 1);
    return entry.spec;
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** Each waiting fault with how many calls it still hits. */
  remaining(): Array<{ spec: FaultSpec; remaining: number }> {
    return this.pending.map((f) => ({ spec: f.spec, remaining: f.remaining }));
  }
}

/** The answer a non-holding fault gives in place of the route's own. */
export function buildFaultResult(fault: FaultKind): RouteResult | undefined {
  switch (fault.kind) {
    case 'graph_error':
      return {
        status: fault.httpStatus ?? 500,
        json: buildGraphErrorBody({
          code: fault.code,
          httpStatus: fault.httpStatus ?? 500,
          title: fault.title ?? 'Injected error',
          details: fault.details,
        }),
      };
    case 'http_500':
      return {
        status: 500,
        bytes: { data: Buffer.from('<html><body><h1>500 Internal Server Error</h1></body></html>'), contentType: 'text/html' },
      };
    case 'timeout':
    case 'reset':
      return undefined;
    default:
      return fault satisfies never;
  }
}
