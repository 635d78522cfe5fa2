import { reactionForStatus, summarizeReplyState } from '../../../src/services/delivery-reactions';

describe('the delivery status a multi-part reply shows', () => {
  it('is the step its least advanced part has reached', () => {
    expect(summarizeReplyState(['read', 'delivered'])).toBe('delivered');
    expect(summarizeReplyState(['delivered', 'accepted'])).toBe('accepted');
    expect(summarizeReplyState(['read', 'played'])).toBe('read');
  });

  it('is failed as soon as one part failed, whatever the others did', () => {
    expect(summarizeReplyState(['read', 'failed', 'queued'])).toBe('failed');
  });

  it('stays uncertain while a part is uncertain, even when the others are confirmed', () => {
    expect(summarizeReplyState(['read', 'uncertain'])).toBe('uncertain');
    expect(reactionForStatus(summarizeReplyState(['sending', 'uncertain']))).toBe('warning');
  });

  it('shows nothing for a part with no state yet or no parts at all', () => {
    expect(summarizeReplyState(['sent', null])).toBeNull();
    expect(summarizeReplyState([])).toBeNull();
  });
});
