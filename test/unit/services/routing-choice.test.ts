import { type RoutingCandidate, chooseAgent } from '../../../src/services/routing';

const at = (iso: string) => new Date(iso);

function candidate(userId: string, overrides: Partial<RoutingCandidate> = {}): RoutingCandidate {
  return { userId, onShiftSince: at('2026-11-24T08:00:00Z'), lastAssignedAt: null, openCount: 0, ...overrides };
}

describe('chooseAgent', () => {
  it('round robin gives the conversation to whoever waited longest since their last one', () => {
    const pick = chooseAgent('round_robin', [
      candidate('U0ANA', { lastAssignedAt: at('2026-11-24T10:05:00Z') }),
      candidate('U0BRUNO', { lastAssignedAt: at('2026-11-24T10:01:00Z') }),
      candidate('U0CARLA', { lastAssignedAt: at('2026-11-24T10:03:00Z') }),
    ]);
    expect(pick?.userId).toBe('U0BRUNO');
  });

  it('round robin puts someone who never had one first, and among them the longest on shift', () => {
    const pick = chooseAgent('round_robin', [
      candidate('U0ANA', { lastAssignedAt: at('2026-11-24T09:00:00Z') }),
      candidate('U0BRUNO', { onShiftSince: at('2026-11-24T09:30:00Z') }),
      candidate('U0CARLA', { onShiftSince: at('2026-11-24T09:10:00Z') }),
    ]);
    expect(pick?.userId).toBe('U0CARLA');
  });

  it('round robin ignores how many each has open', () => {
    const pick = chooseAgent('round_robin', [
      candidate('U0ANA', { openCount: 9, lastAssignedAt: at('2026-11-24T09:00:00Z') }),
      candidate('U0BRUNO', { openCount: 0, lastAssignedAt: at('2026-11-24T09:30:00Z') }),
    ]);
    expect(pick?.userId).toBe('U0ANA');
  });

  it('least open gives it to the agent with the fewest open, ties in round-robin order', () => {
    const candidates = [
      candidate('U0ANA', { openCount: 3 }),
      candidate('U0BRUNO', { openCount: 1, lastAssignedAt: at('2026-11-24T10:00:00Z') }),
      candidate('U0CARLA', { openCount: 1, lastAssignedAt: at('2026-11-24T09:00:00Z') }),
    ];
    expect(chooseAgent('least_open', candidates)?.userId).toBe('U0CARLA');
  });

  it('breaks a complete tie by user id, so every process picks the same person', () => {
    expect(chooseAgent('least_open', [candidate('U0CARLA'), candidate('U0ANA'), candidate('U0BRUNO')])?.userId).toBe('U0ANA');
  });

  it('picks nobody when nobody is on shift', () => {
    expect(chooseAgent('round_robin', [])).toBeUndefined();
  });
});
