import { z } from 'zod';
import { type HandoffTargetKind, HandoffModalIds } from '../../blocks/handoff-modal';
import { serialIdNumber, slackChannelId, slackUserId } from '../ids';

/**
 * The handoff modal's private_metadata and submitted state, parsed strictly (STYLE: zod for view state). The
 * metadata carries ids only, so it stays far below Slack's 3000 characters (slack.md §4).
 */

const metadataSchema = z.object({
  v: z.literal(1),
  /** Whose conversations these are (the person handing off). */
  f: slackUserId,
  /** [conversation id, the owner the modal showed (null = nobody)]; ids are int4 (conversations.id is serial). */
  c: z.array(z.tuple([serialIdNumber, slackUserId.nullable()])).min(1).max(100),
  /** One conversation (card button, shortcut). */
  s: z.boolean(),
});

export type HandoffMetadata = z.infer<typeof metadataSchema>;

export function encodeHandoffMetadata(args: { fromUserId: string; conversations: { id: number; ownerId: string | null }[]; single: boolean }): string {
  const metadata: HandoffMetadata = { v: 1, f: args.fromUserId, c: args.conversations.map((c) => [c.id, c.ownerId]), s: args.single };
  return JSON.stringify(metadata);
}

const stateValue = z
  .object({
    selected_option: z.object({ value: z.string() }).nullish(),
    selected_options: z.array(z.object({ value: z.string() })).nullish(),
    selected_user: slackUserId.nullish(),
    selected_conversation: slackChannelId.nullish(),
    value: z.string().max(3000).nullish(),
  })
  .passthrough();
const stateValues = z.record(z.string(), z.record(z.string(), stateValue));

export interface HandoffFormItem {
  conversationId: number;
  expectedOwnerId: string | null;
  included: boolean;
  note: string | undefined;
  overrideUserId: string | undefined;
}

export interface HandoffForm {
  fromUserId: string;
  single: boolean;
  targetKind: HandoffTargetKind | undefined;
  targetUserId: string | undefined;
  targetChannelId: string | undefined;
  items: HandoffFormItem[];
}

/** Returns undefined when the view is not one we built (tampered or from an older version). */
export function parseHandoffForm(view: { private_metadata?: string | undefined; state?: unknown }): HandoffForm | undefined {
  let metadata: HandoffMetadata;
  try {
    metadata = metadataSchema.parse(JSON.parse(view.private_metadata ?? ''));
  } catch {
    return undefined;
  }
  const state = stateValues.safeParse((view.state as { values?: unknown } | undefined)?.values ?? {});
  if (!state.success) return undefined;
  const read = (blockId: string) => state.data[blockId]?.[HandoffModalIds.action];
  const kind = read(HandoffModalIds.targetKindBlock)?.selected_option?.value;
  return {
    fromUserId: metadata.f,
    single: metadata.s,
    targetKind: kind === 'user' || kind === 'pool' || kind === 'channel' ? kind : undefined,
    targetUserId: read(HandoffModalIds.targetUserBlock)?.selected_user ?? undefined,
    targetChannelId: read(HandoffModalIds.targetChannelBlock)?.selected_conversation ?? undefined,
    items: metadata.c.map(([conversationId, expectedOwnerId]) => {
      const include = read(HandoffModalIds.includeBlock(conversationId));
      const note = read(HandoffModalIds.noteBlock(conversationId))?.value?.trim();
      return {
        conversationId,
        expectedOwnerId,
        // One-conversation modals have no tick box: that conversation is the point.
        included: metadata.s || (include?.selected_options ?? []).some((o) => o.value === HandoffModalIds.includeValue),
        note: note || undefined,
        overrideUserId: metadata.s ? undefined : (read(HandoffModalIds.overrideBlock(conversationId))?.selected_user ?? undefined),
      };
    }),
  };
}
