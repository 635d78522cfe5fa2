import { findConversationById } from '../../db/queries/conversations';
import type { Deps } from '../deps';
import { hasRole, roleOf } from './agents';
import { assign } from './conversations';

/**
 * The card's user picker. Returns a refusal to show the clicker, or undefined when done.
 * A bot cannot own a conversation: nobody would answer the customer.
 */
export async function reassignFromCard(
  deps: Deps,
  conversationId: number,
  actorId: string,
  newOwnerId: string,
): Promise<string | undefined> {
  try {
    const user = await deps.slack.getUser(newOwnerId);
    if (user.isBot) return `<@${newOwnerId}> is an app, not a person; pick someone who can answer the customer.`;
  } catch (err) {
    deps.logger.warn({ err, newOwnerId }, 'could not look up the picked user; assigning anyway');
  }
  const current = await findConversationById(deps.db, conversationId);
  if (!current) return 'This conversation no longer exists.';
  const refusal = await checkMayReassign(deps, { actorId, ownerId: current.ownerId });
  if (refusal) return refusal;
  const result = await assign(deps, {
    conversationId,
    actorId,
    newOwnerId,
    reason: actorId === newOwnerId ? 'claimed' : `assigned by <@${actorId}>`,
    audit: 'reassigned',
    // The permission was decided on this owner: if it changed meanwhile, nothing moves.
    expectedOwnerId: current.ownerId,
  });
  if (result.ok) return undefined;
  switch (result.reason) {
    case 'closed':
      return 'This conversation is resolved, so it cannot be reassigned.';
    case 'not_found':
      return 'This conversation no longer exists.';
    case 'changed':
      return 'Someone changed the owner just now. Look at the card and try again.';
    default:
      return result.reason satisfies never;
  }
}

/**
 * A conversation someone else owns is reassigned only by managers and admins: an agent hands off only their own.
 * Nobody's conversation (the pool) can be given to anyone, like Claim, which stays open to everyone. Returns the
 * refusal, or undefined when allowed.
 */
export async function checkMayReassign(
  deps: Pick<Deps, 'db' | 'config'>,
  args: { actorId: string; ownerId: string | null },
): Promise<string | undefined> {
  if (args.ownerId === null || args.ownerId === args.actorId) return undefined;
  if (hasRole(await roleOf(deps, args.actorId), 'manager')) return undefined;
  return 'Only managers and admins can reassign a conversation someone else owns. Ask its owner to hand it off.';
}
