import { SlackUncertainError } from '../../src/slack/gateway';
import type { PostMessageArgs, SlackGateway, UploadFileArgs } from '../../src/slack/gateway';

/**
 * A SlackGateway that records posts and uploads in memory, for service tests that do not need the emulator. Methods
 * a test does not expect throw, so an unexpected call fails the test instead of passing silently.
 */
export interface RecordingSlack extends SlackGateway {
  posts: (PostMessageArgs & { ts: string })[];
  uploads: UploadFileArgs[];
  /** Make the next `n` postMessage calls fail; `afterEffect` records the post first (an uncertain post). */
  failNextPosts(n: number, afterEffect?: boolean): void;
}

export function createRecordingSlack(): RecordingSlack {
  let seq = 0;
  let failures = 0;
  let failAfterEffect = false;
  const unexpected = (method: string) => () => Promise.reject(new Error(`unexpected Slack call ${method}`));
  const slack: RecordingSlack = {
    posts: [],
    uploads: [],
    failNextPosts(n, afterEffect = false) {
      failures = n;
      failAfterEffect = afterEffect;
    },
    postMessage(args) {
      if (failures > 0) {
        failures -= 1;
        if (failAfterEffect) slack.posts.push({ ...args, ts: `1800000000.${String(++seq).padStart(6, '0')}` });
        // As the real gateway reports a call whose answer never came (slack.md §1): it may have been posted.
        return Promise.reject(new SlackUncertainError('chat.postMessage', 'Slack timed out'));
      }
      const ts = `1800000000.${String(++seq).padStart(6, '0')}`;
      slack.posts.push({ ...args, ts });
      return Promise.resolve({ ts });
    },
    uploadFile(args) {
      slack.uploads.push(args);
      return Promise.resolve({ fileId: `F${++seq}` });
    },
    getPermalink: ({ channel, ts }) => Promise.resolve(`https://example.slack.com/archives/${channel}/p${ts.replace('.', '')}`),
    findPostedMessage: ({ channel, opId }) =>
      Promise.resolve(slack.posts.find((p) => p.channel === channel && p.metadata?.opId === opId)?.ts),
    updateMessage: unexpected('updateMessage'),
    postEphemeral: unexpected('postEphemeral'),
    addReaction: unexpected('addReaction'),
    isFileShared: unexpected('isFileShared'),
    findPostedReply: unexpected('findPostedReply'),
    downloadFile: unexpected('downloadFile'),
    getUser: unexpected('getUser'),
    openView: unexpected('openView'),
    updateView: unexpected('updateView'),
    publishHome: unexpected('publishHome'),
    openDm: unexpected('openDm'),
    respond: unexpected('respond'),
    isMember: unexpected('isMember'),
    listUserChannels: unexpected('listUserChannels'),
  };
  return slack;
}
