import fs from 'node:fs';
import path from 'node:path';

export interface PgliteAssets {
  wasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

let loading: Promise<PgliteAssets> | undefined;

/**
 * PGlite's WASM compiled and its share/ bundle read, once per process. Every embedded database runs in a worker of
 * its own (db/pglite-worker.ts); a compiled module crosses to a worker without being compiled again, which saves
 * each worker 60-140 ms of compiling (measured opening a copied data directory: 270-360 ms → ~215 ms) and keeps one
 * copy of the machine code however many databases a process opens (tests open hundreds).
 */
export function pgliteAssets(): Promise<PgliteAssets> {
  loading ??= load().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

async function load(): Promise<PgliteAssets> {
  // The package's entry is dist/index.cjs; its assets sit beside it.
  const dist = path.dirname(require.resolve('@electric-sql/pglite'));
  const [wasm, bundle] = await Promise.all([
    fs.promises.readFile(path.join(dist, 'pglite.wasm')),
    fs.promises.readFile(path.join(dist, 'pglite.data')),
  ]);
  return { wasmModule: await WebAssembly.compile(wasm), fsBundle: new Blob([bundle]) };
}
