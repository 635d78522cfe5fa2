import { buildCustomerChangeNotice } from '../../../blocks/customer-change-notices';
import { listLimitViolations } from './slack-limits';

const at = new Date('2026-11-24T14:09:00Z');

describe('buildCustomerChangeNotice', () => {
  it('posts the new version of an edit of a message threadline does not have', () => {
    const notice = buildCustomerChangeNotice({ change: 'edit', at, newVersionMrkdwn: 'the corrected text' });
    expect(notice.text).toContain('edited a message threadline does not have');
    expect(notice.text).toContain('the corrected text');
    expect(listLimitViolations(notice)).toEqual([]);
  });

  it('quotes and links the original it could not update in place', () => {
    const notice = buildCustomerChangeNotice({
      change: 'edit',
      at,
      original: { snippetMrkdwn: 'old caption', permalink: 'https://example.slack.com/archives/C1/p1' },
      newVersionMrkdwn: '🖼️ Photo\nnew caption',
    });
    expect(notice.text).toContain('<https://example.slack.com/archives/C1/p1|their message> “old caption”');
    expect(notice.text).toContain('new caption');
  });

  it('says when the new version could not be read', () => {
    expect(buildCustomerChangeNotice({ change: 'edit', at }).text).toContain('could not read the new version');
  });

  it('is a short line for a deletion, known or not', () => {
    expect(buildCustomerChangeNotice({ change: 'revoke', at }).text).toMatch(/^🗑️ The customer deleted a message threadline does not have/);
    const known = buildCustomerChangeNotice({ change: 'revoke', at, original: { snippetMrkdwn: 'a photo' } });
    expect(known.text).toContain('their message “a photo”');
    expect(known.text).toContain('stays in this thread for the team');
  });
});
