import { SANDBOX_CHANNEL } from '../config';
import type { SeedChannel, SeedUser } from '../emulators/slack-types';

/**
 * Who and what the sandbox starts with: a small support team in an emulated Slack workspace, two WhatsApp
 * business numbers (support and sales, each with its own channel), a digest channel for the manager, and a few
 * customers to play. Everything here is made up; the ids only have to look like Slack's and Meta's.
 */

export type PersonaRole = 'agent' | 'manager' | 'admin';

export interface Persona extends SeedUser {
  role: PersonaRole;
  /** What this person does, for the "acting as" switch. */
  title: string;
}

export const SANDBOX_ADMIN = 'U0SAM';
export const SANDBOX_MANAGER = 'U0MAYA';

export const PERSONAS: readonly Persona[] = [
  { id: 'U0ANA', name: 'ana', realName: 'Ana Souza', displayName: 'Ana', tz: 'America/Sao_Paulo', role: 'agent', title: 'Support agent' },
  { id: 'U0BRUNO', name: 'bruno', realName: 'Bruno Lima', displayName: 'Bruno', tz: 'Europe/Lisbon', role: 'agent', title: 'Support agent' },
  { id: 'U0CARLA', name: 'carla', realName: 'Carla Mendes', displayName: 'Carla', tz: 'Europe/Madrid', role: 'agent', title: 'Sales agent' },
  { id: SANDBOX_MANAGER, name: 'maya', realName: 'Maya Okafor', displayName: 'Maya', tz: 'Europe/London', role: 'manager', title: 'Support manager' },
  { id: SANDBOX_ADMIN, name: 'sam', realName: 'Sam Reyes', displayName: 'Sam', tz: 'UTC', role: 'admin', title: 'Workspace admin' },
];

export const SALES_CHANNEL = 'C0SANDBOX02';
export const DIGEST_CHANNEL = 'C0SANDBOX03';

export const CHANNELS: readonly SeedChannel[] = [
  { id: SANDBOX_CHANNEL, name: 'support-whatsapp' },
  { id: SALES_CHANNEL, name: 'sales-whatsapp' },
  { id: DIGEST_CHANNEL, name: 'support-leads' },
];

export interface BusinessLine {
  phoneNumberId: string;
  displayPhoneNumber: string;
  label: string;
  channel: string;
}

export const BUSINESS_LINES: readonly BusinessLine[] = [
  { phoneNumberId: '100000000000001', displayPhoneNumber: '15550001111', label: 'Support line', channel: SANDBOX_CHANNEL },
  { phoneNumberId: '100000000000002', displayPhoneNumber: '15550003333', label: 'Sales line', channel: SALES_CHANNEL },
];

export interface SandboxCustomer {
  waId: string;
  name: string;
}

export const CUSTOMERS: readonly SandboxCustomer[] = [
  { waId: '15550002222', name: 'Alice Martin' },
  { waId: '4915123456789', name: 'Jonas Weber' },
  { waId: '5511987654321', name: 'Beatriz Costa' },
];
