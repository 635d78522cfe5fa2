import { findAgent, updateAgentRole, upsertAgent } from '../../db/queries/agents';
import type { AgentRole } from '../../db/schema';
import type { Deps } from '../deps';
import { ForbiddenError } from '../errors';

const RANK: Record<AgentRole, number> = { agent: 0, manager: 1, admin: 2 };

type AgentDeps = Pick<Deps, 'db' | 'config'>;

/** Admins listed in ADMIN_USER_IDS are admins whatever the table says: the bootstrap that cannot lock itself out. */
export async function roleOf(deps: AgentDeps, userId: string): Promise<AgentRole> {
  if (deps.config.adminUserIds.includes(userId)) return 'admin';
  return (await findAgent(deps.db, userId))?.role ?? 'agent';
}

export function hasRole(role: AgentRole, atLeast: AgentRole): boolean {
  return RANK[role] >= RANK[atLeast];
}

/** Throws a ForbiddenError whose message tells the person what they would need. */
export async function requireRole(deps: AgentDeps, userId: string, atLeast: AgentRole, action: string): Promise<AgentRole> {
  const role = await roleOf(deps, userId);
  if (!hasRole(role, atLeast)) {
    throw new ForbiddenError(`Only ${atLeast === 'admin' ? 'admins' : 'managers and admins'} can ${action}. You are ${article(role)} ${role}.`);
  }
  return role;
}

export async function ensureAgent(deps: AgentDeps, userId: string): Promise<void> {
  await upsertAgent(deps.db, userId, { role: deps.config.adminUserIds.includes(userId) ? 'admin' : 'agent' });
}

export async function setRole(deps: AgentDeps, actorId: string, targetId: string, role: AgentRole): Promise<void> {
  await requireRole(deps, actorId, 'admin', 'set roles');
  if (deps.config.adminUserIds.includes(targetId) && role !== 'admin') {
    throw new ForbiddenError(`<@${targetId}> is an admin through ADMIN_USER_IDS; change that setting to demote them.`);
  }
  await updateAgentRole(deps.db, targetId, role);
}

/**
 * A conversation someone else owns is reassigned or resolved only by managers and admins: an agent hands off and
 * resolves only their own. Nobody's conversation (the pool) is open to everyone who may see it, like Claim. Returns
 * the refusal, saying what this agent can do instead, or undefined when allowed.
 */
export function checkMayActOnOthers(args: {
  actorId: string;
  ownerId: string | null;
  role: AgentRole;
  action: 'reassign' | 'resolve';
}): string | undefined {
  if (args.ownerId === null || args.ownerId === args.actorId) return undefined;
  if (hasRole(args.role, 'manager')) return undefined;
  const owner = `<@${args.ownerId}>`;
  return args.action === 'reassign'
    ? `Only managers and admins can reassign a conversation someone else owns. Ask ${owner} to hand it off to you, or ask a manager.`
    : `Only ${owner} (it is theirs), managers and admins can resolve this conversation. Ask ${owner} to resolve it, or ask a manager.`;
}

function article(role: AgentRole): string {
  return role === 'agent' || role === 'admin' ? 'an' : 'a';
}
