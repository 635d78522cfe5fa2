import { z } from 'zod';
import type { SlackEmulator } from '../emulators/slack-emulator';
import type { AppResponse } from '../emulators/slack-types';
import { SLACK_COMMANDS } from './slack-state';

/**
 * What a person does in Slack on the playground page, performed by the Slack emulator as signed requests to
 * threadline's real /slack/events (events, block_actions, view_submission, slash commands, message shortcuts):
 * exactly what Slack itself would send.
 */

const id = z.string().trim().min(1).max(64);
const ts = z.string().regex(/^\d+\.\d{6}$/);

/** What a form holds: text and single choices as a string, multi selects and file_input ids as a list. */
const formValues = z.record(z.string().max(255), z.record(z.string().max(255), z.union([z.string().max(3000), z.array(z.string().max(255)).max(100), z.null()])));

const target = z.object({
  user: id,
  actionId: z.string().min(1).max(255),
  blockId: z.string().max(255).optional(),
  channel: id.optional(),
  messageTs: ts.optional(),
  threadTs: ts.optional(),
  isEphemeral: z.boolean().optional(),
  /** An ephemeral is not stored in the channel, so its blocks travel with the click (as Slack's client knows them). */
  blocks: z.array(z.unknown()).max(100).optional(),
  viewId: id.optional(),
  /** In a modal: every input's value as the person left it, which block_actions carries as view.state (slack.md §4). */
  values: formValues.optional(),
});

export const slackActionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('post'),
    user: id,
    channel: id,
    threadTs: ts.optional(),
    text: z.string().max(40_000),
    file: z.object({ name: z.string().min(1).max(240), mimetype: z.string().min(3).max(120), dataBase64: z.string().min(1).max(11_200_000) }).optional(),
  }),
  z.object({ kind: z.literal('edit'), user: id, channel: id, ts, text: z.string().min(1).max(40_000) }),
  z.object({ kind: z.literal('delete'), user: id, channel: id, ts }),
  target.extend({ kind: z.literal('click'), value: z.string().max(2000).optional() }),
  // A dispatching text input reports its text as what was "chosen": up to plain_text_input's 3000 characters.
  target.extend({ kind: z.literal('choose'), selected: z.union([z.string().max(3000), z.array(z.string().max(255)).max(100), z.null()]) }),
  z.object({ kind: z.literal('submit'), user: id, viewId: id, values: formValues }),
  z.object({
    kind: z.literal('file_input_upload'),
    user: id,
    name: z.string().min(1).max(240),
    mimetype: z.string().min(3).max(120).optional(),
    // A file_input takes up to 10 MB (its element reference); base64 makes that 4/3 as many characters.
    dataBase64: z.string().min(1).max(14_000_000),
  }),
  z.object({ kind: z.literal('close'), user: id, viewId: id }),
  z.object({ kind: z.literal('command'), user: id, channel: id, command: z.string().regex(/^\/[a-z]+$/), text: z.string().max(2000) }),
  z.object({ kind: z.literal('shortcut'), user: id, channel: id, messageTs: ts, callbackId: z.string().min(1).max(255) }),
  z.object({ kind: z.literal('home'), user: id }),
]);

export type SlackAction = z.infer<typeof slackActionSchema>;

export interface SlackActionResult {
  /** What threadline answered the signed request with (undefined for actions with no request, like a silent close). */
  response?: AppResponse | undefined;
  /** Where an ack that carries a message shows it (slash commands answer in the ack body). */
  shownIn?: { channel: string; user: string } | undefined;
  /** A file uploaded into a file_input: the id the form submits. */
  fileId?: string | undefined;
}

/**
 * Slack escapes `@name` and `#channel` in the text of commands declared with should_escape (slack.md §3); the
 * app then sees `<@U123|name>`, which is what threadline parses.
 */
export function escapeCommandText(slack: SlackEmulator, command: string, text: string): string {
  if (!SLACK_COMMANDS.find((c) => c.command === command)?.shouldEscape) return text;
  const users = slack.users().filter((u) => !u.isBot);
  const channels = slack.channels().filter((c) => !c.isIm);
  return text
    .replace(/(^|\s)@([a-z0-9._-]+)/gi, (whole, space: string, name: string) => {
      const user = users.find((u) => [u.name, u.displayName, u.id].some((n) => n?.toLowerCase() === name.toLowerCase()));
      return user ? `${space}<@${user.id}|${user.name}>` : whole;
    })
    .replace(/(^|\s)#([a-z0-9._-]+)/gi, (whole, space: string, name: string) => {
      const channel = channels.find((c) => c.name === name.toLowerCase() || c.id === name);
      return channel ? `${space}<#${channel.id}|${channel.name}>` : whole;
    });
}

function targetOf(action: z.infer<typeof target>) {
  return {
    user: action.user,
    actionId: action.actionId,
    ...(action.blockId !== undefined ? { blockId: action.blockId } : {}),
    ...(action.channel !== undefined ? { channel: action.channel } : {}),
    ...(action.messageTs !== undefined ? { messageTs: action.messageTs } : {}),
    ...(action.threadTs !== undefined ? { threadTs: action.threadTs } : {}),
    ...(action.isEphemeral !== undefined ? { isEphemeral: action.isEphemeral } : {}),
    ...(action.blocks !== undefined ? { asShown: { blocks: action.blocks } } : {}),
    ...(action.viewId !== undefined ? { viewId: action.viewId } : {}),
    ...(action.values !== undefined ? { values: action.values } : {}),
  };
}

export async function performSlackAction(slack: SlackEmulator, action: SlackAction): Promise<SlackActionResult> {
  switch (action.kind) {
    case 'post': {
      const files = action.file ? [{ name: action.file.name, mimetype: action.file.mimetype, data: Buffer.from(action.file.dataBase64, 'base64') }] : undefined;
      const posted = await slack.userPosts({
        user: action.user,
        channel: action.channel,
        text: action.text,
        ...(action.threadTs ? { threadTs: action.threadTs } : {}),
        ...(files ? { files } : {}),
      });
      return { response: posted.response };
    }
    case 'edit':
      return { response: (await slack.userEdits(action)).response };
    case 'delete':
      return { response: (await slack.userDeletes(action)).response };
    case 'click':
      return { response: await slack.clickButton({ ...targetOf(action), ...(action.value !== undefined ? { value: action.value } : {}) }) };
    case 'choose':
      return { response: await slack.choose({ ...targetOf(action), selected: action.selected }) };
    case 'submit':
      return { response: await slack.submitView({ user: action.user, view: { id: action.viewId }, values: action.values }) };
    case 'close':
      return { response: await slack.closeView({ user: action.user, view: { id: action.viewId } }) };
    case 'file_input_upload': {
      const data = Buffer.from(action.dataBase64, 'base64');
      return slack.uploadForFileInput({ user: action.user, name: action.name, data, ...(action.mimetype ? { mimetype: action.mimetype } : {}) });
    }
    case 'command': {
      const text = escapeCommandText(slack, action.command, action.text);
      const response = await slack.runSlashCommand({ user: action.user, channel: action.channel, command: action.command, text });
      return { response, shownIn: { channel: action.channel, user: action.user } };
    }
    case 'shortcut':
      return { response: await slack.runMessageShortcut(action), shownIn: { channel: action.channel, user: action.user } };
    case 'home':
      return { response: (await slack.openAppHome(action.user)).response };
    default:
      return action satisfies never;
  }
}
