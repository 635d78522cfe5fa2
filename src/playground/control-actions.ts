import { z } from 'zod';
import type { GraphEmulator } from '../emulators/graph-emulator';
import type { SlackEmulator } from '../emulators/slack-emulator';
import type { SandboxClock } from '../sandbox/sandbox-clock';
import type { FaultView } from './state-types';

/**
 * The playground's controls over the sandbox itself: move the shared clock forward, and make the emulated Slack or
 * WhatsApp misbehave (the emulators' fault injection, DESIGN §6) to see what threadline shows when they do.
 */

export const clockActionSchema = z.union([
  z.object({ advanceMinutes: z.number().int().positive().max(60 * 24 * 14) }),
  z.object({ to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/) }),
]);

/** Slack methods threadline calls that are worth breaking, and how Slack breaks (slack.md §1). */
export const SLACK_FAULT_METHODS = ['chat.postMessage', 'chat.update', 'reactions.add', 'chat.postEphemeral', 'views.open', 'views.publish'] as const;
export const SLACK_FAULT_KINDS = ['http_429', 'http_500', 'http_503', 'timeout'] as const;

/** Meta errors a send can fail with (reference/whatsapp.md §4), with the HTTP status Graph answers them with. */
export const WHATSAPP_FAULT_CODES = [
  { code: 131047, httpStatus: 400, title: 'Re-engagement message' },
  { code: 131026, httpStatus: 400, title: 'Message undeliverable' },
  { code: 130429, httpStatus: 429, title: 'Rate limit hit' },
  { code: 131056, httpStatus: 400, title: '(Business Account, Consumer Account) pair rate limit hit' },
  { code: 131000, httpStatus: 500, title: 'Something went wrong' },
  { code: 190, httpStatus: 401, title: 'Invalid OAuth access token' },
  { code: 131053, httpStatus: 400, title: 'Media upload error' },
  { code: 368, httpStatus: 403, title: 'Temporarily blocked for policies violations' },
] as const;

const times = z.number().int().min(1).max(100).default(1);

export const faultActionSchema = z.discriminatedUnion('target', [
  z.object({
    target: z.literal('slack'),
    method: z.enum(SLACK_FAULT_METHODS),
    kind: z.enum(SLACK_FAULT_KINDS),
    times,
    retryAfterSec: z.number().int().min(1).max(120).default(5),
  }),
  z.object({
    target: z.literal('whatsapp'),
    /** A Graph error code, or `timeout`: Graph takes the send and never answers (an uncertain send). */
    code: z.union([z.number().int().positive(), z.literal('timeout')]),
    times,
  }),
  z.object({ target: z.literal('clear') }),
]);

export type FaultAction = z.infer<typeof faultActionSchema>;

export function applyClockAction(clock: SandboxClock, action: z.infer<typeof clockActionSchema>, timeZone: string): void {
  if ('advanceMinutes' in action) clock.advance(action.advanceMinutes * 60_000);
  else clock.advanceTo(action.to, timeZone);
}

/** `graphTimeoutMs`: threadline's own wait on Graph; a held send outlasts it, so it becomes uncertain. */
export function applyFaultAction(slack: SlackEmulator, graph: GraphEmulator, action: FaultAction, graphTimeoutMs: number): void {
  switch (action.target) {
    case 'slack':
      slack.injectFault({
        method: action.method,
        kind: action.kind,
        times: action.times,
        ...(action.kind === 'http_429' ? { retryAfterSec: action.retryAfterSec } : {}),
        ...(action.kind === 'timeout' ? { delayMs: 15_000 } : {}),
      });
      return;
    case 'whatsapp': {
      if (action.code === 'timeout') {
        graph.injectFault({ route: 'messages', kind: 'timeout', afterEffect: true, delayMs: graphTimeoutMs + 5_000, times: action.times });
        return;
      }
      const known = WHATSAPP_FAULT_CODES.find((c) => c.code === action.code);
      graph.injectFault({
        route: 'messages',
        kind: 'graph_error',
        code: action.code,
        httpStatus: known?.httpStatus ?? 400,
        title: known?.title ?? 'Injected error',
        times: action.times,
      });
      return;
    }
    case 'clear':
      slack.clearFaults();
      graph.clearFaults();
      return;
    default:
      action satisfies never;
  }
}

export function listFaults(slack: SlackEmulator, graph: GraphEmulator): FaultView[] {
  return [
    ...slack.pendingFaults().map(({ spec, remaining }) => ({
      target: 'slack' as const,
      description: `${spec.method} answers ${spec.kind === 'http_429' ? `429 (Retry-After ${spec.retryAfterSec ?? 1} s)` : spec.kind.replace('http_', '')}`,
      remaining,
    })),
    ...graph.pendingFaults().map(({ spec, remaining }) => ({
      target: 'whatsapp' as const,
      description: spec.kind === 'graph_error' ? `sends fail with ${spec.code} (${spec.title ?? ''})` : `sends get no answer (${spec.kind})`,
      remaining,
    })),
  ];
}
