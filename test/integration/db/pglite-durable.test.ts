import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { commitWithoutFlush, rowsOf } from '../../../db/client';
import { openPglite } from '../../../db/pglite-client';
import { InboxWriter } from '../../../src/services/inbox-writer';

/**
 * The embedded default on disk (issue 7): its cluster is created out of process (initdb's memory peak never reaches
 * the server), and a commit is on disk — fsync'd — before the webhook it carries is acknowledged.
 */
describe('the embedded database on disk', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-pglite-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a migrated cluster in a fresh directory, fsyncs the commits behind an ack, and keeps everything across a reopen', async () => {
    const dir = freshDir();
    const first = await openPglite(dir);
    expect(fs.existsSync(path.join(dir, 'pglite', 'PG_VERSION'))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['pglite']);

    // The database runs in a thread of its own: its fsyncs are counted there.
    const fsyncs = () => (first.fsyncs as () => Promise<number>)();
    // The webhook ack's write: its commit is on disk when it resolves.
    let before = await fsyncs();
    await new InboxWriter({ db: first.ackDb, durably: (write) => first.durably(write) }).write(Buffer.from('{"entry":[]}'));
    expect(await fsyncs()).toBeGreaterThan(before);
    // Background commits reach the OS at once and the disk with the next acknowledged webhook: no flush each.
    before = await fsyncs();
    await first.db.execute(sql`insert into leases (name, owner, until) values ('durable', 'test', now())`);
    await first.db.transaction(async (tx) => {
      await commitWithoutFlush(tx);
      await tx.execute(sql`insert into leases (name, owner, until) values ('redoable', 'test', now())`);
    });
    await first.db.execute(sql`select count(*) from leases`);
    expect(await fsyncs()).toBe(before);
    // The next acknowledged webhook flushes the WAL, theirs included.
    await first.durably(() => first.db.execute(sql`insert into leases (name, owner, until) values ('after', 'test', now())`));
    expect(await fsyncs()).toBeGreaterThan(before);
    await first.close();

    const again = await openPglite(dir);
    const rows = rowsOf<{ name: string }>(await again.db.execute(sql`select name from leases order by name`));
    expect(rows.map((r) => r.name)).toEqual(['after', 'durable', 'redoable']);
    await again.close();
  }, 60_000);

  it('refuses a directory that holds something else than a database, and says what to do', async () => {
    const dir = freshDir();
    fs.mkdirSync(path.join(dir, 'pglite'));
    fs.writeFileSync(path.join(dir, 'pglite', 'notes.txt'), 'not a database');
    await expect(openPglite(dir)).rejects.toThrow(/is not empty but holds no database.*DATA_DIR/);
    expect(fs.readFileSync(path.join(dir, 'pglite', 'notes.txt'), 'utf8')).toBe('not a database');
  });
});
