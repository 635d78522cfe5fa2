/*
 * The App Home tab: my shift (with its toggle), my open conversations, the queue's counts, and for admins the team's
 * roles and each channel's routing. A Home tab holds at most 100 blocks (slack.md §5).
 */
import type { ActionsBlock, HomeView, KnownBlock, UsersSelect } from '@slack/types';
import { ActionIds } from '../src/ids';
import { formatElapsed } from './durations';
import { buildQueueRow, describeCounts, type OpenStateView, type QueueRowView } from './queue-list';
import { button, context, escapeMrkdwn, header, makeSnippet, mention, plainText, section, SlackLimits, slackDateTime } from './primitives';

export type RoleView = 'agent' | 'manager' | 'admin';
export type RoutingModeView = 'manual' | 'round_robin' | 'least_open';

export interface TeammateView {
  userId: string;
  role: RoleView;
  /** Admin through ADMIN_USER_IDS: the role cannot be changed here. */
  fixedAdmin: boolean;
  onShiftSince?: Date | undefined;
  openCount: number;
}

export interface ChannelRoutingView {
  channelId: string;
  mode: RoutingModeView;
  /** The channel's own periods; undefined = the default. */
  reminderMinutes?: number | undefined;
  releaseMinutes?: number | undefined;
}

export interface AppHomeInput {
  userId: string;
  role: RoleView;
  onShiftSince?: Date | undefined;
  /** A line at the top, e.g. why a click was refused: our own mrkdwn (it may mention people). */
  noticeMrkdwn?: string | undefined;
  mine: { rows: QueueRowView[]; total: number };
  counts: Record<OpenStateView, number>;
  admin?: {
    teammates: TeammateView[];
    channels: ChannelRoutingView[];
    defaults: { reminderMinutes: number; releaseMinutes: number };
  } | undefined;
  /** The team's saved replies (title and text), for everyone. */
  savedReplies?: { id: number; title: string; body: string }[] | undefined;
  now: Date;
}

const HOME_BLOCKS = 100;

export type AppHomeView = HomeView & { blocks: KnownBlock[] };

export const ROUTING_LABELS = {
  manual: 'manual (claim only)',
  round_robin: 'round robin among agents on shift',
  least_open: 'agent on shift with the fewest open',
} as const satisfies Record<RoutingModeView, string>;

const ROLE_BUTTONS = [
  { role: 'agent', actionId: ActionIds.homeMakeAgent, text: 'Make agent' },
  { role: 'manager', actionId: ActionIds.homeMakeManager, text: 'Make manager' },
  { role: 'admin', actionId: ActionIds.homeMakeAdmin, text: 'Make admin' },
] as const satisfies readonly { role: RoleView; actionId: string; text: string }[];

export function buildAppHome(input: AppHomeInput): AppHomeView {
  const blocks: KnownBlock[] = [header('threadline')];
  if (input.noticeMrkdwn?.trim()) blocks.push(section(`⚠️ ${input.noticeMrkdwn.trim()}`));
  blocks.push(buildShiftSection(input), { type: 'divider' });
  blocks.push(...buildMine(input));
  blocks.push({ type: 'divider' }, section(`*Queue*\n${describeCounts(input.counts)}`));
  if (input.savedReplies) blocks.push(...buildSavedReplies(input.savedReplies, input.role));
  if (input.admin) blocks.push(...buildAdmin(input.admin, HOME_BLOCKS - blocks.length));
  return { type: 'home', blocks: blocks.slice(0, HOME_BLOCKS) };
}

/** Up to 10 saved replies; the full list is one `/threadline replies` away. */
function buildSavedReplies(replies: { id: number; title: string; body: string }[], role: RoleView): KnownBlock[] {
  const manage = role === 'agent' ? '' : ' Manage them with `/threadline replies add | edit | remove`.';
  const blocks: KnownBlock[] = [{ type: 'divider' }, section(`*Saved replies* (${replies.length})`)];
  if (replies.length === 0) {
    blocks.push(context([`None yet.${manage}`]));
    return blocks;
  }
  const shown = replies.slice(0, 10).map((r) => `• *#${r.id} ${escapeMrkdwn(r.title)}*: ${makeSnippet(r.body, 120)}`);
  blocks.push(section(shown.join('\n')));
  blocks.push(context([`Send one from a thread with the “Send a saved reply” shortcut.${manage}`]));
  return blocks;
}

