import { HandoffModalIds } from '../../blocks/handoff-modal';
import { findConversationById } from '../../db/queries/conversations';
import type { StoredMessage, StoredView } from '../../src/emulators/slack-types';
import type { SubmittedValues } from '../../src/emulators/slack-view-state';
import { type Harness, INBOX } from './harness';
import type { OpenConversation } from './threads';
import { waitFor } from './wait';

/** Steps the handoff end-to-end tests share: the filled modal, submitting it, and the DMs people got. */

/** The handoff modal on top of the user's stack once it has been filled (the first view is a loading one). */
export function waitForHandoffModal(h: Harness, user: string): Promise<StoredView> {
  return waitFor(`${user}'s filled handoff modal`, () => {
    const view = h.slack.openModal(user);
    return view?.callback_id === HandoffModalIds.callbackId && view.submit ? view : undefined;
  });
}

export function inputBlockIds(view: StoredView): string[] {
  return (view.blocks as { type: string; block_id?: string }[]).filter((b) => b.type === 'input').map((b) => b.block_id ?? '');
}

export function findInput(view: StoredView, blockId: string): { element: Record<string, unknown>; label: { text: string } } | undefined {
  return (view.blocks as { block_id?: string; element: Record<string, unknown>; label: { text: string } }[]).find((b) => b.block_id === blockId);
}

/** What a person fills in: the target, and per conversation whether it goes, its note and an override. */
export interface HandoffChoice {
  kind?: 'user' | 'pool' | 'channel';
  user?: string;
  channel?: string;
  conversations?: { id: number; include?: boolean; note?: string; to?: string }[];
}

/** Slack sends every input's current value, prefilled ones included; the emulator sends only what the test gives. */
export function handoffValues(choice: HandoffChoice): SubmittedValues {
  const value = HandoffModalIds.action;
  const values: SubmittedValues = {
    [HandoffModalIds.targetKindBlock]: { [value]: choice.kind ?? null },
    [HandoffModalIds.targetUserBlock]: { [value]: choice.user ?? null },
    [HandoffModalIds.targetChannelBlock]: { [value]: choice.channel ?? null },
  };
  for (const c of choice.conversations ?? []) {
    if (c.include !== undefined) values[HandoffModalIds.includeBlock(c.id)] = { [value]: c.include ? [HandoffModalIds.includeValue] : [] };
    if (c.note !== undefined) values[HandoffModalIds.noteBlock(c.id)] = { [value]: c.note };
    if (c.to !== undefined) values[HandoffModalIds.overrideBlock(c.id)] = { [value]: c.to };
  }
  return values;
}

export async function submitHandoff(h: Harness, user: string, view: StoredView, choice: HandoffChoice) {
  const result = await h.slack.submitView({ user, view: { id: view.id }, values: handoffValues(choice) });
  if (result.status !== 200) throw new Error(`view_submission answered ${result.status}`);
  return result.json as { response_action?: string; errors?: Record<string, string> } | undefined;
}

/** Messages the app posted in its DM with `user`. */
export function dmsTo(h: Harness, user: string): StoredMessage[] {
  const channels = new Set(
    h.slack
      .callsTo('conversations.open')
      .filter((call) => call.params.users === user)
      .map((call) => (call.response as { channel?: { id?: string } } | undefined)?.channel?.id)
      .filter((id): id is string => typeof id === 'string'),
  );
  return [...channels].flatMap((channel) => h.slack.messages(channel));
}

export function waitForDm(h: Harness, user: string, contains: string): Promise<StoredMessage> {
  return waitFor(`a DM to ${user} saying "${contains}"`, () =>
    dmsTo(h, user).find((m) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`.includes(contains)),
  );
}

/** An agent claims from the card and waits until the database says so. */
export async function claimAs(h: Harness, c: OpenConversation, user: string): Promise<void> {
  await h.slack.clickButton({ user, actionId: 'conversation_claim', channel: INBOX, messageTs: c.cardTs });
  await waitFor(`${user} owns ${c.name}`, async () => (await findConversationById(h.app.deps.db, c.conversationId))?.ownerId === user);
}
