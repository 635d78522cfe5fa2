import { findDigestRun } from '../../../db/queries/digest';
import { ManualClock } from '../../../src/clock';
import { loadConfig } from '../../../src/config';
import { runDigestTick } from '../../../src/services/digest';
import { zonedInstant } from '../../../src/services/digest-schedule';
import { explainGraphError } from '../../../src/whatsapp/error-codes';
import { LOCAL_FAILURE_CODES, explainLocalFailure } from '../../../src/whatsapp/local-failures';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';
import { deliverChannelPosts, digestProcessDeps } from '../../helpers/digest-process';
import { HOUR, MIN, seedConversation, seedFailedDelivery, seedInbound } from '../../helpers/digest-seed';
import { type RecordingSlack, createRecordingSlack } from '../../helpers/recording-slack';

const DIGEST = 'C0DIGEST01';
/** As the text sits inside JSON.stringify of the blocks. */
const escapeForJson = (text: string) => JSON.stringify(text).slice(1, -1);

describe.each(TEST_BACKENDS)('the scheduled digest on %s', (backend) => {
  let database: TestDatabase;
  // One database for the file: each test works on its own days, so the digest_runs rows do not meet.
  beforeAll(async () => {
    database = await openTestDatabase(backend, { maxConnections: 10 });
  });
  afterAll(async () => {
    await database.close();
  });

  const processDeps = (clock: ManualClock, slack: RecordingSlack, workerId: string, env: Record<string, string> = {}) =>
    digestProcessDeps(database.db, clock, slack, workerId, { DIGEST_CHANNEL: DIGEST, DIGEST_TIME: '09:00', DIGEST_TZ: 'Europe/Berlin', ...env });
  const deliver = deliverChannelPosts;

  it('with four worker processes checking at the same moment, the digest is queued once and posted once', async () => {
    const clock = new ManualClock('2026-11-24T08:00:30Z');
    const slack = createRecordingSlack();
    const processes = ['w1', 'w2', 'w3', 'w4'].map((id) => processDeps(clock, slack, id));

    const results = await Promise.all(processes.map((deps) => runDigestTick(deps)));
    await Promise.all(processes.map((deps) => deliver(deps)));
    await deliver(processes[0]!);

    expect(results.filter((r) => r === 'queued')).toHaveLength(1);
    expect(results.filter((r) => r !== 'queued').every((r) => r === 'claimed_elsewhere' || r === 'already_queued')).toBe(true);
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]).toMatchObject({ channel: DIGEST, metadata: { conversationId: 0 } });
    expect(await runDigestTick(processes[0]!)).toBe('already_queued');
    expect((await findDigestRun(database.db, '2026-11-24'))?.postedTs).toBe(slack.posts[0]?.ts);
  });

  it.each([
    ['spring forward', '2026-03-28T00:00:00Z', ['2026-03-28', '2026-03-29', '2026-03-30'], '02:30'],
    ['fall back', '2026-10-24T00:00:00Z', ['2026-10-24', '2026-10-25', '2026-10-26'], '02:30'],
  ])('over the %s days in Berlin, two processes checking every 5 minutes post once a day, on time', async (_what, start, days, time) => {
    const clock = new ManualClock(start);
    const slack = createRecordingSlack();
    const processes = ['w1', 'w2'].map((id) => processDeps(clock, slack, id, { DIGEST_TIME: time }));
    const postedAt: string[] = [];
    for (let step = 0; step < (3 * 24 * 60) / 5; step++) {
      const results = await Promise.all(processes.map((deps) => runDigestTick(deps)));
      if (results.includes('queued')) {
        postedAt.push(clock.now().toISOString());
        await deliver(processes[0]!);
      }
      clock.advance(5 * MIN);
    }
    expect(slack.posts).toHaveLength(3);
    expect(postedAt).toEqual(days.map((day) => zonedInstant(day, time, 'Europe/Berlin').toISOString()));
  });

  it('an uncertain post is retried by the outbox, found in the channel, and not repeated', async () => {
    const clock = new ManualClock('2026-11-26T08:00:00Z');
    const slack = createRecordingSlack();
    const deps = processDeps(clock, slack, 'w1');
    // The post lands in Slack but its answer is lost (a timeout).
    slack.failNextPosts(1, true);

    expect(await runDigestTick(deps)).toBe('queued');
    await deliver(deps);
    expect((await findDigestRun(database.db, '2026-11-26'))?.postedAt).toBeNull();
    clock.advance(5 * MIN);
    expect(await runDigestTick(deps)).toBe('already_queued');
    await deliver(deps);
    expect(slack.posts).toHaveLength(1);
    expect((await findDigestRun(database.db, '2026-11-26'))?.postedTs).toBe(slack.posts[0]?.ts);
  });

  it('posts the numbers with links, and the hourly chart as a PNG in its thread', async () => {
    const clock = new ManualClock('2026-11-27T08:00:00Z');
    const slack = createRecordingSlack();
    const now = clock.now().getTime();
    const id = await seedConversation(database.db, { waId: '15550008001', name: 'Quinn', openedAt: new Date(now - 2 * HOUR), threadTs: '1795000000.000111' });
    await seedInbound(database.db, id, new Date(now - 2 * HOUR), 'wamid.q1');
    await seedInbound(database.db, id, new Date(now - 90 * MIN), 'wamid.q2');

    const deps = processDeps(clock, slack, 'w1');
    expect(await runDigestTick(deps)).toBe('queued');
    await deliver(deps);

    const text = JSON.stringify(slack.posts[0]?.blocks);
    expect(text).toContain('Daily digest — Friday, 27 November 2026');
    expect(text).toContain('1 unassigned');
    expect(text).toContain('<https://example.slack.com/archives/C0INBOX001/p1795000000000111|*Quinn*> — waiting 2 h 00 min');
    expect(text).toContain('from 09:00 yesterday to now');
    expect(text).toContain('2 in total, busiest 07:00');
    expect(slack.uploads).toHaveLength(1);
    expect(slack.uploads[0]).toMatchObject({ channel: DIGEST, threadTs: slack.posts[0]?.ts, filename: 'customer-messages-by-hour.png' });
    expect(slack.uploads[0]?.data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  /** The digest's blocks (as JSON) at `at`, after these deliveries failed in the hours before, one an hour. */
  async function digestWithFailures(at: string, waId: string, failures: [number, string][]): Promise<string> {
    const clock = new ManualClock(at);
    const slack = createRecordingSlack();
    const now = clock.now().getTime();
    const id = await seedConversation(database.db, { waId, name: `Customer ${waId}`, openedAt: new Date(now - (failures.length + 2) * HOUR) });
    for (const [i, [code, title]] of failures.entries()) {
      await seedFailedDelivery(database.db, id, new Date(now - (failures.length - i) * HOUR), code, title);
    }
    const deps = processDeps(clock, slack, 'w1');
    expect(await runDigestTick(deps)).toBe('queued');
    await deliver(deps);
    return JSON.stringify(slack.posts[0]?.blocks);
  }

  it('says why deliveries failed in the words agents were given, keeping Meta’s code, not Meta’s title', async () => {
    const text = await digestWithFailures('2026-11-29T08:00:00Z', '15550008002', [
      [131047, 'Re-engagement message'],
      [131047, 'Re-engagement message'],
      [131026, 'Message undeliverable'],
    ]);
    expect(text).toContain(`• 2 × ${escapeForJson(explainGraphError({ code: 131047 }))} _(Meta error 131047)_`);
    expect(text).toContain(`• 1 × ${escapeForJson(explainGraphError({ code: 131026 }))} _(Meta error 131026)_`);
    expect(text).not.toContain('Re-engagement message');
    expect(text).not.toContain('Message undeliverable');
  });

  it('names threadline’s own failures for what they were, old rows stored with code 0 included, and Meta’s 0 as the token', async () => {
    const text = await digestWithFailures('2026-11-30T08:00:00Z', '15550008003', [
      [LOCAL_FAILURE_CODES.graph_unreachable, 'Could not connect to Graph (ECONNREFUSED)'],
      // Stored before the reserved codes: threadline's own failures under code 0, told apart by their title.
      [0, 'Could not connect to Graph (ENOTFOUND)'],
      [0, 'No answer from Graph within 15000 ms'],
      [0, 'AuthException'],
    ]);
    const unreachable = escapeForJson(explainLocalFailure('graph_unreachable'));
    expect(text).toContain(`• 2 × ${unreachable} _(threadline: WhatsApp’s servers unreachable, not a WhatsApp error)_`);
    expect(text).toContain(`• 1 × ${escapeForJson(explainLocalFailure('graph_timeout'))} _(threadline: no answer from WhatsApp in time, not a WhatsApp error)_`);
    expect(text).toContain(`• 1 × ${escapeForJson(explainGraphError({ code: 0 }))} _(Meta error 0)_`);
    expect(text.match(/WHATSAPP_ACCESS_TOKEN/g)).toHaveLength(1);
  });

  it('without DIGEST_CHANNEL nothing is scheduled', async () => {
    const slack = createRecordingSlack();
    const deps = { ...processDeps(new ManualClock('2026-11-24T20:00:00Z'), slack, 'w1'), config: loadConfig({}, []) };
    expect(await runDigestTick(deps)).toBe('disabled');
  });
});
