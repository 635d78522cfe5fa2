import type { NewMessage } from '../../db/schema';
import type { SlackFileRef, SlackGateway } from '../slack/gateway';
import { mentionedUserIds, mrkdwnToWhatsApp } from '../whatsapp/format-to-whatsapp';
import { chooseWhatsAppMediaType } from '../whatsapp/media-limits';
import { splitForWhatsApp } from '../whatsapp/split-text';
export { WHATSAPP_TEXT_LIMIT } from '../whatsapp/split-text';

/** One Slack reply turned into the WhatsApp messages it becomes, and the files WhatsApp would refuse. */
export interface ReplyContent {
  parts: Omit<NewMessage, 'conversationId' | 'direction'>[];
  rejectedFiles: { filename: string; reason: string }[];
  /** The reply as WhatsApp text, for previews in ephemerals. */
  preview: string;
  /** How many WhatsApp text messages the text became (more than one past 4,096 characters). */
  textMessages: number;
}

/** `*Ana:*`: WhatsApp bold (reference/whatsapp.md §3.2); asterisks in the name itself would break it. */
export function signatureFor(name: string): string {
  return `*${name.replace(/[*_~`]/g, '').trim()}:*`;
}

export function isNote(text: string, prefixes: readonly string[]): boolean {
  const head = text.trimStart().toLowerCase();
  return prefixes.some((p) => head.startsWith(p));
}

export function stripNotePrefix(text: string, prefixes: readonly string[]): string {
  const trimmed = text.trimStart();
  const prefix = prefixes.find((p) => trimmed.toLowerCase().startsWith(p));
  return prefix ? trimmed.slice(prefix.length).trim() : trimmed.trim();
}

/**
 * Slack mrkdwn → WhatsApp text (mentions become names, links become "text (url)"), split at 4,096 characters,
 * plus one message per file WhatsApp accepts (reference/whatsapp.md §3.2, §3.3).
 */
export async function buildReplyContent(
  slack: Pick<SlackGateway, 'getUser'>,
  args: {
    text: string;
    files: SlackFileRef[];
    slackTs: string;
    slackChannelId: string;
    userId: string;
    /** Whether the bot token may fetch this URL (outbound-hosts.ts): a remote or forged file URL is refused here. */
    isSlackFileUrl: (url: string) => boolean;
    /** SIGN_REPLIES=name: the agent's name, put in front of the text in WhatsApp bold ("*Ana:* …"). */
    signature?: string | undefined;
  },
): Promise<ReplyContent> {
  const names = new Map<string, string>();
  await Promise.all(
    mentionedUserIds(args.text).map(async (id) => {
      try {
        const u = await slack.getUser(id);
        names.set(id, u.displayName || u.realName || u.name);
      } catch {
        // An unknown user stays "@someone" rather than blocking the reply.
      }
    }),
  );
  const unsigned = mrkdwnToWhatsApp(args.text, { user: (id) => names.get(id) }).trim();
  const whatsappText = unsigned && args.signature ? `${signatureFor(args.signature)} ${unsigned}` : unsigned;
  const textParts = whatsappText ? splitForWhatsApp(whatsappText) : [];
  const parts: ReplyContent['parts'] = textParts.map((body, i) => ({
    kind: 'text',
    body,
    part: i,
    slackTs: args.slackTs,
    slackChannelId: args.slackChannelId,
    slackUserId: args.userId,
    payload: i === 0 ? { slackText: args.text } : {},
  }));
  const rejectedFiles: ReplyContent['rejectedFiles'] = [];
  for (const file of args.files) {
    if (!args.isSlackFileUrl(file.urlPrivateDownload)) {
      rejectedFiles.push({ filename: file.name, reason: 'It is not stored in Slack, so threadline does not fetch it. Upload the file itself.' });
      continue;
    }
    const choice = chooseWhatsAppMediaType(file.mimetype, file.name, file.size);
    if (!choice.ok) {
      rejectedFiles.push({ filename: file.name, reason: choice.reason });
      continue;
    }
    parts.push({
      kind: choice.type,
      body: null,
      part: parts.length,
      slackTs: args.slackTs,
      slackChannelId: args.slackChannelId,
      slackUserId: args.userId,
      payload: {
        slackFile: { id: file.id, name: file.name, mimetype: file.mimetype, size: file.size, url: file.urlPrivateDownload },
        mimeType: choice.mimeType,
        ...(parts.length === 0 ? { slackText: args.text } : {}),
      },
    });
  }
  return { parts, rejectedFiles, preview: whatsappText, textMessages: textParts.length };
}
