import { Writable } from 'node:stream';
import { Background } from '../../src/background';
import { createLogger } from '../../src/logger';

function capturedLogger() {
  const lines: { level: number; msg: string; task?: string; err?: { message?: string } }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'warn', destination }) };
}

describe('background tasks', () => {
  // Found by test/fuzz: a shortcut without a response_url made `respond` undefined, and calling it threw inside
  // run(), out of the listener that had already answered.
  it('a task that throws before its first await is logged, not thrown into the caller', async () => {
    const { lines, logger } = capturedLogger();
    const background = new Background(logger);
    const notAFunction = undefined as unknown as () => Promise<void>;
    expect(() => background.run('refusal', () => notAFunction())).not.toThrow();
    await background.idle();
    expect(lines).toEqual([expect.objectContaining({ msg: 'background task failed', task: 'refusal', err: expect.objectContaining({ message: expect.stringContaining('is not a function') }) })]);
  });

  it('a task starts at once and is waited for by idle(); a rejection is logged too', async () => {
    const { lines, logger } = capturedLogger();
    const background = new Background(logger);
    const seen: string[] = [];
    background.run('first', async () => {
      seen.push('started');
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push('finished');
    });
    expect(seen).toEqual(['started']);
    background.run('second', () => Promise.reject(new Error('no')));
    await background.idle();
    expect(seen).toEqual(['started', 'finished']);
    expect(lines.map((l) => l.task)).toEqual(['second']);
  });
});
