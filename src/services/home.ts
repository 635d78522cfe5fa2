import { listSavedReplies } from '../../db/queries/saved-replies';
import { type AppHomeInput, type ChannelRoutingView, buildAppHome } from '../../blocks/app-home';
import { findAgent, listAgents } from '../../db/queries/agents';
import { listChannelSettings } from '../../db/queries/channel-settings';
import { countOpenByOwner, countOpenByState, listOldestOpen, openStates } from '../../db/queries/queue';
import type { AgentRole } from '../../db/schema';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { SlackPermanentError } from '../slack/gateway';
import { ensureAgent, hasRole, roleOf, setRole } from './agents';
import { MembershipUnknownError, visibleChannels } from './channel-access';
import { toChannelFilter, toRowViews } from './queue-view';
import { endShiftWithHandoff, startShiftFor } from './shifts';

/** App Home: what `app_home_opened` publishes, and what every Home button publishes again after it acted. */

const MINE_ROWS = 15;

type HomeDeps = Pick<Deps, 'db' | 'config' | 'clock' | 'slack' | 'logger' | 'membership'>;

/** Home shows only the conversations of the person's channels, like /queue (channel-access.ts). */
export async function loadAppHome(deps: HomeDeps, userId: string, notice?: string): Promise<AppHomeInput> {
  const now = deps.clock.now();
  const role = await roleOf(deps, userId);
  const me = await findAgent(deps.db, userId);
  let channels: readonly string[] | undefined;
  try {
    channels = toChannelFilter(await visibleChannels(deps, userId, role));
  } catch (err) {
    if (!(err instanceof MembershipUnknownError)) throw err;
    channels = [];
    notice ??= err.userMessage;
  }
  const scope = { kind: 'owner', ownerId: userId } as const;
  const mineCounts = await countOpenByState(deps.db, scope, channels);
  // Oldest first across states: the customer who waited longest is the one to answer next.
  const mineRows = [];
  for (const state of openStates) {
    if (mineCounts[state] > 0) mineRows.push(...(await listOldestOpen(deps.db, { scope, state, limit: MINE_ROWS, channels })));
  }
  mineRows.sort((a, b) => a.waitingSince.getTime() - b.waitingSince.getTime() || a.id - b.id);
  const input: AppHomeInput = {
    userId,
    role,
    onShiftSince: me?.onShiftSince ?? undefined,
    noticeMrkdwn: notice,
    mine: {
      rows: await toRowViews(deps, mineRows.slice(0, MINE_ROWS)),
      total: openStates.reduce((sum, s) => sum + mineCounts[s], 0),
    },
    counts: await countOpenByState(deps.db, { kind: 'all' }, channels),
    savedReplies: (await listSavedReplies(deps.db)).map((r) => ({ id: r.id, title: r.title, body: r.body })),
    now,
  };
  if (hasRole(role, 'admin')) input.admin = await loadAdminSummary(deps);
  return input;
}

async function loadAdminSummary(deps: HomeDeps): Promise<NonNullable<AppHomeInput['admin']>> {
  const agents = await listAgents(deps.db);
  const ids = new Set([...agents.map((a) => a.slackUserId), ...deps.config.adminUserIds]);
  const counts = await countOpenByOwner(deps.db, [...ids]);
  const byId = new Map(agents.map((a) => [a.slackUserId, a]));
  const teammates = [...ids].sort().map((userId) => {
    const fixedAdmin = deps.config.adminUserIds.includes(userId);
    const agent = byId.get(userId);
    return {
      userId,
      role: fixedAdmin ? ('admin' as const) : (agent?.role ?? 'agent'),
      fixedAdmin,
      onShiftSince: agent?.onShiftSince ?? undefined,
      openCount: counts.get(userId) ?? 0,
    };
  });
  const settings = await listChannelSettings(deps.db);
  const configured = [deps.config.slack.defaultChannel, ...deps.config.whatsapp.numberChannels.values()];
  const channelIds = new Set([...configured.filter((c): c is string => Boolean(c)), ...settings.map((s) => s.channelId)]);
  const byChannel = new Map(settings.map((s) => [s.channelId, s]));
  const channels: ChannelRoutingView[] = [...channelIds].sort().map((channelId) => {
    const s = byChannel.get(channelId);
    return {
      channelId,
      mode: s?.routingMode ?? 'manual',
      reminderMinutes: s?.ownerReminderMinutes ?? undefined,
      releaseMinutes: s?.ownerReleaseMinutes ?? undefined,
    };
  });
  return {
    teammates,
    channels,
    defaults: { reminderMinutes: deps.config.timeouts.ownerReminderMinutes, releaseMinutes: deps.config.timeouts.ownerReleaseMinutes },
  };
}

export async function publishAppHome(deps: HomeDeps, userId: string, notice?: string): Promise<void> {
  const view = buildAppHome(await loadAppHome(deps, userId, notice));
  await deps.slack.publishHome({ userId, view });
}

/**
 * Someone opened the Home tab: they now appear in the admins' team list (as an agent unless set otherwise), once
 * Slack took their Home: an id Slack does not know (user_not_found) is junk, not a teammate.
 */
export async function showAppHome(deps: HomeDeps, userId: string): Promise<void> {
  try {
    await publishAppHome(deps, userId);
  } catch (err) {
    if (!(err instanceof SlackPermanentError)) throw err;
    deps.logger.warn({ err, userId }, 'Slack refused to show this Home tab; nothing recorded');
    return;
  }
  await ensureAgent(deps, userId);
}

/** The Home toggle: start the shift, or end it (with the handoff modal when conversations are still owned). */
export async function toggleShiftFromHome(deps: Deps, args: { userId: string; turnOn: boolean; triggerId?: string | undefined }): Promise<void> {
  let notice: string | undefined;
  if (args.turnOn) {
    await startShiftFor(deps, args.userId);
  } else {
    const ended = await endShiftWithHandoff(deps, args);
    if (ended.openCount > 0 && !ended.handoffOpened) {
      notice = `You still own ${ended.openCount} open conversation${ended.openCount === 1 ? '' : 's'}: \`/handoff @teammate\` or \`/handoff pool\` passes them on.`;
    }
  }
  await publishAppHome(deps, args.userId, notice);
}

/** An admin's role button on Home. A refusal is shown at the top of the clicker's Home. */
export async function setRoleFromHome(deps: Deps, args: { actorId: string; targetId: string; role: AgentRole }): Promise<void> {
  let notice: string | undefined;
  try {
    await setRole(deps, args.actorId, args.targetId, args.role);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    notice = err.userMessage;
  }
  await publishAppHome(deps, args.actorId, notice);
}

/** The admin's teammate picker: the person gets a row (as an agent) where their role can be set. */
export async function addTeammateFromHome(deps: Deps, args: { actorId: string; targetId: string }): Promise<void> {
  let notice: string | undefined;
  if (!hasRole(await roleOf(deps, args.actorId), 'admin')) {
    notice = 'Only admins can manage the team. Ask an admin to set roles.';
  } else {
    try {
      const user = await deps.slack.getUser(args.targetId);
      if (user.isBot) notice = 'That is an app, not a person: only people can work conversations.';
    } catch (err) {
      deps.logger.warn({ err, targetId: args.targetId }, 'could not look up the picked teammate; adding anyway');
    }
    if (!notice) await ensureAgent(deps, args.targetId);
  }
  await publishAppHome(deps, args.actorId, notice);
}
