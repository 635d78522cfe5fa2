import type { FaultSpec } from './slack-types';

/** Faults waiting for their method; each hits `times` calls (default 1), oldest injected first. */
export class FaultRegistry {
  private faults: Array<{ spec: FaultSpec; remaining: number }> = [];

  inject(spec: FaultSpec): void {
    this.faults.push({ spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes the next fault for this method (and channel, when the fault names one), if any. */
  take(method: string, channel?: string): FaultSpec | undefined {
    const entry = this.faults.find(
      (f) => f.spec.method === method && f.remaining > 0 && (f.spec.channel === undefined || f.spec.channel === channel),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return entry.spec;
  }

  pending(): FaultSpec[] {
    return this.faults.map((f) => f.spec);
  }

  /** Each waiting fault with how many calls it still hits. */
  remaining(): Array<{ spec: FaultSpec; remaining: number }> {
    return this.faults.map((f) => ({ spec: f.spec, remaining: f.remaining }));
  }
}
