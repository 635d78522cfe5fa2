import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface Child {
  proc: ChildProcess;
  url: string;
  /** The last ~20 kB the process printed (for diagnosing a failed test). */
  output(): string;
  /** Highest resident set size seen, in MB. */
  peakRssMb(): number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Resident memory of a process, from /proc (Linux). */
export function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

/** The V8 flags every start command carries (package.json, Dockerfile, docker-compose.yml; test/unit/start-commands). */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=128', '--liftoff-only'];

/** Start an entry point as its own Node process (no npx/tsx wrapper, so its pid is the one measured). */
export async function startChild(args: { entry: string; argv?: string[]; env?: Record<string, string>; port: number; name: string }): Promise<Child> {
  // Compiled entries (dist/…js) run as production does; TypeScript ones through tsx.
  // Same V8 flags as `npm start` and the Dockerfile, so what the benchmark measures is what runs.
  // PROFILE_CHILDREN=1 writes a V8 CPU profile per thread of every child to ./profiles (--cpu-prof cannot be set in NODE_OPTIONS).
  const profile = process.env.PROFILE_CHILDREN === '1' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'profiles')}`] : [];
  const loader = [...PRODUCTION_NODE_FLAGS, ...profile, ...(args.entry.endsWith('.js') ? [] : ['--require', 'tsx/cjs'])];
  const proc = spawn(process.execPath, [...loader, args.entry, ...(args.argv ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...args.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  proc.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const url = `http://127.0.0.1:${args.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${args.name} exited (${proc.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${args.name} did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  let peak = rssMb(proc.pid ?? 0);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(proc.pid ?? 0));
  }, 250);
  sampler.unref();
  return {
    proc,
    url,
    output: () => output,
    peakRssMb: () => Math.max(peak, rssMb(proc.pid ?? 0)),
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        clearInterval(sampler);
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill(signal);
        setTimeout(() => proc.kill('SIGKILL'), 20_000).unref();
      }),
  };
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
