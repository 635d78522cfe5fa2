import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../db/client';
import { webhookInbox } from '../../../db/schema';
import { InboxWriter } from '../../../src/services/inbox-writer';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';

/** Issue 7: Meta's acknowledgement must not queue behind background statements. */
describe.each(TEST_BACKENDS)('the webhook ack path (%s)', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(backend, { maxConnections: 2 });
  });
  afterAll(async () => {
    await database.close();
  });

  if (backend === 'postgres') {
    it('writes on its own connection: a busy pool does not hold the ack back', async () => {
      // The whole pool (two connections here) is taken by slow background statements…
      const busy = Promise.all([database.db.execute(sql`select pg_sleep(1.5)`), database.db.execute(sql`select pg_sleep(1.5)`)]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      await new InboxWriter({ db: database.ackDb }).write(Buffer.from('{"object":"whatsapp_business_account"}'));
      // …and the webhook is durable long before it finishes.
      expect(Date.now() - started).toBeLessThan(1_000);
      await busy;
      const names = rowsOf<{ name: string }>(await database.ackDb.execute(sql`select current_setting('application_name') as name`));
      expect(names).toEqual([{ name: 'threadline-ack' }]);
    });

    it('ingests on a connection of its own too: a pool busy with delivery does not hold the inbox back', async () => {
      const busy = Promise.all([database.db.execute(sql`select pg_sleep(1.5)`), database.db.execute(sql`select pg_sleep(1.5)`)]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      const names = rowsOf<{ name: string }>(await database.ingestDb.execute(sql`select current_setting('application_name') as name`));
      expect(Date.now() - started).toBeLessThan(1_000);
      await busy;
      expect(names).toEqual([{ name: 'threadline-ingest' }]);
    });
  } else {
    it('goes before the background statements waiting for the embedded database, which runs in its own thread', async () => {
      expect(database.ackDb).not.toBe(database.db);
      const settled: string[] = [];
      // Twenty heavy background statements are sent first, the ack after them…
      const background = Array.from({ length: 20 }, (_, i) =>
        database.db.execute(sql`select count(*) from generate_series(1, 300000)`).then(() => settled.push(`background ${i}`)),
      );
      const ack = new InboxWriter({ db: database.ackDb }).write(Buffer.from('{}')).then(() => settled.push('ack'));
      await Promise.all([...background, ack]);
      // …and is written once the one statement already running is done.
      expect(settled.indexOf('ack')).toBeLessThanOrEqual(1);
      expect(await database.db.$count(webhookInbox)).toBe(1);
    });

    it('runs the inbox processor before the delivery statements that wait, and after the acks', async () => {
      const settled: string[] = [];
      const heavy = sql`select count(*) from generate_series(1, 300000)`;
      const background = Array.from({ length: 10 }, (_, i) => database.db.execute(heavy).then(() => settled.push(`background ${i}`)));
      const ingest = database.ingestDb.execute(heavy).then(() => settled.push('ingest'));
      const ack = new InboxWriter({ db: database.ackDb }).write(Buffer.from('{}')).then(() => settled.push('ack'));
      await Promise.all([...background, ingest, ack]);
      // One statement may already be running when the others arrive; after it, the ack, then the inbox's.
      expect(settled.indexOf('ack')).toBeLessThanOrEqual(1);
      expect(settled.indexOf('ingest')).toBeLessThanOrEqual(2);
    });

    it('keeps this thread free while a statement runs there', async () => {
      let ticks = 0;
      const timer = setInterval(() => (ticks += 1), 5);
      try {
        await database.db.execute(sql`select count(*) from generate_series(1, 3000000)`);
      } finally {
        clearInterval(timer);
      }
      // On this thread the statement would have held every timer until it finished (zero ticks).
      expect(ticks).toBeGreaterThan(2);
    });
  }
});
