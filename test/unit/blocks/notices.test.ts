import {
  buildCustomerChangedNumberNotice,
  buildDeliveryFailedNotice,
  buildDeliveryUncertainNotice,
  buildGenericNotice,
  buildMediaRejectedNotice,
  buildReopenedNotice,
  buildUncertainSettledNotice,
} from '../../../blocks/notices';
import { ActionIds } from '../../../src/ids';
import { allText, listActionElements, listLimitViolations, listSlackTokens } from './slack-limits';

const hostile = '<!channel> & <@U999> > all';

describe('buildDeliveryFailedNotice', () => {
  const notice = buildDeliveryFailedNotice({
    agentId: 'U1ANA',
    snippet: 'Your refund is on its way',
    origin: 'WhatsApp error 131047',
    explanation: 'More than 24 hours passed since the customer last wrote.',
    permalink: 'https://acme.slack.com/archives/C1/p2',
  });

  it('tells the agent which reply failed and why, in plain words', () => {
    expect(notice.text).toBe(
      '<@U1ANA> ❌ Not delivered: <https://acme.slack.com/archives/C1/p2|“Your refund is on its way”> — ' +
        'More than 24 hours passed since the customer last wrote.',
    );
    expect(allText(notice)).toContain('WhatsApp error 131047');
    expect(listLimitViolations(notice)).toEqual([]);
  });

  it('works without an agent or a permalink', () => {
    const bare = buildDeliveryFailedNotice({ snippet: 'hi', origin: 'WhatsApp error 131026', explanation: 'Not on WhatsApp.' });
    expect(bare.text).toBe('❌ Not delivered: “hi” — Not on WhatsApp.');
  });
});

describe('buildDeliveryUncertainNotice', () => {
  const notice = buildDeliveryUncertainNotice({ messageId: 77, snippet: 'See you at 5' });

  it('says WhatsApp did not confirm and that threadline will not resend on its own', () => {
    expect(notice.text).toBe(
      '⚠️ Delivery uncertain: WhatsApp did not confirm “See you at 5”. threadline will not resend it on its own, ' +
        'so the customer never gets it twice. If a status arrives it settles automatically.',
    );
  });

  it('offers Resend with the message id, behind a confirm dialog', () => {
    const [resend, ...rest] = listActionElements(notice);
    expect(rest).toEqual([]);
    expect(resend).toMatchObject({ type: 'button', action_id: ActionIds.resend, value: '77', text: { text: 'Resend' } });
    expect(resend?.confirm).toMatchObject({ confirm: { text: 'Resend' }, deny: { text: 'Cancel' } });
    expect(listLimitViolations(notice)).toEqual([]);
  });
});

describe('buildUncertainSettledNotice', () => {
  it('says a late status confirmed the reply', () => {
    expect(buildUncertainSettledNotice({ snippet: 'ok', outcome: 'confirmed' }).text).toContain('✅ Delivery confirmed');
  });

  it('says who resent it', () => {
    expect(buildUncertainSettledNotice({ snippet: 'ok', outcome: 'resent', by: 'U2BEN' }).text).toBe(
      '↻ <@U2BEN> resent “ok”. If the first attempt did arrive after all, the customer has it twice.',
    );
  });

  it('says it failed after all, with the explanation', () => {
    const notice = buildUncertainSettledNotice({ snippet: 'ok', outcome: 'failed', explanation: 'Number blocked you.' });
    expect(notice.text).toBe('❌ Not delivered: “ok”\nNumber blocked you.');
    expect(listActionElements(notice)).toEqual([]);
  });
});

describe('other thread notices', () => {
  it('tells the team the customer changed their number', () => {
    expect(buildCustomerChangedNumberNotice({ oldPhone: '15550002222', newPhone: '15550003333' }).text).toBe(
      'ℹ️ The customer changed their WhatsApp number from +1 555-000-2222 to +1 555-000-3333. ' +
        'Replies in this thread go to the new number.',
    );
    expect(buildCustomerChangedNumberNotice({}).text).toContain('changed their WhatsApp account');
  });

  it('links the earlier conversation when a closed one is reopened as a new thread', () => {
    expect(buildReopenedNotice({ previousPermalink: 'https://acme.slack.com/p9' }).text).toBe(
      '🔁 The customer wrote again after their <https://acme.slack.com/p9|earlier conversation> was closed, ' +
        'so this is a new thread.',
    );
  });

  it('names a file WhatsApp would not take and why', () => {
    const notice = buildMediaRejectedNotice({ filename: 'setup.exe', reason: 'WhatsApp does not accept .exe files.' });
    expect(notice.text).toBe('❌ Not sent to the customer: *setup.exe*\nWhatsApp does not accept .exe files.');
  });

  it('posts a generic notice as the caller wrote it', () => {
    const notice = buildGenericNotice('<@U1> handed this over to <@U2>.');
    expect(notice.text).toBe('<@U1> handed this over to <@U2>.');
    expect(notice.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '<@U1> handed this over to <@U2>.' } },
    ]);
  });

  it('keeps user text in every notice inert and within limits', () => {
    const long = `${hostile} ${'z'.repeat(10_000)}`;
    const notices = [
      buildDeliveryFailedNotice({ snippet: long, origin: hostile, explanation: long }),
      buildDeliveryUncertainNotice({ messageId: 1, snippet: long }),
      buildUncertainSettledNotice({ snippet: long, outcome: 'failed', explanation: long }),
      buildMediaRejectedNotice({ filename: long, reason: long }),
    ];
    for (const notice of notices) {
      expect(listSlackTokens(notice)).toEqual([]);
      expect(listLimitViolations(notice)).toEqual([]);
    }
  });
});
