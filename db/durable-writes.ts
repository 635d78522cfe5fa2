/** How many durable writes are running: while any is, commits fsync the WAL (db/pglite-durable-fs.ts). */
export class DurableWrites {
  private running = 0;

  get active(): boolean {
    return this.running > 0;
  }

  /** Runs `write` counted as durable (any other commit meanwhile is fsync'd too: harmless, only slower). */
  async around<T>(write: () => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      return await write();
    } finally {
      this.running -= 1;
    }
  }
}
