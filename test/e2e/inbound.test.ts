import { type Harness, INBOX, startHarness, waitForCard } from '../helpers/harness';
import { waitFor } from '../helpers/wait';

describe('a customer writes on WhatsApp', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('opens a thread with a header card and posts the message under the customer name', async () => {
    const sent = await h.graph.customerSends({ from: '15550002222', name: 'Alice', text: 'Hi, is my *order* shipped?' });
    expect(sent.status).toBe(200);
    const cardTs = await waitForCard(h);
    const card = h.slack.message(INBOX, cardTs);
    expect(card?.text).toContain('Alice');
    expect(JSON.stringify(card?.blocks)).toContain('conversation_claim');
    const post = await waitFor('the message in the thread', () => h.threadOf(0)[0]);
    expect(post.username).toBe('Alice');
    expect(JSON.stringify(post.blocks)).toContain('Hi, is my *order* shipped?');
  });
});
