import { ManualClock } from '../../../src/clock';
import { findBlocksProblem, findViewProblem } from '../../../src/emulators/slack-block-checks';
import { TokenBuckets } from '../../../src/emulators/slack-rate-limits';
import { buildViewStateValues } from '../../../src/emulators/slack-view-state';

describe('findBlocksProblem (slack.md §5)', () => {
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

  it('accepts a card within the limits', () => {
    expect(findBlocksProblem([section('hi'), { type: 'divider' }], 'message')).toBeUndefined();
  });

  it('finds section text over 3000 characters, duplicate block ids and more than 50 blocks', () => {
    expect(findBlocksProblem([section('x'.repeat(3001))], 'message')).toMatch(/3000/);
    expect(findBlocksProblem([{ ...section('a'), block_id: 'b' }, { ...section('b'), block_id: 'b' }], 'message')).toMatch(/duplicate block_id/);
    expect(findBlocksProblem(Array.from({ length: 51 }, () => ({ type: 'divider' })), 'message')).toMatch(/50/);
    expect(findBlocksProblem(Array.from({ length: 51 }, () => ({ type: 'divider' })), 'view')).toBeUndefined();
  });

  it('finds a button value over 2000 characters and a long button text', () => {
    const button = (text: string, value: string) => ({ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text }, value }] });
    expect(findBlocksProblem([button('ok', 'v'.repeat(2001))], 'message')).toMatch(/value/);
    expect(findBlocksProblem([button('t'.repeat(76), 'v')], 'message')).toMatch(/text/);
  });
});

describe('findViewProblem (slack.md §4)', () => {
  const modal = { type: 'modal', title: { type: 'plain_text', text: 'Hand off' }, blocks: [] as unknown[] };

  it('needs submit when the modal has inputs, and keeps the title within 24 characters', () => {
    const input = { type: 'input', label: { type: 'plain_text', text: 'x' }, element: { type: 'plain_text_input', action_id: 'a' } };
    expect(findViewProblem({ ...modal, blocks: [input] })).toMatch(/submit/);
    expect(findViewProblem({ ...modal, title: { type: 'plain_text', text: 'x'.repeat(25) } })).toMatch(/title/);
    expect(findViewProblem(modal)).toBeUndefined();
  });
});

describe('TokenBuckets', () => {
  it('allows the burst, then asks to wait whole seconds until a token is back', () => {
    const clock = new ManualClock();
    const buckets = new TokenBuckets({ perSecond: 0.5, burst: 2 }, clock);
    expect([buckets.take('C1'), buckets.take('C1')]).toEqual([{ allowed: true }, { allowed: true }]);
    expect(buckets.take('C1')).toEqual({ allowed: false, retryAfterSec: 2 });
    expect(buckets.take('C2')).toEqual({ allowed: true });
    clock.advance(2000);
    expect(buckets.take('C1')).toEqual({ allowed: true });
  });
});

describe('buildViewStateValues', () => {
  const blocks = [
    { type: 'input', block_id: 'r', label: {}, element: { type: 'radio_buttons', action_id: 'pick', options: [{ text: { type: 'plain_text', text: 'One' }, value: '1' }] } },
    { type: 'input', block_id: 'c', label: {}, element: { type: 'conversations_select', action_id: 'conv' } },
    { type: 'input', block_id: 't', label: {}, element: { type: 'plain_text_input', action_id: 'txt' } },
  ];

  it('shapes each element like Slack and leaves unanswered inputs empty', () => {
    expect(buildViewStateValues(blocks, { r: { pick: '1' }, c: { conv: 'C1' } })).toEqual({
      r: { pick: { type: 'radio_buttons', selected_option: { text: { type: 'plain_text', text: 'One' }, value: '1' } } },
      c: { conv: { type: 'conversations_select', selected_conversation: 'C1' } },
      t: { txt: { type: 'plain_text_input', value: null } },
    });
  });

  it('refuses an option the element does not offer', () => {
    expect(() => buildViewStateValues(blocks, { r: { pick: '9' } })).toThrow(/no option with value 9/);
  });
});
