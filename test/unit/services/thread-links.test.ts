import { createLogger } from '../../../src/logger';
import type { SlackGateway } from '../../../src/slack/gateway';
import { buildThreadLink, learnArchiveBase, linkThreads, threadKey } from '../../../src/services/thread-links';

const logger = createLogger({ level: 'silent' });

/** A gateway that answers chat.getPermalink with `answer` and counts the calls. */
function fakeSlack(answer: (channel: string, ts: string) => string) {
  const calls: string[] = [];
  const slack = {
    getPermalink: ({ channel, ts }: { channel: string; ts: string }) => {
      calls.push(`${channel}/${ts}`);
      return Promise.resolve(answer(channel, ts));
    },
  } as unknown as SlackGateway;
  return { slack, calls };
}

const slackShape = (channel: string, ts: string) => `https://acme.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
const refs = (n: number) => Array.from({ length: n }, (_, i) => ({ channelId: i % 2 ? 'C0SALES01' : 'C0INBOX001', threadTs: `1700000000.${String(i).padStart(6, '0')}` }));

describe('learnArchiveBase', () => {
  it('takes the workspace part of a permalink in the documented shape', () => {
    const ref = { channelId: 'C1H9RESGA', threadTs: '1358546515.000008' };
    expect(learnArchiveBase('https://ghostbusters.slack.com/archives/C1H9RESGA/p1358546515000008', ref)).toBe(
      'https://ghostbusters.slack.com/archives/',
    );
    expect(buildThreadLink('https://ghostbusters.slack.com/archives/', ref)).toBe(
      'https://ghostbusters.slack.com/archives/C1H9RESGA/p1358546515000008',
    );
  });

  it('learns nothing from a link for another message, a reply link or another shape', () => {
    const ref = { channelId: 'C1H9RESGA', threadTs: '1358546515.000008' };
    expect(learnArchiveBase('https://x.slack.com/archives/C1H9RESGA/p1358546515000009', ref)).toBeUndefined();
    expect(learnArchiveBase('https://x.slack.com/archives/C1H9RESGA/p1358546515000008?thread_ts=1&cid=C1', ref)).toBeUndefined();
    expect(learnArchiveBase('https://x.slack.com/messages/C1H9RESGA/1358546515000008', ref)).toBeUndefined();
  });
});

describe('linkThreads', () => {
  it('asks Slack once, then builds every other link from the learned workspace address', async () => {
    const { slack, calls } = fakeSlack(slackShape);
    const first = await linkThreads({ slack, logger }, [...refs(30), { channelId: 'C0INBOX001', threadTs: null }]);
    expect(calls).toHaveLength(1);
    expect(first.size).toBe(30);
    expect(first.get(threadKey(refs(30)[7]!))).toBe(slackShape('C0SALES01', '1700000000.000007'));
    const again = await linkThreads({ slack, logger }, refs(5));
    expect(calls).toHaveLength(1);
    expect(again.size).toBe(5);
  });

  it('asks Slack per row, at most 20, when the answer is not in the shape it builds', async () => {
    const { slack, calls } = fakeSlack((channel, ts) => `https://acme.example/m/${channel}/${ts}`);
    const links = await linkThreads({ slack, logger }, refs(30));
    expect(calls).toHaveLength(21);
    expect(links.size).toBe(21);
    expect(links.get(threadKey(refs(30)[3]!))).toBe('https://acme.example/m/C0SALES01/1700000000.000003');
  });

  it('leaves rows without a link when Slack refuses, instead of failing the list', async () => {
    const slack = { getPermalink: () => Promise.reject(new Error('channel_not_found')) } as unknown as SlackGateway;
    expect((await linkThreads({ slack, logger }, refs(3))).size).toBe(0);
  });
});
