import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { DurableWrites } from './durable-writes';

type PostgresModule = Parameters<NodeFS['init']>[1];
interface NodefsStream {
  nfd?: number;
  path?: string;
}
interface NodefsModule {
  NODEFS?: { stream_ops: { fsync?: (stream: NodefsStream) => number } };
}

/**
 * PGlite's Node filesystem with a real fsync where it matters. PGlite starts Postgres with `-F` (fsync off), and
 * Emscripten's NODEFS has no fsync at all (`fd_sync` finds no `stream_ops.fsync` and answers success), so a COMMIT
 * reached the OS page cache only: a power cut after our 200 could lose an acknowledged webhook. With `-F` dropped
 * (durableStartParams) Postgres asks for an fsync of the WAL at each commit and of data files at checkpoints:
 * - data files (checkpoints): always fsync'd — the WAL before a checkpoint is recycled on the strength of them;
 * - the WAL: fsync'd while a durable write is running (`durably`: the webhook inbox INSERT behind Meta's 200).
 *   The WAL is one sequential file, so that fsync also makes every earlier commit durable. Other commits reach the
 *   OS at once (they survive a crash of the process, as before) and the disk with the next acknowledged webhook:
 *   an fsync per background commit on the one connection cut the embedded ingest rate by ~4× (bench).
 */
export class DurableNodeFS extends NodeFS {
  fsyncs = 0;
  private durableWrites = new DurableWrites();

  /** Runs `write` with the WAL fsync'd at its commit (and at any other commit meanwhile: harmless, only slower). */
  durably<T>(write: () => Promise<T>): Promise<T> {
    return this.durableWrites.around(write);
  }

  override async init(pg: PGlite, opts: PostgresModule) {
    const base = await super.init(pg, opts);
    const options = base.emscriptenOpts as { preRun?: ((mod: NodefsModule) => void)[] };
    const preRun = [...(options.preRun ?? [])];
    preRun.push((mod) => {
      const ops = mod.NODEFS?.stream_ops;
      if (!ops) throw new Error('PGlite without NODEFS: cannot make commits durable');
      ops.fsync = (stream) => {
        const wal = (stream.path ?? '').includes('/pg_wal/');
        if (stream.nfd !== undefined && (!wal || this.durableWrites.active)) {
          fs.fsyncSync(stream.nfd);
          this.fsyncs += 1;
        }
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
