import type { BlockAction, ButtonAction, RespondFn, UsersSelectAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { conversationIdValue, messageIdValue, slackChannelId, slackTs } from '../../src/ids';
import type { Deps } from '../../src/deps';

/** Who clicked, where, and the id the button carries (zod-checked: action values are our data, parsed strictly). */
export interface ClickContext {
  userId: string;
  channel: string | undefined;
  /** The thread the clicked message lives in (ephemerals and notices go there). */
  threadTs: string | undefined;
  messageTs: string | undefined;
  blockId: string;
  /** The click's response_url: it reaches the clicker where chat.postEphemeral cannot (not in the channel). */
  respond: RespondFn | undefined;
}

const ok = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown): T | undefined => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

export function clickContext(body: BlockAction, action: ButtonAction | UsersSelectAction, respond?: RespondFn): ClickContext {
  const container = body.container as { channel_id?: string; message_ts?: string; thread_ts?: string } | undefined;
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return {
    userId: body.user.id,
    channel: ok(slackChannelId, body.channel?.id ?? container?.channel_id),
    threadTs: ok(slackTs, message?.thread_ts ?? container?.thread_ts),
    messageTs: ok(slackTs, message?.ts ?? container?.message_ts),
    blockId: action.block_id,
    respond,
  };
}

export function parseConversationId(value: unknown): number | undefined {
  return ok(conversationIdValue, value);
}

export function parseMessageId(value: unknown): number | undefined {
  return ok(messageIdValue, value);
}

/**
 * An answer only the clicker sees, sent after the durable work without holding up the ack: in the thread with
 * chat.postEphemeral, else (not in the channel, or no channel) through the click's response_url.
 */
export function tellClicker(
  deps: Pick<Deps, 'background' | 'slack'>,
  ctx: ClickContext,
  message: { text: string; blocks: KnownBlock[] },
): void {
  const { channel, respond } = ctx;
  const viaResponseUrl = async () => {
    if (respond) await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
  };
  deps.background.run('action ephemeral', async () => {
    if (!channel) return viaResponseUrl();
    try {
      await deps.slack.postEphemeral({ channel, user: ctx.userId, threadTs: ctx.threadTs, ...message });
    } catch (err) {
      if (!respond) throw err;
      await viaResponseUrl();
    }
  });
}
