import type { BlockAction, ButtonAction, UsersSelectAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { idValue } from '../../src/ids';
import type { Deps } from '../../src/deps';

/** Who clicked, where, and the id the button carries (zod-checked: action values are our data, parsed strictly). */
export interface ClickContext {
  userId: string;
  channel: string | undefined;
  /** The thread the clicked message lives in (ephemerals and notices go there). */
  threadTs: string | undefined;
  messageTs: string | undefined;
  blockId: string;
}

export function clickContext(body: BlockAction, action: ButtonAction | UsersSelectAction): ClickContext {
  const container = body.container as { channel_id?: string; message_ts?: string; thread_ts?: string } | undefined;
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return {
    userId: body.user.id,
    channel: body.channel?.id ?? container?.channel_id,
    threadTs: message?.thread_ts ?? container?.thread_ts,
    messageTs: message?.ts ?? container?.message_ts,
    blockId: action.block_id,
  };
}

export function parseIdValue(value: string | undefined): number | undefined {
  const parsed = idValue.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** An answer only the clicker sees, sent after the durable work without holding up the ack. */
export function tellClicker(
  deps: Pick<Deps, 'background' | 'slack'>,
  ctx: ClickContext,
  message: { text: string; blocks: KnownBlock[] },
): void {
  const channel = ctx.channel;
  if (!channel) return;
  deps.background.run('action ephemeral', () =>
    deps.slack.postEphemeral({ channel, user: ctx.userId, threadTs: ctx.threadTs, ...message }),
  );
}
