import {
  buildActionError,
  buildClaimRefused,
  buildConversationClosedElsewhere,
  buildEditNotRelayed,
  buildFileRejected,
  buildNoteSaved,
  buildReplyHeldNotOwner,
  buildReplyHeldWindowClosed,
} from '../../../blocks/ephemerals';
import { ActionIds } from '../../../src/ids';
import { allText, listActionElements, listLimitViolations, listSlackTokens } from './slack-limits';

const hostile = '<!channel> & <@U999> > all';

describe('buildClaimRefused', () => {
  it('names the owner', () => {
    const message = buildClaimRefused({ ownerId: 'U1ANA', mayReassign: true });
    expect(message.text).toBe('<@U1ANA> already owns this conversation.');
    expect(listActionElements(message)).toEqual([]);
  });

  it('points managers at Reassign, and agents (who may not reassign) at the owner or a manager', () => {
    expect(allText(buildClaimRefused({ ownerId: 'U1ANA', mayReassign: true }))).toContain('*Reassign…*');
    const agent = allText(buildClaimRefused({ ownerId: 'U1ANA', mayReassign: false }));
    expect(agent).not.toContain('Reassign');
    expect(agent).toContain('Ask them to hand it off to you, or ask a manager to reassign it.');
  });
});

describe('buildReplyHeldNotOwner', () => {
  const message = buildReplyHeldNotOwner({ ownerId: 'U1ANA', messageId: 501, snippet: 'We can refund you today' });

  it('explains why the reply was not sent', () => {
    expect(message.text).toBe(
      'Not sent: <@U1ANA> owns this conversation, so the customer does not get two different answers.',
    );
    expect(allText(message)).toContain('We can refund you today');
  });

  it('offers Take over and send (confirmed) and Keep as note, both carrying the message id', () => {
    const [takeOver, keep] = listActionElements(message);
    expect(takeOver).toMatchObject({
      action_id: ActionIds.takeOverAndSend,
      value: '501',
      text: { text: 'Take over and send' },
    });
    expect(takeOver?.confirm).toMatchObject({ text: { type: 'mrkdwn' } });
    expect(JSON.stringify(takeOver?.confirm)).toContain('Take over from <@U1ANA>?');
    expect(keep).toMatchObject({ action_id: ActionIds.keepAsNote, value: '501', text: { text: 'Keep as note' } });
    expect(listLimitViolations(message)).toEqual([]);
  });
});

describe('buildReplyHeldWindowClosed', () => {
  const closedAt = new Date('2026-11-23T09:30:00Z');
  const message = buildReplyHeldWindowClosed({ closedAt, messageId: 502, snippet: 'Still there?' });

  it('says when the window closed and that only templates go out now', () => {
    const unix = Math.floor(closedAt.getTime() / 1000);
    expect(message.text).toBe(
      `Not sent: the 24-hour window closed at <!date^${unix}^{date_short_pretty} {time}|Nov 23, 2026 09:30 UTC>. ` +
        'WhatsApp only delivers approved message templates now; the customer has to write first.',
    );
  });

  it('offers only Keep as note', () => {
    const elements = listActionElements(message);
    expect(elements.map((element) => element.action_id)).toEqual([ActionIds.keepAsNote]);
    expect(elements[0]).toMatchObject({ value: '502' });
  });
});

describe('other ephemerals', () => {
  it.each(['edited', 'deleted'] as const)('explains a %s message was not relayed', (kind) => {
    expect(buildEditNotRelayed({ kind }).text).toContain(
      'The customer already has the original message; WhatsApp cannot edit or unsend it.',
    );
  });

  it('names a rejected file and the reason', () => {
    expect(buildFileRejected({ filename: 'big.mov', reason: 'Videos over 16 MB cannot be sent.' }).text).toBe(
      'Not sent: *big.mov*. Videos over 16 MB cannot be sent.',
    );
  });

  it('points to the newer thread of a closed conversation', () => {
    expect(buildConversationClosedElsewhere({ permalink: 'https://acme.slack.com/p3' }).text).toBe(
      "This conversation is closed; the customer's newer thread is <https://acme.slack.com/p3|here>.",
    );
  });

  it("shows an action error in threadline's own words, mentions included", () => {
    const message = buildActionError('<@U1ANA> is an app, not a person.');
    expect(message.text).toBe('⚠️ <@U1ANA> is an app, not a person.');
  });

  it('confirms a saved note', () => {
    expect(buildNoteSaved().text).toContain('private note');
  });

  it('keeps user text in every ephemeral inert and within limits', () => {
    const long = `${hostile} ${'z'.repeat(10_000)}`;
    const messages = [
      buildReplyHeldNotOwner({ ownerId: 'U1', messageId: 1, snippet: long }),
      buildReplyHeldWindowClosed({ closedAt: new Date(0), messageId: 1, snippet: long }),
      buildFileRejected({ filename: long, reason: long }),
    ];
    for (const message of messages) {
      const tokens = listSlackTokens(message).filter((token) => !/^<(@U1|!date\^)/.test(token));
      expect(tokens).toEqual([]);
      expect(listLimitViolations(message)).toEqual([]);
    }
  });
});
