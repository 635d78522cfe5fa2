import { ManualClock } from '../../../src/clock';
import type { Deps } from '../../../src/deps';
import { postDigestNow } from '../../../src/services/digest';
import { type EphemeralArgs, type RespondArgs, SlackPermanentError } from '../../../src/slack/gateway';
import { TEST_BACKENDS, type TestDatabase, openTestDatabase } from '../../helpers/database';
import { deliverChannelPosts, digestProcessDeps } from '../../helpers/digest-process';
import { createRecordingSlack } from '../../helpers/recording-slack';

const DIGEST = 'C0DIGEST01';
const ASKED_IN = 'C0LEADS001';
const MANAGER = 'U0CARLA';
const RESPONSE_URL = 'https://hooks.slack.com/commands/T0TEAM/1/secret';

/** Where the "could not post the digest" went, in the order tried. */
type Told = { via: 'response_url'; args: RespondArgs } | { via: 'ephemeral'; args: EphemeralArgs } | { via: 'dm'; channel: string; text: string };

describe.each(TEST_BACKENDS)('telling the manager a digest they asked for could not be posted, on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database.close();
  });

  /** The bot is not in DIGEST_CHANNEL; `refuse` lists the ways of reaching the manager that fail too. */
  async function askAndFail(refuse: ('response_url' | 'ephemeral')[], responseUrl: string | null = RESPONSE_URL): Promise<Told[]> {
    const told: Told[] = [];
    const slack = createRecordingSlack();
    slack.postMessage = (args) => {
      if (args.channel === DIGEST) return Promise.reject(new SlackPermanentError('chat.postMessage', 'not_in_channel'));
      told.push({ via: 'dm', channel: args.channel, text: args.text });
      return Promise.resolve({ ts: '1800000000.000001' });
    };
    slack.respond = (args) => {
      if (refuse.includes('response_url')) return Promise.reject(new SlackPermanentError('response_url', 'http_404'));
      told.push({ via: 'response_url', args });
      return Promise.resolve();
    };
    slack.postEphemeral = (args) => {
      if (refuse.includes('ephemeral')) return Promise.reject(new SlackPermanentError('chat.postEphemeral', 'not_in_channel'));
      told.push({ via: 'ephemeral', args });
      return Promise.resolve();
    };
    slack.openDm = () => Promise.resolve('D0CARLA001');
    const deps = digestProcessDeps(database.db, new ManualClock('2026-11-24T10:00:00Z'), slack, 'w1', { ADMIN_USER_IDS: MANAGER, DIGEST_CHANNEL: DIGEST });
    expect(await postDigestNow(deps as unknown as Deps, { actorId: MANAGER, channelId: ASKED_IN, responseUrl: responseUrl ?? undefined })).toEqual({ ok: true, channelId: DIGEST });
    await deliverChannelPosts(deps);
    return told;
  }

  it('answers on the command’s response_url, which reaches the channel it was run in even where the bot is not a member', async () => {
    const told = await askAndFail([]);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ via: 'response_url', args: { responseUrl: RESPONSE_URL } });
    expect(told[0]?.via === 'response_url' && told[0].args.text).toContain(`I could not post the digest in <#${DIGEST}>`);
  });

  it('once the response_url has expired or been used up, an ephemeral in the channel the command was run in', async () => {
    const told = await askAndFail(['response_url']);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ via: 'ephemeral', args: { channel: ASKED_IN, user: MANAGER } });
  });

  it('without a response_url (a request queued before this version), an ephemeral there too', async () => {
    expect(await askAndFail([], null)).toMatchObject([{ via: 'ephemeral', args: { channel: ASKED_IN, user: MANAGER } }]);
  });

  it('when neither reaches them there, their DM with the app', async () => {
    const told = await askAndFail(['response_url', 'ephemeral']);
    expect(told).toMatchObject([{ via: 'dm', channel: 'D0CARLA001', text: expect.stringContaining('could not post the digest') }]);
  });
});
