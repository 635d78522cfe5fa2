import { type Conversation, parseSlackOp } from '../../../db/schema';
import { renderThreadNotice } from '../../../src/services/thread-notice';
import { createRecordingSlack } from '../../helpers/recording-slack';

const conversation = { id: 5, channelId: 'C0SUPPORT01', threadTs: '1800000000.000100' } as Conversation;
const deps = { slack: createRecordingSlack() };

describe('a generic thread notice', () => {
  it('goes into the conversation thread as a section when it is only words', async () => {
    const notice = await renderThreadNotice(deps, conversation, { notice: 'text', text: '🔀 Handed off' });
    expect(notice).toMatchObject({ channel: 'C0SUPPORT01', threadTs: '1800000000.000100', message: { text: '🔀 Handed off' } });
    expect(notice.message.blocks).toHaveLength(1);
    expect(notice.replaceParent).toBeUndefined();
  });

  it('can go into a thread the conversation has left, link to its current thread and replace the old card', async () => {
    const notice = await renderThreadNotice(deps, conversation, {
      notice: 'text',
      text: '➡️ Moved',
      channel: 'C0SALES0001',
      threadTs: '1700000000.000001',
      link: { label: 'Continue in the new thread' },
      replaceParent: { text: 'moved', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'moved' } }] },
    });
    expect(notice.channel).toBe('C0SALES0001');
    expect(notice.threadTs).toBe('1700000000.000001');
    expect(notice.message.text).toBe('➡️ Moved <https://example.slack.com/archives/C0SUPPORT01/p1800000000000100|Continue in the new thread>');
    expect(notice.replaceParent?.text).toBe('moved');
  });

  it('with blocks, adds the link to a given thread as a last context line', async () => {
    const notice = await renderThreadNotice(deps, conversation, {
      notice: 'text',
      text: 'summary',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'summary' } }],
      link: { label: 'The earlier thread', channel: 'C0SALES0001', threadTs: '1700000000.000001' },
    });
    expect(notice.message.blocks).toHaveLength(2);
    expect(JSON.stringify(notice.message.blocks[1])).toContain('<https://example.slack.com/archives/C0SALES0001/p1700000000000001|The earlier thread>');
  });

  it('is refused when read back in a shape it was never written in, and read when written before `notice` existed', () => {
    const row = { id: 1, conversationId: 5, channelId: null, kind: 'post_notice', messageId: null, state: 'pending', attempts: 0, notBefore: null, resultTs: null, lastError: null, createdAt: new Date(), doneAt: null } as const;
    const bad = parseSlackOp({ ...row, payload: { text: 'x', link: 'not an object' } });
    expect(bad.ok).toBe(false);
    const legacy = parseSlackOp({ ...row, payload: { text: 'from an older version' } });
    expect(legacy.ok && legacy.op.kind === 'post_notice' && legacy.op.payload).toMatchObject({ notice: 'text', text: 'from an older version' });
  });
});
