import manifest from '../../manifest.json';
import { systemClock } from '../clock';
import { SOCKET_ACK_TIMEOUT_MS } from './slack-app-client';
import type { AppDelivery, EmulatorCore } from './slack-emulator-core';
import { FaultRegistry } from './slack-faults';
import { SlackFileStore } from './slack-file-store';
import {
  type ActionTarget,
  type InteractionResult,
  simulateButtonClick,
  simulateChoice,
  simulateFileInputUpload,
  simulateMessageShortcut,
  simulateSlashCommand,
  simulateUserSelect,
  simulateViewClosed,
  simulateViewSubmission,
} from './slack-people-interactions';
import {
  deliverBotMessageEvent,
  type EventDelivery,
  redeliverEvent,
  simulateAppHomeOpened,
  simulateMembershipChange,
  simulateUserDelete,
  simulateUserEdit,
  simulateUserPost,
  type UserPostArgs,
} from './slack-people-events';
import { SlackRateLimiter } from './slack-rate-limits';
import { ResponseUrlRegistry } from './slack-response-urls';
import { startSlackHttpServer } from './slack-server';
import { SocketModeHub } from './slack-socket-hub';
import type {
  AppResponse,
  EphemeralMessage,
  FaultSpec,
  RecordedCall,
  RecordedResponseUrlPost,
  SeedChannel,
  SeedUser,
  SlackEmulatorOptions,
  StoredFile,
  StoredMessage,
  StoredView,
} from './slack-types';
import type { SubmittedValue, SubmittedValues } from './slack-view-state';
import { SlackViewStore } from './slack-view-store';
import { DEFAULT_USERS, SlackWorkspace } from './slack-workspace';

/**
 * A Slack Web API emulator on loopback (DESIGN §6): wire-accurate answers for the methods the app uses, every call
 * recorded, Slack's per-channel rate limit and injectable faults, plus simulated people who post, click, run
 * commands and submit modals: signed requests to our app, or envelopes over its Socket Mode connection when it has
 * one open (slack.md §9.5). Usable from jest, scripts and the sandbox.
 */

export const EMULATOR_DEFAULTS = {
  token: 'xoxb-emulator-token',
  signingSecret: 'emulator-signing-secret',
  appToken: 'xapp-1-A0THREADLN-1-emulator-app-token',
  botUserId: 'U0BOT00001',
  botId: 'B0BOT00001',
  teamId: 'T0EMULATOR',
  apiAppId: 'A0THREADLN',
  channel: { id: 'C0INBOX001', name: 'inbox' },
} as const;

/** What an app installed from manifest.json is granted. */
const MANIFEST_BOT_SCOPES: readonly string[] = manifest.oauth_config.scopes.bot;

export interface SlackEmulator {
  /** `http://127.0.0.1:PORT/api/`: pass as slackApiUrl (trailing slash: the method name is appended). */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly port: number;
  readonly token: string;
  readonly signingSecret: string;
  /** The app-level token apps.connections.open accepts (SLACK_APP_TOKEN in Socket Mode). */
  readonly appToken: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly apiAppId: string;

  readonly calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** POSTs to response_url endpoints. */
  readonly responses: RecordedResponseUrlPost[];
  readonly ephemerals: EphemeralMessage[];
  /** Every signed request sent to the app, with its answer (status 0: no answer). */
  readonly deliveries: AppDelivery[];
  /** Every JSON message our app sent over Socket Mode (acks included). */
  readonly socketMessages: Record<string, unknown>[];
  readonly stats: { rateLimited: Record<string, number>; rateLimitedByMethod: Record<string, number> };

  /** Every message of the channel (top-level and replies) in ts order. */
  messages(channel: string): StoredMessage[];
  /** Parent first, then replies. */
  thread(channel: string, threadTs: string): StoredMessage[];
  message(channel: string, ts: string): StoredMessage | undefined;
  view(viewId: string): StoredView | undefined;
  /** The modal on top of the user's stack. */
  openModal(user: string): StoredView | undefined;
  homeView(user: string): StoredView | undefined;
  file(fileId: string): StoredFile | undefined;
  addUser(user: SeedUser): void;
  addChannel(channel: string | SeedChannel): void;
  /** The workspace's people (the bot included) and channels (DMs included), as they are now. */
  users(): SeedUser[];
  channels(): EmulatedChannelInfo[];
  /** The people in a channel (the bot not included), sorted. */
  membersOf(channel: string): string[];
  /** The person joins: the app gets member_joined_channel (when the bot is in the channel and it changed anything). */
  joinChannel(args: { user: string; channel: string; inviter?: string }): Promise<EventDelivery | undefined>;
  /** The person leaves: the app gets member_left_channel (same conditions). */
  leaveChannel(args: { user: string; channel: string }): Promise<EventDelivery | undefined>;

