import { findDigestRun } from '../../db/queries/digest';
import { ManualClock } from '../../src/clock';
import { postDigestNow } from '../../src/services/digest';
import { type Harness, INBOX, startHarness } from '../helpers/harness';
import { openConversation, renderedText, settle } from '../helpers/threads';
import { waitFor } from '../helpers/wait';
import manifest from '../../manifest.json';

const MANIFEST_SCOPES: readonly string[] = manifest.oauth_config.scopes.bot;

const MANAGER = 'U0CARLA';
const digestsIn = (h: Harness, channel: string) => h.slack.messages(channel).filter((m) => m.text.startsWith('Daily digest'));

describe('the daily digest', () => {
  let h: Harness;
  // 11:00 in Berlin: past DIGEST_TIME, so the worker's first check posts today's digest.
  const clock = new ManualClock('2026-11-24T10:00:00Z');
  beforeAll(async () => {
    h = await startHarness({ clock, env: { ADMIN_USER_IDS: MANAGER, DIGEST_CHANNEL: INBOX, DIGEST_TIME: '09:00', DIGEST_TZ: 'Europe/Berlin' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('is posted to DIGEST_CHANNEL by the worker once its time has come, and recorded for the day', async () => {
    const digest = await waitFor('the scheduled digest', () => digestsIn(h, INBOX)[0]);
    expect(renderedText(digest)).toContain('Daily digest — Tuesday, 24 November 2026');
    // The run is recorded right after Slack answered the post, so the message can be seen a moment before the record.
    const run = await waitFor('the digest run recorded', async () => {
      const found = await findDigestRun(h.app.deps.db, '2026-11-24');
      return found?.postedTs ? found : undefined;
    });
    expect(run).toMatchObject({ postedTs: digest.ts, channelId: INBOX });
    await settle(h);
    expect(digestsIn(h, INBOX)).toHaveLength(1);
  });

  it('/queue digest from a manager posts it now, with the hourly chart in its thread', async () => {
    await openConversation(h, { waId: '15550009001', name: 'Rosa' });
    clock.advance(60_000);
    const before = digestsIn(h, INBOX).length;

    const result = await h.slack.runSlashCommand({ user: MANAGER, channel: INBOX, command: '/queue', text: 'digest' });

    expect(result.status).toBe(200);
    const digest = await waitFor('the digest on demand', () => digestsIn(h, INBOX)[before]);
    expect(renderedText(digest)).toContain('*Open now: 1*');
    expect(renderedText(digest)).toContain('Rosa');
    const chart = await waitFor('the chart in the thread', () => h.slack.thread(INBOX, digest.ts).find((m) => (m.files ?? []).length > 0));
    expect(JSON.stringify(chart.files)).toContain('customer-messages-by-hour.png');
  });

  it('/queue digest from an agent is refused, only to them, and nothing is posted', async () => {
    const before = digestsIn(h, INBOX).length;
    const result = await h.slack.runSlashCommand({ user: 'U0ANA', channel: INBOX, command: '/queue', text: 'digest' });
    expect(JSON.stringify(result.json)).toContain('Only managers and admins can post the digest');
    await settle(h);
    expect(digestsIn(h, INBOX)).toHaveLength(before);
  });

  it('postDigestNow refuses an agent with a message and accepts a manager', async () => {
    expect(await postDigestNow(h.app.deps, { actorId: 'U0BRUNO', channelId: INBOX })).toEqual({
      ok: false,
      message: expect.stringContaining('Only managers and admins'),
    });
    expect(await postDigestNow(h.app.deps, { actorId: MANAGER, channelId: 'D0SOMEDM' })).toEqual({ ok: true, channelId: INBOX });
  });

  it('/queue digest says where it is posting, and when Slack refuses the post the manager is told there, only them', async () => {
    // The digest the test before asked for goes out first: the fault is for this one.
    await waitFor('the earlier digest', () => digestsIn(h, INBOX).length >= 3);
    const before = digestsIn(h, INBOX).length;
    h.slack.injectFault({ method: 'chat.postMessage', kind: 'ok_false', error: 'not_in_channel', channel: INBOX });
    const result = await h.slack.runSlashCommand({ user: MANAGER, channel: INBOX, command: '/queue', text: 'digest' });
    expect(JSON.stringify(result.json)).toContain(`Posting the digest in <#${INBOX}>`);
    const told = await waitFor('the failure, told to the manager', () =>
      h.slack.ephemerals.find((e) => e.user === MANAGER && /could not post the digest/.test(e.text)),
    );
    expect(told.text).toContain('/invite @threadline');
    expect(told.channel).toBe(INBOX);
    await settle(h);
    expect(digestsIn(h, INBOX)).toHaveLength(before);
  });
});

describe('the digest posted to DIGEST_CHANNEL from another channel', () => {
  const DIGEST = 'C0DIGEST01';
  let h: Harness;
  // 09:40 in Berlin; the scheduled digest (23:00) is not due today, so every digest here is asked for.
  const clock = new ManualClock('2026-11-24T08:40:00Z');
  beforeAll(async () => {
    h = await startHarness({
      clock,
      extraChannels: [DIGEST],
      env: { ADMIN_USER_IDS: MANAGER, DIGEST_CHANNEL: DIGEST, DIGEST_TIME: '23:00', DIGEST_TZ: 'Europe/Berlin' },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('counts a customer message sent at 09:40 local in the 09:00 clock hour, asked for at 10:50', async () => {
    await openConversation(h, { waId: '15550009002', name: 'Sven' });
    // 10:50: a rolling hour ending now would run 08:50–09:50 and be labelled 08:00.
    clock.advance(70 * 60_000);

    const result = await h.slack.runSlashCommand({ user: MANAGER, channel: INBOX, command: '/queue', text: 'digest' });

    expect(JSON.stringify(result.json)).toContain(`Posting the digest in <#${DIGEST}>`);
    const digest = await waitFor('the digest in DIGEST_CHANNEL', () => digestsIn(h, DIGEST)[0]);
    expect(renderedText(digest)).toContain('from 10:00 yesterday to now');
    expect(renderedText(digest)).toContain('1 in total, busiest 09:00 (1)');
    const chart = await waitFor('the chart in the thread', () => h.slack.thread(DIGEST, digest.ts).find((m) => (m.files ?? []).length > 0));
    expect(JSON.stringify(chart.files)).toContain('from 10:00 yesterday to now');
  });
});

describe('channels the bot was never invited to (Slack answers for its own membership)', () => {
  const LOBBY = 'C0LOBBY001';
  const MANAGERS = 'G0MANAGERS';
  const OPEN_DIGEST = 'C0OPENDIG1';
  let h: Harness;
  const clock = new ManualClock('2026-11-24T08:40:00Z');
  beforeAll(async () => {
    h = await startHarness({ clock, env: { ADMIN_USER_IDS: MANAGER, DIGEST_CHANNEL: MANAGERS, DIGEST_TIME: '23:00', DIGEST_TZ: 'Europe/Berlin' } });
    h.slack.addChannel({ id: LOBBY, name: 'lobby', botIsMember: false });
    h.slack.addChannel({ id: MANAGERS, name: 'managers', isPrivate: true, members: [MANAGER], botIsMember: false });
    h.slack.addChannel({ id: OPEN_DIGEST, name: 'open-digest', botIsMember: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('/queue digest run where the bot is not, for a private DIGEST_CHANNEL it is not in: the manager is told there, only them, not by DM', async () => {
    const dmsBefore = h.slack.callsTo('conversations.open').length;

    const result = await h.slack.runSlashCommand({ user: MANAGER, channel: LOBBY, command: '/queue', text: 'digest' });

    expect(JSON.stringify(result.json)).toContain(`Posting the digest in <#${MANAGERS}>`);
    const told = await waitFor('the failure, told where the command was run', () =>
      h.slack.ephemerals.find((e) => e.user === MANAGER && /could not post the digest/.test(e.text)),
    );
    expect(told).toMatchObject({ channel: LOBBY, via: 'response_url' });
    expect(told.text).toContain(`I am not a member of <#${MANAGERS}>`);
    expect(told.text).toContain('/invite @threadline');
    await settle(h);
    expect(digestsIn(h, MANAGERS)).toEqual([]);
    expect(h.slack.callsTo('conversations.open')).toHaveLength(dmsBefore);
  });
});

describe('a public DIGEST_CHANNEL the bot was never invited to', () => {
  const LOBBY = 'C0LOBBY001';
  const OPEN_DIGEST = 'C0OPENDIG1';
  let h: Harness;
  const clock = new ManualClock('2026-11-24T08:40:00Z');
  beforeAll(async () => {
    h = await startHarness({ clock, env: { ADMIN_USER_IDS: MANAGER, DIGEST_CHANNEL: OPEN_DIGEST, DIGEST_TIME: '23:00', DIGEST_TZ: 'Europe/Berlin' } });
    h.slack.addChannel({ id: LOBBY, name: 'lobby', botIsMember: false });
    h.slack.addChannel({ id: OPEN_DIGEST, name: 'open-digest', botIsMember: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('takes the digest with chat:write.public; without that scope Slack refuses and the manager is told where they asked', async () => {
    await h.slack.runSlashCommand({ user: MANAGER, channel: LOBBY, command: '/queue', text: 'digest' });
    await waitFor('the digest in the public channel', () => digestsIn(h, OPEN_DIGEST)[0]);
    await settle(h);

    h.slack.setGrantedScopes(MANIFEST_SCOPES.filter((scope) => scope !== 'chat:write.public'));
    await h.slack.runSlashCommand({ user: MANAGER, channel: LOBBY, command: '/queue', text: 'digest' });
    const told = await waitFor('the refusal, told to the manager', () =>
      h.slack.ephemerals.find((e) => e.user === MANAGER && e.text.includes(`could not post the digest in <#${OPEN_DIGEST}>`)),
    );
    expect(told).toMatchObject({ channel: LOBBY, via: 'response_url' });
    expect(told.text).toContain('/invite @threadline');
    await settle(h);
    expect(digestsIn(h, OPEN_DIGEST)).toHaveLength(1);
  });
});
