import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { checkChannels } from '../../../src/services/setup-check';
import { SlackPermanentError } from '../../../src/slack/gateway';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

const config = loadConfig(
  {
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 's',
    WHATSAPP_ACCESS_TOKEN: 't',
    WHATSAPP_APP_SECRET: 'a',
    WHATSAPP_VERIFY_TOKEN: 'v',
    SLACK_CHANNEL: 'C0INBOX',
    WHATSAPP_NUMBER_CHANNELS: '100000000000001=C0SALES,100000000000002=C0INBOX',
    DIGEST_CHANNEL: 'C0MANAGERS',
  },
  [],
);

describe('the start-up channel check', () => {
  it('warns about each configured channel threadline is not in or cannot see, once per channel', async () => {
    const { lines, logger } = capture();
    const asked: string[] = [];
    const slack = {
      isMember: (channel: string) => {
        asked.push(channel);
        if (channel === 'C0MANAGERS') return Promise.reject(new SlackPermanentError('conversations.info', 'channel_not_found'));
        return Promise.resolve(channel === 'C0INBOX');
      },
    };
    await checkChannels({ slack: slack as never, logger }, config);
    expect(asked.sort()).toEqual(['C0INBOX', 'C0MANAGERS', 'C0SALES']);
    const warnings = lines.map((l) => JSON.parse(l) as { msg: string });
    expect(warnings.map((w) => w.msg)).toEqual([
      expect.stringContaining('not in channel C0SALES'),
      expect.stringContaining('cannot see channel C0MANAGERS'),
    ]);
  });
});