  /** Open Socket Mode connections of our app that take envelopes (one told to disconnect no longer counts). */
  socketConnections(): number;
  /** Slack's `disconnect` message on every open connection: the app should open a new one (slack.md §9.5). */
  disconnectSocket(reason?: string): void;
  /** Our app's base URL, when it is only known after the emulator started. */
  setAppUrl(appUrl: string): void;
  userPosts(args: UserPostArgs): Promise<EventDelivery & { ts: string }>;
  userEdits(args: { user: string; channel: string; ts: string; text: string }): Promise<EventDelivery>;
  userDeletes(args: { user: string; channel: string; ts: string }): Promise<EventDelivery>;
  redeliverEvent(eventId: string, retryNum: number, reason?: string): Promise<AppResponse>;
  openAppHome(user: string): Promise<EventDelivery>;
  clickButton(args: ActionTarget & { value?: string }): Promise<InteractionResult>;
  selectUser(args: ActionTarget & { selectedUser: string }): Promise<InteractionResult>;
  /** Any other menu: static/conversations/channels selects, overflow, radio buttons, checkboxes. */
  choose(args: ActionTarget & { selected: SubmittedValue }): Promise<InteractionResult>;
  runSlashCommand(args: { user: string; channel: string; command: string; text: string }): Promise<InteractionResult & { responseUrl: string }>;
  runMessageShortcut(args: { user: string; channel: string; messageTs: string; callbackId: string }): Promise<InteractionResult & { responseUrl: string }>;
  /** The person uploads a file into a modal's file_input (shared nowhere); submit its id as that input's value. */
  uploadForFileInput(args: { user: string; name: string; data: Buffer; mimetype?: string }): { fileId: string };
  submitView(args: { user: string; view: { id: string }; values: SubmittedValues }): Promise<InteractionResult>;
  /** Closes the user's top modal (Cancel or ×); a view_closed goes to the app when the view asked for one. */
  closeView(args: { user: string; view: { id: string } }): Promise<AppResponse | undefined>;

  /** The bot token's scopes from now on (`x-oauth-scopes`); reset() restores the manifest's. */
  setGrantedScopes(scopes: readonly string[]): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  pendingFaults(): Array<{ spec: FaultSpec; remaining: number }>;
  /** Back to the start: seeded users and channels only; messages, files, views, calls, counters and faults cleared. */
  reset(): void;
  /** Stops the server and drops held connections so the process can exit. */
  close(): Promise<void>;
}

export interface EmulatedChannelInfo {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  /** For a DM: the person the bot talks to. */
  user?: string | undefined;
}

function toSeedChannel(channel: string | SeedChannel): SeedChannel {
  return typeof channel === 'string' ? { id: channel, name: channel.toLowerCase() } : channel;
}

