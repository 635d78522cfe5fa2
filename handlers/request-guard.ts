import type { AnyMiddlewareArgs, App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../src/deps';
import { ActionIds, CallbackIds, slackChannelId, slackEventId, slackTeamId, slackTs, slackUserId } from '../src/ids';

/**
 * Every signed Slack request passes here before any listener: the parts every surface relies on (who, where, which
 * of our buttons, commands, modals or shortcuts) must have the shape Slack gives them. A request that does not is
 * bad input from someone holding a valid signature (a replay, a proxy, a bug): it is acknowledged and dropped with a
 * warning, so it can neither reach a query or a Slack call with a made-up id nor end in a 500 (which for events
 * would also make Slack retry it, slack.md §2.1). Each listener still parses its own fields (zod) after this.
 */

/** The command text Slack sends is far below this; more is not someone typing. */
export const MAX_COMMAND_TEXT = 4000;

const COMMANDS = ['/queue', '/handoff', '/shift', '/threadline'] as const;
const actionIds = new Set<string>(Object.values(ActionIds));
/**
 * Which callback ids are modals (app.view) and which message shortcuts (app.shortcut): a submission naming a
 * shortcut's id, or a shortcut naming a modal's, has no listener and would wait for Bolt's 404 after 3 s.
 */
const CALLBACK_KINDS = {
  handoffModal: 'modal',
  handoffShortcut: 'shortcut',
  templateModal: 'modal',
  templateShortcut: 'shortcut',
  savedReplyModal: 'modal',
  savedReplyShortcut: 'shortcut',
} as const satisfies Record<keyof typeof CallbackIds, 'modal' | 'shortcut'>;
const callbackIdsOf = (kind: 'modal' | 'shortcut') =>
  new Set<string>(Object.entries(CALLBACK_KINDS).flatMap(([key, k]) => (k === kind ? [CallbackIds[key as keyof typeof CallbackIds]] : [])));
const modalCallbackIds = callbackIdsOf('modal');
const shortcutCallbackIds = callbackIdsOf('shortcut');
const bounded = (max: number) => z.string().min(1).max(max);

const user = z.object({ id: slackUserId });
const team = z.object({ id: slackTeamId }).nullish();
const channel = z.object({ id: slackChannelId }).nullish();

const blockActions = z.object({
  type: z.literal('block_actions'),
  user,
  team,
  channel,
  actions: z.array(z.object({ action_id: bounded(255).refine((id) => actionIds.has(id)), block_id: z.string().max(255).optional() })).length(1),
});
const viewSubmission = z.object({
  type: z.literal('view_submission'),
  user,
  team,
  view: z.object({ callback_id: bounded(255).refine((id) => modalCallbackIds.has(id)), private_metadata: z.string().max(3000).optional() }),
});
const messageShortcut = z.object({
  type: z.literal('message_action'),
  user,
  team,
  callback_id: bounded(255).refine((id) => shortcutCallbackIds.has(id)),
  channel: z.object({ id: slackChannelId }),
  message_ts: slackTs,
  trigger_id: bounded(255),
  // Slack always sends one (slack.md §3); the shortcuts answer refusals through it.
  response_url: bounded(3000),
  message: z.object({ ts: slackTs, thread_ts: slackTs.optional() }).passthrough(),
});
const slashCommand = z.object({
  command: z.enum(COMMANDS),
  user_id: slackUserId,
  channel_id: slackChannelId,
  team_id: slackTeamId.optional(),
  // Slack always sends the field, empty when nothing was typed; the listeners read it as it came.
  text: z.string().max(MAX_COMMAND_TEXT),
  trigger_id: bounded(255),
});
const eventEnvelope = z.object({
  type: z.literal('event_callback'),
  event_id: slackEventId,
  event: z.object({ type: bounded(100) }).passthrough(),
});

/** Which check applies to this body, by what Slack sends: events, interactions by `type`, commands by `command`. */
function schemaFor(body: Record<string, unknown>): z.ZodType | undefined {
  if ('command' in body) return slashCommand;
  switch (body.type) {
    case 'event_callback':
      return eventEnvelope;
    case 'block_actions':
      return blockActions;
    case 'view_submission':
      return viewSubmission;
    case 'message_action':
      return messageShortcut;
    // view_closed among them: no modal of ours sets notify_on_close, so Slack never sends it (slack.md §4), and
    // app.view() listens to submissions only. One that arrives anyway is answered here, not left for Bolt's 404 at 3 s.
    default:
      return undefined;
  }
}

export function registerRequestGuard(app: App, deps: Pick<Deps, 'logger'>): void {
  app.use(async (args) => {
    const body = (args as AnyMiddlewareArgs).body as unknown as Record<string, unknown>;
    const schema = schemaFor(body);
    if (!schema) {
      deps.logger.warn({ type: typeof body.type === 'string' ? body.type.slice(0, 50) : undefined }, 'dropped a Slack request of a kind threadline does not take');
      await acknowledge(args, undefined);
      return;
    }
    const checked = schema.safeParse(body);
    if (checked.success) {
      await args.next();
      return;
    }
    deps.logger.warn(
      { type: 'command' in body ? 'command' : body.type, problems: checked.error.issues.map((i) => i.path.join('.')).slice(0, 5) },
      'dropped a Slack request that is not in the shape Slack sends',
    );
    await acknowledge(args, 'command' in body ? '⚠️ threadline could not read that command. Run it again from Slack.' : undefined);
  });
}

/** Events are acknowledged by Bolt itself; everything else gets an empty ack, a command a line saying so. */
async function acknowledge(args: unknown, commandText: string | undefined): Promise<void> {
  const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
  if (!ack) return;
  await ack(commandText ? { response_type: 'ephemeral', text: commandText } : undefined);
}
