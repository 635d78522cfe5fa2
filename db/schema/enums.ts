/** Value lists shared by the tables, zod schemas and exhaustive switches. */

export const conversationStates = ['unassigned', 'waiting_on_agent', 'waiting_on_customer', 'closed'] as const;
export type ConversationState = (typeof conversationStates)[number];

export const messageDirections = ['inbound', 'outbound'] as const;
export type MessageDirection = (typeof messageDirections)[number];

/** Where an inbound message stands on its way into the Slack thread. */
export const slackStates = ['pending', 'posted', 'failed'] as const;
export type SlackState = (typeof slackStates)[number];

/**
 * Where an outbound message stands on its way to WhatsApp. `held` is a reply we did not send (someone else owns
 * the conversation, or the 24-hour window is closed); `sending` is written before the Graph call, so a crash
 * leaves `sending` behind and the send is treated as uncertain, never repeated silently (DESIGN §4).
 */
export const waStates = [
  'held',
  'queued',
  'sending',
  'accepted',
  'sent',
  'delivered',
  'read',
  'played',
  'failed',
  'uncertain',
  'discarded',
] as const;
export type WaState = (typeof waStates)[number];

export const outboxStates = ['pending', 'in_flight', 'done', 'failed'] as const;
export type OutboxState = (typeof outboxStates)[number];

export const agentRoles = ['agent', 'manager', 'admin'] as const;
export type AgentRole = (typeof agentRoles)[number];

export const routingModes = ['manual', 'round_robin', 'least_open'] as const;
export type RoutingMode = (typeof routingModes)[number];
