import { PLATFORM_PACE, quickenedPace, reserveSlot } from '../../../src/queue/rate-limiter';

describe('the platform pace', () => {
  it("is Slack's and Meta's own limits by default", () => {
    expect(PLATFORM_PACE.slackPost).toEqual({ perSecond: 1, burst: 2 });
    expect(PLATFORM_PACE.slackTier3).toEqual({ perSecond: 50 / 60, burst: 10 });
    expect(PLATFORM_PACE.waPair).toEqual({ perSecond: 1 / 6, burst: 10 });
  });

  it('quickened, every rate is that many times faster and every burst the same', () => {
    const fast = quickenedPace(10);
    expect(fast.slackPost).toEqual({ perSecond: 10, burst: 2 });
    expect(fast.slackTier3.perSecond).toBeCloseTo(500 / 60);
    expect(fast.slackTier3.burst).toBe(10);
    expect(fast.waPair.perSecond).toBeCloseTo(10 / 6);
  });

  it('quickened slots are spaced by the quickened interval after the burst', () => {
    const rule = quickenedPace(10).slackPost;
    let tat = 0;
    const delays = [0, 0, 0].map(() => {
      const slot = reserveSlot(tat, 0, rule);
      tat = slot.nextTat;
      return slot.delay;
    });
    expect(delays).toEqual([0, 0, 100]);
  });
});
