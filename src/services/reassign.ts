import { findConversationById } from '../../db/queries/conversations';
import type { Deps } from '../deps';
import { SlackPermanentError } from '../slack/gateway';
import { checkMayActOnOthers } from './agents';
import { checkCanBeGiven, checkChannelAccess } from './channel-access';
import { assign } from './conversations';

/**
 * The card's user picker. Returns a refusal to show the clicker, or undefined when done. The clicker must be able
 * to see the conversation's channel, and the new owner must be in it (channel-access.ts). A bot cannot own a
 * conversation: nobody would answer the customer; nor can someone Slack does not know.
 */
export async function reassignFromCard(
  deps: Deps,
  conversationId: number,
  actorId: string,
  newOwnerId: string,
): Promise<string | undefined> {
  const current = await findConversationById(deps.db, conversationId);
  if (!current) return 'This conversation no longer exists.';
  const access = await checkChannelAccess(deps, actorId, current.channelId);
  if (!access.ok) return access.message;
  const refusal = checkMayActOnOthers({ actorId, ownerId: current.ownerId, role: access.role, action: 'reassign' });
  if (refusal) return refusal;
  try {
    const user = await deps.slack.getUser(newOwnerId);
    if (user.isBot) return `<@${newOwnerId}> is an app, not a person; pick someone who can answer the customer.`;
  } catch (err) {
    if (err instanceof SlackPermanentError) return 'Slack does not know that person. Pick someone from the list.';
    deps.logger.warn({ err, newOwnerId }, 'could not look up the picked user; assigning anyway');
  }
  const notThere = await checkCanBeGiven(deps, newOwnerId, current.channelId);
  if (notThere) return notThere;
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
