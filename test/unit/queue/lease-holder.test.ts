import { keepLeaseAlive } from '../../../src/queue/lease-holder';

describe('keeping a lease alive', () => {
  it('stopping waits for a renewal already in flight, so the lease is not taken back after its release', async () => {
    let finishRenewal: () => void = () => undefined;
    let renewals = 0;
    const stop = keepLeaseAlive(
      () => {
        renewals += 1;
        return new Promise<void>((resolve) => {
          finishRenewal = resolve;
        });
      },
      300,
      () => undefined,
    );
    while (renewals === 0) await new Promise((resolve) => setTimeout(resolve, 20));

    let stopped = false;
    const stopping = stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);

    finishRenewal();
    await stopping;
    expect(stopped).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(renewals).toBe(1);
  });

  it('a slow renewal is not stacked with another one, and a failed one is reported', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const stop = keepLeaseAlive(
      async () => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 250));
        throw new Error('database gone');
      },
      300,
      (err) => errors.push(err),
    );
    await new Promise((resolve) => setTimeout(resolve, 330));
    await stop();
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
