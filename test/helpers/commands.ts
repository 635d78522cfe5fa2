import type { StoredView } from '../../src/emulators/slack-types';
import { type Harness, INBOX } from './harness';
import { renderedText } from './threads';
import { waitFor } from './wait';

/** What the app answered a slash command with, in the ack body (ephemeral unless it says otherwise). */
export interface CommandAnswer {
  status: number;
  responseType: string | undefined;
  text: string;
  blocks: unknown[];
  /** Text and blocks as one string, for "it says …" checks. */
  rendered: string;
}

/** Someone runs a slash command in a channel (the inbox by default). `text` is what Slack sends, mentions escaped. */
export async function runCommand(h: Harness, user: string, command: string, text = '', channel = INBOX): Promise<CommandAnswer> {
  const result = await h.slack.runSlashCommand({ user, channel, command, text });
  const body = (result.json ?? {}) as { response_type?: string; text?: string; blocks?: unknown[] };
  return {
    status: result.status,
    responseType: body.response_type,
    text: body.text ?? result.text,
    blocks: body.blocks ?? [],
    rendered: renderedText({ text: body.text ?? result.text, blocks: body.blocks ?? [] }),
  };
}

/** The Home tab the app last published for `user`. */
export function homeOf(h: Harness, user: string): StoredView | undefined {
  return h.slack.homeView(user);
}

/** Waits until the user's published Home satisfies `check`. */
export function waitForHome(h: Harness, user: string, what: string, check: (rendered: string) => boolean): Promise<StoredView> {
  return waitFor(`home of ${user}: ${what}`, () => {
    const view = homeOf(h, user);
    return view && check(JSON.stringify(view.blocks)) ? view : undefined;
  });
}

/** Buttons and selects of a view or message, with their block ids. */
export function elementsOf(blocks: unknown[]): { action_id?: string; value?: string; block_id?: string }[] {
  return (blocks as { block_id?: string; elements?: unknown[]; accessory?: unknown }[]).flatMap((b) =>
    [...((b.elements ?? []) as object[]), ...(b.accessory ? [b.accessory as object] : [])].map((e) => ({ ...e, block_id: b.block_id })),
  );
}