export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const clock = options.clock ?? systemClock;
  const identity = {
    teamId: options.teamId ?? EMULATOR_DEFAULTS.teamId,
    teamDomain: 'threadline-emulator',
    apiAppId: options.apiAppId ?? EMULATOR_DEFAULTS.apiAppId,
    botUserId: options.botUserId ?? EMULATOR_DEFAULTS.botUserId,
    botId: options.botId ?? EMULATOR_DEFAULTS.botId,
    botName: 'threadline',
  };
  const seeds = {
    users: options.users ?? DEFAULT_USERS,
    channels: (options.channels ?? [EMULATOR_DEFAULTS.channel]).map(toSeedChannel),
  };
  let baseUrl = '';
  const workspace = new SlackWorkspace(identity, clock, seeds);
  const core: EmulatorCore = {
    token: options.token ?? EMULATOR_DEFAULTS.token,
    signingSecret: options.signingSecret ?? EMULATOR_DEFAULTS.signingSecret,
    appToken: options.appToken ?? EMULATOR_DEFAULTS.appToken,
    grantedScopes: options.grantedScopes ?? MANIFEST_BOT_SCOPES,
    socket: new SocketModeHub({
      appId: identity.apiAppId,
      baseUrl: () => baseUrl,
      pingIntervalMs: options.socketPingIntervalMs ?? 10_000,
      ackTimeoutMs: SOCKET_ACK_TIMEOUT_MS,
    }),
    appUrl: options.appUrl,
    deliverBotMessageEvents: options.deliverBotMessageEvents ?? false,
    sender: { ...identity, verificationToken: 'emulator-verification-token' },
    workspace,
    files: new SlackFileStore(() => baseUrl, identity.teamId, clock),
    views: new SlackViewStore(clock, identity),
    rateLimiter: new SlackRateLimiter(options.rateLimits, clock),
    responseUrls: new ResponseUrlRegistry(() => baseUrl, clock),
    ephemerals: [],
    calls: [],
    deliveries: [],
    eventBodies: new Map(),
    baseUrl: () => baseUrl,
    onBotMessage: (message) => deliverBotMessageEvent(core, message),
    notify: () => options.onActivity?.(),
  };
  const faults = new FaultRegistry();
  const server = await startSlackHttpServer(core, faults, options.port ?? 0);
  baseUrl = `http://127.0.0.1:${server.port}`;

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    port: server.port,
    token: core.token,
    signingSecret: core.signingSecret,
    appToken: core.appToken,
    teamId: identity.teamId,
    botUserId: identity.botUserId,
    botId: identity.botId,
    apiAppId: identity.apiAppId,
    calls: core.calls,
    callsTo: (method) => core.calls.filter((c) => c.method === method),
    responses: core.responseUrls.posts,
    ephemerals: core.ephemerals,
    deliveries: core.deliveries,
    socketMessages: core.socket.received,
    stats: { rateLimited: core.rateLimiter.rateLimited, rateLimitedByMethod: core.rateLimiter.rateLimitedByMethod },
    messages: (channel) => [...(workspace.channels.get(channel)?.messages ?? [])],
    thread: (channel, threadTs) => workspace.listThread(channel, threadTs),
    message: (channel, ts) => workspace.findMessage(channel, ts),
    view: (viewId) => core.views.find({ viewId }),
    openModal: (user) => core.views.topModalOf(user),
    homeView: (user) => core.views.homeViewOf(user),
    file: (fileId) => core.files.get(fileId),
    addUser: (user) => workspace.addUser(user),
    addChannel: (channel) => void workspace.addChannel(toSeedChannel(channel)),
    users: () => [...workspace.users.values()],
    channels: () =>
      [...workspace.channels.values()].map((c) => ({ id: c.id, name: c.name, isPrivate: c.is_private, isIm: c.is_im, user: c.user })),
    membersOf: (channel) => [...(workspace.channels.get(channel)?.members ?? [])].sort(),
    joinChannel: (args) => simulateMembershipChange(core, { ...args, joined: true }),
    leaveChannel: (args) => simulateMembershipChange(core, { ...args, joined: false }),
    socketConnections: () => core.socket.liveConnectionCount(),
    disconnectSocket: (reason) => core.socket.sendDisconnect(reason),
    setAppUrl: (appUrl) => {
      core.appUrl = appUrl;
    },
    userPosts: (args) => simulateUserPost(core, args),
    userEdits: (args) => simulateUserEdit(core, args),
    userDeletes: (args) => simulateUserDelete(core, args),
    redeliverEvent: (eventId, retryNum, reason) => redeliverEvent(core, eventId, retryNum, reason),
    openAppHome: (user) => simulateAppHomeOpened(core, user),
    clickButton: (args) => simulateButtonClick(core, args),
    selectUser: (args) => simulateUserSelect(core, args),
    choose: (args) => simulateChoice(core, args),
    runSlashCommand: (args) => simulateSlashCommand(core, args),
    runMessageShortcut: (args) => simulateMessageShortcut(core, args),
    uploadForFileInput: (args) => simulateFileInputUpload(core, args),
    submitView: (args) => simulateViewSubmission(core, args),
    closeView: (args) => simulateViewClosed(core, args),
    setGrantedScopes: (scopes) => {
      core.grantedScopes = [...scopes];
    },
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    pendingFaults: () => faults.remaining(),
    reset: () => {
      workspace.reset();
      core.grantedScopes = options.grantedScopes ?? MANIFEST_BOT_SCOPES;
      core.files.reset();
      core.views.reset();
      core.rateLimiter.reset();
      core.responseUrls.reset();
      core.ephemerals.length = 0;
      core.calls.length = 0;
      core.deliveries.length = 0;
      core.eventBodies.clear();
      core.socket.reset();
      faults.clear();
    },
    close: () => server.close(),
  };
}
