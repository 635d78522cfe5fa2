import { findConversationByThread } from '../../db/queries/conversations';
import { recordSlackEvent } from '../../db/queries/inbox';
import { listMessagesBySlackTs } from '../../db/queries/messages';
import { insertAuditEvent } from '../../db/queries/audit';
import { findNoteBySlackTs, markNoteDeleted, updateNoteBody } from '../../db/queries/notes';
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

export type EditOutcome = 'duplicate' | 'not_a_conversation' | 'note_updated' | 'note_deleted' | 'customer_has_original' | 'ignored';

/**
 * WhatsApp cannot edit or unsend what the customer already has, so an edit or delete of a relayed reply is not
 * relayed; the editor is told. An edited note is kept up to date, and a deleted one stops being carried into
 * handoffs and summaries.
 */
export async function handleSlackEdit(deps: Deps, edit: SlackEdit): Promise<EditOutcome> {
  // Slack also sends message_changed when it adds a link preview to a message; the text stays as it was, and
  // nobody edited anything (slackhq/slack-api-docs#27: "when a bot_message is unfurled … message_changed").
  if (edit.kind === 'edited' && edit.newText !== undefined && edit.newText === edit.previousText) return 'ignored';
  if (!(await recordSlackEvent(deps.db, edit.eventId))) return 'duplicate';
  const conversation = await findConversationByThread(deps.db, edit.channel, edit.threadTs);
  if (!conversation) return 'not_a_conversation';

  const note = await findNoteBySlackTs(deps.db, conversation.id, edit.ts);
  if (note) return applyNoteEdit(deps, conversation.id, edit);

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

/**
 * A note stays a note whatever its edit says: it was never sent, and an edit is not a new reply (removing the prefix
 * does not send it). Deleted notes are kept, marked, for the audit trail.
 */
async function applyNoteEdit(deps: Deps, conversationId: number, edit: SlackEdit): Promise<EditOutcome> {
  if (edit.kind === 'edited') {
    if (edit.newText === undefined) return 'ignored';
    const body = isNote(edit.newText, deps.config.notePrefixes) ? stripNotePrefix(edit.newText, deps.config.notePrefixes) : edit.newText.trim();
    return (await updateNoteBody(deps.db, conversationId, edit.ts, body)) ? 'note_updated' : 'ignored';
  }
  const deleted = await deps.db.transaction(async (tx) => {
    const row = await markNoteDeleted(tx, conversationId, edit.ts, deps.clock.now());
    if (row) {
      await insertAuditEvent(tx, { conversationId, type: 'note_deleted', actorId: edit.userId, detail: { noteId: row.id }, at: deps.clock.now() });
    }
    return row;
  });
  return deleted ? 'note_deleted' : 'ignored';
}
