import { SandboxClock } from '../../src/sandbox/sandbox-clock';

describe('the sandbox clock', () => {
  let real = Date.parse('2026-11-24T10:00:00Z');
  const clock = () => new SandboxClock(() => real);

  it('runs with real time and moves forward by jumps', () => {
    const c = clock();
    const jumps: number[] = [];
    c.onJump((ms) => jumps.push(ms));
    c.advance(25 * 3_600_000);
    real += 1_000;
    expect(c.now().toISOString()).toBe('2026-11-25T11:00:01.000Z');
    expect(c.aheadMs).toBe(25 * 3_600_000);
    expect(jumps).toEqual([25 * 3_600_000]);
  });

  it('never goes back', () => {
    expect(() => clock().advance(-1)).toThrow(/only moves forward/);
    expect(() => clock().advance(0)).toThrow(/only moves forward/);
  });

  it('jumps to the next 09:00 in the digest time zone: later today, or tomorrow once it has passed', () => {
    real = Date.parse('2026-11-24T08:30:00Z'); // 09:30 in Berlin: today's 09:00 has passed
    const early = clock();
    early.advanceTo('09:00', 'Europe/Berlin');
    expect(early.now().toISOString()).toBe('2026-11-25T08:00:05.000Z');
    real = Date.parse('2026-11-24T07:30:00Z');
    const before = clock();
    before.advanceTo('09:00', 'UTC');
    expect(before.now().toISOString()).toBe('2026-11-24T09:00:05.000Z');
  });
});
