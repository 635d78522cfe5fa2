import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

type PostgresModule = Parameters<NodeFS['init']>[1];
interface NodefsStream {
  nfd?: number;
}
interface NodefsModule {
  NODEFS?: { stream_ops: { fsync?: (stream: NodefsStream) => number } };
}

/**
 * PGlite's Node filesystem with a real fsync. PGlite starts Postgres with `-F` (fsync off), and Emscripten's NODEFS
 * has no fsync at all (`fd_sync` finds no `stream_ops.fsync` and answers success), so a COMMIT reaches the OS page
 * cache only: a power cut after our 200 could lose an acknowledged webhook. With this filesystem and `-F` dropped
 * (durableStartParams), Postgres's own WAL flush at each commit becomes an fsync(2) of the WAL file: the same
 * guarantee a Postgres server gives, at ~0.4–2 ms per commit on this machine's disk (group commit in InboxWriter
 * amortises it over a batch of webhooks).
 */
export class DurableNodeFS extends NodeFS {
  fsyncs = 0;

  override async init(pg: PGlite, opts: PostgresModule) {
    const base = await super.init(pg, opts);
    const options = base.emscriptenOpts as { preRun?: ((mod: NodefsModule) => void)[] };
    const preRun = [...(options.preRun ?? [])];
    preRun.push((mod) => {
      const ops = mod.NODEFS?.stream_ops;
      if (!ops) throw new Error('PGlite without NODEFS: cannot make commits durable');
      ops.fsync = (stream) => {
        if (stream.nfd !== undefined) fs.fsyncSync(stream.nfd);
        this.fsyncs += 1;
        return 0;
      };
    });
    return { emscriptenOpts: { ...base.emscriptenOpts, preRun } as PostgresModule };
  }
}

/**
 * PGlite's default start parameters without `-F`, WAL flushed with fsync (the call DurableNodeFS implements; the
 * default, fdatasync, is not routed to it), and small shared buffers: the embedded default serves a team of 3–20,
 * and every megabyte of shared_buffers is WASM memory that is never given back.
 */
export function durableStartParams(defaults: readonly string[]): string[] {
  const params = defaults.filter((p) => p !== '-F');
  return [...params, '-c', 'wal_sync_method=fsync', '-c', 'shared_buffers=16MB'];
}
