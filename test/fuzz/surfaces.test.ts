import fc from 'fast-check';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import { conversations, webhookInbox } from '../../db/schema';
import { INBOX } from '../helpers/harness';
import { waitFor } from '../helpers/wait';
import { FUZZ_CHANNEL, FuzzRig } from './fuzz-rig';
import { FUZZ_RUNS, FUZZ_SEED, fuzzParameters } from './fuzz-settings';
import { type SlackInput, slackCommand, slackEvent, slackInteraction, slackOther } from './slack-inputs';
import { type VerifyQuery, type WhatsAppPost, thousandBatch, thousandExamples, verifyQuery, whatsappExamples, whatsappPost } from './whatsapp-inputs';

/**
 * Issue 8, "Keep it proven": property-based fuzzing of the WhatsApp webhook and every Slack surface, against the
 * real server and the emulators. Signed input is never answered 5xx and never crashes the process; the inbox keeps
 * flowing (rows are ingested or parked, none stays pending); afterwards a customer's message still becomes a card and
 * a thread post and an agent's reply still reaches WhatsApp; and the logs show none of the numbers and texts sent.
 * FUZZ_SEED / FUZZ_RUNS / FUZZ_PATH: test/fuzz/fuzz-settings.ts.
 */

const SLACK_ANSWERS = [200, 400];
/** A Slack input costs a fraction of a webhook POST (nothing to ingest): three times the runs. */
const SLACK_SHARE = 3;
/** How long a row that keeps failing may take to be parked: four backoffs of 0.5–4 s (src/queue/inbox-processor.ts). */
const INBOX_SETTLES_MS = 30_000;
/** Jest's 30 s default is for one scenario; a property runs FUZZ_RUNS of them (the CI setting most of all). */
const PROPERTY_TIMEOUT_MS = 60_000 + FUZZ_RUNS * 1_500;
const PROTOTYPE_KEYS_BEFORE = Object.getOwnPropertyNames(Object.prototype).sort();

function whatsappKind(post: WhatsAppPost): string {
  if (post.kind === 'bytes') return 'raw bytes';
  const entry = (post.body as { entry?: { changes?: { field?: unknown; value?: { messages?: unknown[]; statuses?: unknown[] } }[] }[] } | null)?.entry;
  const change = Array.isArray(entry) ? entry[0]?.changes?.[0] : undefined;
  if (!change || typeof change !== 'object') return 'junk shape';
  const value = change.value;
  if (Array.isArray(value?.messages)) return value.messages.length >= 1000 ? '1,000 messages' : 'messages';
  if (Array.isArray(value?.statuses)) return value.statuses.length >= 1000 ? '1,000 statuses' : 'statuses';
  return typeof change.field === 'string' ? `field ${change.field.slice(0, 30)}` : 'junk field';
}

