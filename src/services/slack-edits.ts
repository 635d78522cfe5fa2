import { findConversationByThread } from '../../db/queries/conversations';
import { recordSlackEvent } from '../../db/queries/inbox';
import { listMessagesBySlackTs } from '../../db/queries/messages';
import { findNoteBySlackTs, updateNoteBody } from '../../db/queries/notes';
import { buildEditNotRelayed } from '../../blocks/ephemerals';
import type { Deps } from '../deps';
import { isNote, stripNotePrefix } from './reply-content';

export interface SlackEdit {
  eventId: string;
  kind: 'edited' | 'deleted';
  channel: string;
  threadTs: string;
  ts: string;
  userId: string;
  newText?: string | undefined;
  previousText?: string | undefined;
}

export type EditOutcome = 'duplicate' | 'not_a_conversation' | 'note_updated' | 'customer_has_original' | 'ignored';

/**
 * WhatsApp cannot edit or unsend what the customer already has, so an edit or delete of a relayed reply is not
 * relayed; the editor is told. An edited note is kept up to date.
 */
export async function handleSlackEdit(deps: Deps, edit: SlackEdit): Promise<EditOutcome> {
  // Slack also sends message_changed when it adds a link preview to a message; the text stays as it was, and
  // nobody edited anything (slackhq/slack-api-docs#27: "when a bot_message is unfurled … message_changed").
  if (edit.kind === 'edited' && edit.newText !== undefined && edit.newText === edit.previousText) return 'ignored';
  if (!(await recordSlackEvent(deps.db, edit.eventId))) return 'duplicate';
  const conversation = await findConversationByThread(deps.db, edit.channel, edit.threadTs);
  if (!conversation) return 'not_a_conversation';

  const note = await findNoteBySlackTs(deps.db, conversation.id, edit.ts);
  if (note) {
    if (edit.kind === 'edited' && edit.newText !== undefined && isNote(edit.newText, deps.config.notePrefixes)) {
      await updateNoteBody(deps.db, conversation.id, edit.ts, stripNotePrefix(edit.newText, deps.config.notePrefixes));
      return 'note_updated';
    }
    return 'ignored';
  }

  const relayed = (await listMessagesBySlackTs(deps.db, conversation.id, edit.ts)).filter(
    (m) => m.direction === 'outbound' && m.waState !== 'held' && m.waState !== 'discarded',
  );
  if (relayed.length === 0) return 'ignored';
  deps.background.run('edit ephemeral', () =>
    deps.slack.postEphemeral({
      channel: edit.channel,
      user: edit.userId,
      threadTs: edit.threadTs,
      ...buildEditNotRelayed({ kind: edit.kind }),
    }),
  );
  return 'customer_has_original';
}
