/**
 * The playground's state as the page receives it (GET /playground/api/state and the live updates). Types only and
 * no imports, so the page's JSDoc-checked modules can use them (src/playground/web/tsconfig.json).
 */

export interface PersonaView {
  id: string;
  name: string;
  displayName?: string | undefined;
  realName?: string | undefined;
  role: 'agent' | 'manager' | 'admin';
  title: string;
}

export interface LineView {
  phoneNumberId: string;
  displayPhoneNumber: string;
  label: string;
  channel: string;
}

export interface PlaygroundState {
  now: string;
  aheadMs: number;
  digest: { time: string; timeZone: string };
  personas: readonly PersonaView[];
  lines: readonly LineView[];
  customers: { waId: string; name: string }[];
  phone: PhoneChat[];
  slack: SlackState;
  faults: FaultView[];
  faultOptions: {
    slackMethods: readonly string[];
    slackKinds: readonly string[];
    whatsappCodes: readonly { code: number; title: string }[];
  };
}

export type Tick = 'sent' | 'delivered' | 'read' | 'failed';

export interface PhoneMessage {
  id: string;
  from: 'customer' | 'business';
  at: string;
  /** The WhatsApp message type: text, image, document, location, template, interactive, button, … */
  type: string;
  text?: string | undefined;
  media?: { url?: string | undefined; mimeType?: string | undefined; filename?: string | undefined } | undefined;
  location?: { latitude: number; longitude: number; name?: string | undefined; address?: string | undefined } | undefined;
  template?: { name: string; language: string; parameters: string[] } | undefined;
  /** Buttons of an interactive message the customer can tap. */
  buttons?: { id: string; title: string }[] | undefined;
  /** The message this one answers (a reply, a reaction, a button tap). */
  contextId?: string | undefined;
  /** Business messages: their latest status. Customer messages: `read` once threadline marked them read. */
  tick?: Tick | undefined;
  error?: string | undefined;
  /** Reactions on this message, by whom. */
  reactions: { emoji: string; by: 'customer' | 'business' }[];
  /** The customer edited it (its text is the new one) or deleted it for everyone. */
  edited?: boolean | undefined;
  deleted?: boolean | undefined;
}

export interface PhoneChat {
  waId: string;
  phoneNumberId: string;
  name?: string | undefined;
  messages: PhoneMessage[];
}

export interface SlackFileView {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  url: string;
}

export interface SlackMessageView {
  ts: string;
  threadTs?: string | undefined;
  user?: string | undefined;
  isBot: boolean;
  /** The name a bot post was made under (chat:write.customize): threadline posts customer messages as the customer. */
  username?: string | undefined;
  iconEmoji?: string | undefined;
  text: string;
  blocks?: unknown[] | undefined;
  reactions: { name: string; users: string[]; count: number }[];
  files: SlackFileView[];
  replyCount: number;
  edited: boolean;
}

export interface EphemeralView {
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[] | undefined;
  threadTs?: string | undefined;
  ts: string;
}

export interface ViewView {
  id: string;
  type: string;
  callbackId: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  hash: string;
}

export interface SlackState {
  botUserId: string;
  users: { id: string; name: string; displayName: string; realName: string; isBot: boolean }[];
  channels: { id: string; name: string; kind: 'channel' | 'dm'; user?: string | undefined }[];
  messages: Record<string, SlackMessageView[]>;
  ephemerals: EphemeralView[];
  modals: Record<string, ViewView>;
  homes: Record<string, ViewView>;
  commands: { command: string; description: string; usageHint: string; shouldEscape: boolean }[];
  shortcuts: { name: string; callbackId: string; description: string }[];
}

export interface FaultView {
  target: 'slack' | 'whatsapp';
  description: string;
  remaining: number;
}