describe(`fuzzing every surface (seed ${FUZZ_SEED}, ${FUZZ_RUNS} runs per property)`, () => {
  let rig: FuzzRig;
  const startedAt = Date.now();
  let inputs = 0;

  beforeAll(async () => {
    // Printed first, so even a run that times out can be replayed.
    process.stdout.write(`fuzz: FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_RUNS}\n`);
    rig = await FuzzRig.start();
  });
  afterAll(async () => {
    const effects = await rig?.effects().catch((err: unknown) => `  effects not read: ${String(err)}`);
    process.stdout.write(
      `fuzz: FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_RUNS}: ${inputs} inputs in ${((Date.now() - startedAt) / 1000).toFixed(1)} s, ` +
        `${rig?.serverErrors() ?? '?'} answers 5xx, ${rig?.crashes.length ?? '?'} crashes\n${effects ?? ''}\n${rig?.summary() ?? ''}\n`,
    );
    await rig?.close();
  });

  /** After each input: the answer the rules call for was given and nothing crashed; now and then the ids refresh. */
  async function afterInput(): Promise<void> {
    inputs += 1;
    expect(rig.crashes).toEqual([]);
    if (inputs % 8 === 0) await rig.refreshPools();
  }

  it('answers every signed WhatsApp POST 200, or 400 for what is not JSON, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(whatsappPost, async (post) => {
        const answer = await rig.postWhatsApp(post, whatsappKind(post));
        expect(answer.status).toBe(answer.expected);
        await afterInput();
      }),
      fuzzParameters(whatsappExamples),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('takes batches of 1,000 messages or statuses, some items broken', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(thousandBatch('messages'), thousandBatch('statuses')), async (post) => {
        const answer = await rig.postWhatsApp(post, whatsappKind(post));
        expect(answer.status).toBe(answer.expected);
        await afterInput();
      }),
      fuzzParameters(thousandExamples(FUZZ_SEED), 1 / 12),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers the verification handshake 200 with the challenge only for subscribe and the right token, else 403', async () => {
    await fc.assert(
      fc.asyncProperty(verifyQuery(rig.h.config.whatsapp.verifyToken), async (query) => {
        const answer = await rig.verifyWhatsApp(query);
        expect({ status: answer.status, text: answer.text }).toEqual(answer.expected);
        await afterInput();
      }),
      fuzzParameters<[VerifyQuery]>(),
    );
  }, PROPERTY_TIMEOUT_MS);

  describe('Slack', () => {
    beforeAll(async () => {
      // The Slack inputs act on real conversations: wait until the fuzz channel has a card to point at.
      await waitFor('a fuzz conversation with a card', async () => {
        const [row] = await rig.h.app.deps.db
          .select({ n: count() })
          .from(conversations)
          .where(and(eq(conversations.channelId, FUZZ_CHANNEL), isNotNull(conversations.threadTs)));
        return (row?.n ?? 0) > 0;
      });
      await rig.refreshPools();
    });

    const slackProperty = (arbitrary: fc.Arbitrary<SlackInput>) =>
      fc.assert(
        fc.asyncProperty(arbitrary, async (input) => {
          const answer = await rig.postSlack(input);
          if (!SLACK_ANSWERS.includes(answer.status)) throw new Error(`${input.kind} was answered ${answer.status} ${answer.text.slice(0, 200)}`);
          await afterInput();
        }),
        fuzzParameters<[SlackInput]>([], SLACK_SHARE),
      );

    it('answers every signed Events API callback 200 or 400', () => slackProperty(slackEvent), PROPERTY_TIMEOUT_MS);
    it('answers every signed block action, view submission, view close and shortcut 200 or 400', () => slackProperty(slackInteraction), PROPERTY_TIMEOUT_MS);
    it('answers every signed slash command 200 or 400, whatever its text', () => slackProperty(slackCommand), PROPERTY_TIMEOUT_MS);
    it('answers url_verification, rate-limit notices, SSL checks and junk bodies 200 or 400', () => slackProperty(slackOther), PROPERTY_TIMEOUT_MS);
  });

  describe('afterwards', () => {
    it('crashed nowhere, answered no 5xx, threw nothing of its own, polluted no prototype, and is healthy and ready', async () => {
      expect(rig.crashes).toEqual([]);
      // The inputs carried `__proto__`, `constructor` and `prototype` keys at every depth.
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS_BEFORE);
      expect(rig.serverErrors()).toBe(0);
      expect(rig.codeFailures()).toEqual([]);
      expect(await rig.healthy()).toBe(true);
    });

    it('left no webhook row pending: each was ingested or parked', async () => {
      const pending = async () => {
        const [row] = await rig.h.app.deps.db.select({ n: count() }).from(webhookInbox).where(eq(webhookInbox.state, 'pending'));
        return row?.n ?? -1;
      };
      await waitFor('every webhook row ingested or parked', async () => (await pending()) === 0, INBOX_SETTLES_MS);
      const [parked] = await rig.h.app.deps.db.select({ n: count() }).from(webhookInbox).where(eq(webhookInbox.state, 'parked'));
      process.stdout.write(`fuzz: webhook rows parked: ${parked?.n ?? 0}\n`);
    }, INBOX_SETTLES_MS + 10_000);

    it('still turns a customer message into a card and a thread post, and an agent reply into a WhatsApp send', async () => {
      const { h } = rig;
      const waId = '15550008001';
      const sent = await h.graph.customerSends({ from: waId, name: 'After Fuzz', text: 'Hello after the storm' });
      expect(sent.status).toBe(200);
      const card = await waitFor('the card in the inbox', () => h.cards().find((c) => c.text.includes('After Fuzz')));
      await waitFor('the message in its thread', () => h.slack.thread(INBOX, card.ts).some((m) => m.text.includes('Hello after the storm')));
      const [conversation] = await h.app.deps.db.select().from(conversations).where(and(eq(conversations.channelId, INBOX), eq(conversations.threadTs, card.ts)));
      // The fuzz may have turned on routing in the inbox: the owner, if any, replies, so the reply is not held.
      await h.slack.userPosts({ user: conversation?.ownerId ?? 'U0BRUNO', channel: INBOX, threadTs: card.ts, text: 'We are on it' });
      await waitFor('the reply sent to WhatsApp', () => h.graph.sent.find((s) => s.waId === waId && s.text === 'We are on it'));
    });

    it('logged none of the phone numbers and message texts it was sent', () => {
      const log = rig.lines.join('');
      expect(rig.lines.length).toBeGreaterThan(0);
      expect(rig.secrets.words.size).toBeGreaterThan(0);
      expect(rig.secrets.phones.size).toBeGreaterThan(0);
      expect(rig.secrets.leaksIn(log)).toEqual([]);
    });
  });
});
