import type { KnownBlock } from '@slack/types';
import { composeMessage, context, flattenMrkdwn, link, sections, slackDateTime, truncateMrkdwn } from './primitives';
import type { SlackMessage } from './types';

/** An edit's new version is one WhatsApp message (≤ 4096 characters): two sections hold it. */
const MAX_NEW_VERSION_SECTIONS = 2;
const SNIPPET_MAX = 200;

/**
 * The customer edited or deleted a message whose post cannot show it in place: threadline does not have the
 * original (sent before this conversation was kept, or never delivered to us), or its post is a file share, which
 * returns no ts to update (slack.md §7.1). So the thread gets a line of its own.
 */
export interface CustomerChangeNotice {
  change: 'edit' | 'revoke';
  at: Date;
  /** The message as threadline has it (its first version); absent when threadline never had it. */
  original?: { snippetMrkdwn: string; permalink?: string | undefined } | undefined;
  /** An edit's new version, already rendered as mrkdwn (renderInboundBody); absent when it could not be read. */
  newVersionMrkdwn?: string | undefined;
}

export function buildCustomerChangeNotice(notice: CustomerChangeNotice): SlackMessage {
  const when = slackDateTime(notice.at);
  const original = notice.original;
  const quoted = original
    ? `${link(original.permalink, 'their message')}${quote(original.snippetMrkdwn)}`
    : 'a message threadline does not have (sent before threadline kept this conversation, or never received)';
  if (notice.change === 'revoke') {
    const tail = original ? ' It stays in this thread for the team.' : '';
    const text = `🗑️ The customer deleted ${quoted} ${when}.${tail}`;
    return composeMessage(text, [context([text])]);
  }
  const head = `✏️ The customer edited ${quoted} ${when}.`;
  const body = notice.newVersionMrkdwn?.trim();
  const lead = body ? `${head} Now:` : `${head} threadline could not read the new version.`;
  const blocks: KnownBlock[] = [context([lead])];
  if (body) blocks.push(...sections(body, MAX_NEW_VERSION_SECTIONS));
  return composeMessage([lead, body].filter(Boolean).join('\n'), blocks);
}

function quote(snippetMrkdwn: string): string {
  const snippet = truncateMrkdwn(flattenMrkdwn(snippetMrkdwn), SNIPPET_MAX);
  return snippet ? ` “${snippet}”` : '';
}