function buildShiftSection(input: AppHomeInput): KnownBlock {
  const role = `You are ${input.role === 'agent' || input.role === 'admin' ? 'an' : 'a'} ${input.role}.`;
  const on = input.onShiftSince !== undefined;
  const status = input.onShiftSince
    ? `*On shift* since ${slackDateTime(input.onShiftSince)} (${formatElapsed(input.onShiftSince, input.now)})`
    : '*Off shift*: automatic routing does not assign you new conversations.';
  const block = section(`${status}\n${role}`);
  block.accessory = on
    ? button({ actionId: ActionIds.homeShiftToggle, text: 'End shift', value: 'off' })
    : button({ actionId: ActionIds.homeShiftToggle, text: 'Start shift', value: 'on', style: 'primary' });
  return block;
}

/** Up to 15 of my conversations: the rest is one /queue mine away. */
function buildMine(input: AppHomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [section(`*Your open conversations* (${input.mine.total})`)];
  if (input.mine.total === 0) {
    blocks.push(context(['Nothing open. `/queue unassigned` lists conversations nobody has claimed.']));
    return blocks;
  }
  const shown = input.mine.rows.slice(0, 15);
  for (const row of shown) blocks.push(buildQueueRow(row, input.now, false));
  const more = input.mine.total - shown.length;
  if (more > 0) blocks.push(context([`+${more} more: \`/queue mine\` lists them all`]));
  return blocks;
}

function buildAdmin(admin: NonNullable<AppHomeInput['admin']>, budget: number): KnownBlock[] {
  const routing = buildRouting(admin);
  const addTeammate: UsersSelect = {
    type: 'users_select',
    action_id: ActionIds.homeAddTeammate,
    placeholder: plainText('Add a teammate…', SlackLimits.placeholderText),
  };
  const fixed: KnownBlock[] = [
    { type: 'divider' },
    header('Team'),
    { type: 'actions', block_id: 'home:add_teammate', elements: [addTeammate] },
    routing,
  ];
  // Each teammate takes two blocks (their line and their role buttons); one more for "+N more".
  const fit = Math.max(0, Math.floor((budget - fixed.length - 1) / 2));
  const shown = admin.teammates.slice(0, fit);
  const rows = shown.flatMap((t) => buildTeammate(t));
  const more = admin.teammates.length - shown.length;
  const tail: KnownBlock[] = more > 0 ? [context([`+${more} more teammates: use \`/threadline role @user …\``])] : [];
  return [fixed[0]!, fixed[1]!, ...rows, ...tail, fixed[2]!, fixed[3]!];
}

function buildTeammate(t: TeammateView): KnownBlock[] {
  const shift = t.onShiftSince ? `on shift since ${slackDateTime(t.onShiftSince)}` : 'off shift';
  const role = t.fixedAdmin ? 'admin (ADMIN_USER_IDS)' : t.role;
  const line = section(`${mention(t.userId)}  ·  ${role}  ·  ${shift}  ·  ${t.openCount} open`);
  if (t.fixedAdmin) return [line];
  const elements: ActionsBlock['elements'] = ROLE_BUTTONS.filter((b) => b.role !== t.role).map((b) =>
    button({ actionId: b.actionId, text: b.text, value: t.userId }),
  );
  return [line, { type: 'actions', block_id: `home:role:${t.userId}`, elements }];
}

function buildRouting(admin: NonNullable<AppHomeInput['admin']>): KnownBlock {
  const { defaults } = admin;
  const lines = admin.channels.map((c) => {
    const remind = c.reminderMinutes ?? defaults.reminderMinutes;
    const release = c.releaseMinutes ?? defaults.releaseMinutes;
    return `<#${c.channelId}>: ${ROUTING_LABELS[c.mode]}  ·  remind the owner after ${remind} min, take it back ${release} min later`;
  });
  const body = lines.length > 0 ? lines.join('\n') : '_No channel receives conversations yet._';
  return section(`*Routing*\n${body}\nChange it with \`/threadline routing manual|round_robin|least_open\` in the channel.`);
}
