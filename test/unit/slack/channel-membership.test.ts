import { ManualClock } from '../../../src/clock';
import { createChannelMembership, MEMBERSHIP_TTL_MS } from '../../../src/slack/channel-membership';
import { SlackTransientError } from '../../../src/slack/gateway';

function fakeSlack(initial: Record<string, string[]>) {
  const channels = { ...initial };
  const calls: string[] = [];
  let fail = 0;
  return {
    channels,
    calls,
    failNext: () => (fail += 1),
    slack: {
      listUserChannels: async (userId: string) => {
        calls.push(userId);
        if (fail > 0) {
          fail -= 1;
          throw new SlackTransientError('users.conversations', 'down');
        }
        return [...(channels[userId] ?? [])];
      },
    },
  };
}

describe('channel membership cache', () => {
  it('asks Slack once per person within the TTL, again after it', async () => {
    const clock = new ManualClock();
    const fake = fakeSlack({ U0ANA: ['C1'] });
    const membership = createChannelMembership({ slack: fake.slack, clock });
    expect([...(await membership.channelsOf('U0ANA'))]).toEqual(['C1']);
    await Promise.all([membership.channelsOf('U0ANA'), membership.channelsOf('U0ANA')]);
    expect(fake.calls).toEqual(['U0ANA']);
    fake.channels.U0ANA = ['C1', 'C2'];
    clock.advance(MEMBERSHIP_TTL_MS + 1);
    expect([...(await membership.channelsOf('U0ANA'))].sort()).toEqual(['C1', 'C2']);
    expect(fake.calls).toEqual(['U0ANA', 'U0ANA']);
  });

  it('forget (a join or leave event) makes the next look-up ask Slack at once', async () => {
    const fake = fakeSlack({ U0ANA: ['C1'] });
    const membership = createChannelMembership({ slack: fake.slack, clock: new ManualClock() });
    await membership.channelsOf('U0ANA');
    fake.channels.U0ANA = [];
    membership.forget('U0ANA');
    expect([...(await membership.channelsOf('U0ANA'))]).toEqual([]);
  });

  it('a failed look-up is not kept', async () => {
    const fake = fakeSlack({ U0ANA: ['C1'] });
    const membership = createChannelMembership({ slack: fake.slack, clock: new ManualClock() });
    fake.failNext();
    await expect(membership.channelsOf('U0ANA')).rejects.toBeInstanceOf(SlackTransientError);
    expect([...(await membership.channelsOf('U0ANA'))]).toEqual(['C1']);
  });

  it('a look-up that started before a leave is not kept after it', async () => {
    const fake = fakeSlack({ U0ANA: ['C1'] });
    let release: (() => void) | undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow = {
      listUserChannels: async (userId: string) => {
        const seen = await fake.slack.listUserChannels(userId);
        await gate;
        return seen;
      },
    };
    const racing = createChannelMembership({ slack: slow, clock: new ManualClock() });
    const before = racing.channelsOf('U0ANA');
    fake.channels.U0ANA = [];
    racing.forget('U0ANA');
    release?.();
    expect([...(await before)]).toEqual(['C1']);
    expect([...(await racing.channelsOf('U0ANA'))]).toEqual([]);
  });
});
