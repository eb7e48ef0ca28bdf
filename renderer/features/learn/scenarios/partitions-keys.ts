// Partitions and keys: keyed messages to a 3-partition topic; the messages API shows every
// message of one key in one partition (the default partitioner hashes the key), in the order
// they were sent, and a later message of that key landing in the same partition after them.
import type { KafkaMessage } from '../../../../main/contract/index.ts';
import type { LearnContext, Scenario } from '../scenario.ts';
import { decodeText, produceEach, readFromEarliest, topicReady } from './common.ts';

export const KEYS_TOPIC = 'learn.keys';
const PARTITIONS = 3;
const KEYS = ['alice', 'bob', 'carol', 'dave'];
const ROUNDS = 4;
const topicScreen = (tab: string) => `/topics/${encodeURIComponent(KEYS_TOPIC)}?tab=${tab}`;

/** "alice #3" -> { key: alice, seq: 3 }, for the messages this scenario sent. */
function parse(m: KafkaMessage): { key: string; seq: number; partition: number; offset: number } | null {
  const key = decodeText(m.key);
  const match = /^(\w+) #(\d+)$/.exec(decodeText(m.value) ?? '');
  return key && match && match[1] === key ? { key, seq: Number(match[2]), partition: m.partition, offset: m.offset } : null;
}
const mine = async (ctx: LearnContext) => (await readFromEarliest(ctx, KEYS_TOPIC)).map(parse).filter((x) => x !== null);
const partitionsOf = (ms: { key: string; partition: number }[], key: string) => [...new Set(ms.filter((m) => m.key === key).map((m) => m.partition))];

export const partitionsKeys: Scenario = {
  id: 'partitions-keys',
  title: 'Partitions and keys',
  concept: 'The producer picks a message’s partition from a hash of its key, so all messages with one key go to one partition and stay in the order they were sent.',
  creates: { topics: [KEYS_TOPIC], groups: [] },
  steps: [
    {
      id: 'create-topic',
      title: 'Create a topic with 3 partitions',
      text: `Click “Create topic”, name it ${KEYS_TOPIC} and give it 3 partitions, or let the app do it. Each partition is a separate log, so messages in different partitions have no order between them.`,
      target: { screen: '/topics', name: 'create-topic' },
      action: {
        label: `Create ${KEYS_TOPIC}`,
        run: async (ctx) => {
          await ctx.api('createTopic', { clusterId: ctx.clusterId }, { name: KEYS_TOPIC, partitions: PARTITIONS, replicationFactor: 3 });
        },
      },
      check: (ctx) => topicReady(ctx, KEYS_TOPIC, PARTITIONS),
    },
    {
      id: 'produce-keyed',
      title: 'Send messages with keys',
      text: `Send messages with the keys ${KEYS.join(', ')} from the “Produce” tab, or let the app send ${ROUNDS} rounds of them, such as alice #1 with the key alice. The producer hashes the key to choose the partition. The same key always gives the same partition while the topic keeps its number of partitions.`,
      target: { screen: topicScreen('produce'), name: 'topic-tab:produce' },
      action: {
        label: `Send ${KEYS.length * ROUNDS} keyed messages`,
        run: async (ctx) => {
          const records = [];
          for (let i = 1; i <= ROUNDS; i++) for (const key of KEYS) records.push({ key, value: `${key} #${i}` });
          await produceEach(ctx, KEYS_TOPIC, records);
        },
      },
      check: async (ctx) => {
        const ms = await mine(ctx);
        if (ms.length < KEYS.length * ROUNDS) return { done: false, observed: `Read ${ms.length} of the ${KEYS.length * ROUNDS} keyed messages.` };
        const where = KEYS.map((k) => ({ k, ps: partitionsOf(ms, k) }));
        const split = where.filter((w) => w.ps.length !== 1);
        return {
          done: split.length === 0,
          observed: split.length
            ? `Key ${split[0].k} is in partitions ${split[0].ps.join(', ')}.`
            : `Each key in one partition: ${where.map((w) => `${w.k} → partition ${w.ps[0]}`).join(', ')}.`,
        };
      },
    },
    {
      id: 'order-per-key',
      title: 'Order is kept inside a partition',
      text: 'Open the “Messages” tab and pick one partition: its offsets count up in the order the messages were written. Every key keeps its messages in the order sent, #1 before #2, because they share one partition. Across partitions there is no such order.',
      target: { screen: topicScreen('messages'), name: 'topic-tab:messages' },
      action: null,
      check: async (ctx) => {
        const ms = await mine(ctx);
        if (ms.length < KEYS.length * ROUNDS) return { done: false, observed: `Read ${ms.length} of the ${KEYS.length * ROUNDS} keyed messages.` };
        const seqs = (key: string) => ms.filter((m) => m.key === key).sort((a, b) => a.offset - b.offset).map((m) => m.seq);
        const outOfOrder = KEYS.find((k) => seqs(k).some((s, i, all) => i > 0 && s <= all[i - 1]));
        if (outOfOrder) return { done: false, observed: `${outOfOrder} reads back as ${seqs(outOfOrder).join(', ')}.` };
        return { done: true, observed: `By offset, every key reads back in the order sent: ${KEYS.map((k) => `${k} ${seqs(k).join('-')}`).join(', ')}.` };
      },
    },
    {
      id: 'one-more-alice',
      title: 'One more for alice',
      text: `Send one more message, alice #${ROUNDS + 1}, with the key alice. It lands in the same partition as the other alice messages, at an offset after all of them.`,
      target: { screen: topicScreen('partitions'), name: 'topic-tab:partitions' },
      action: {
        label: `Send alice #${ROUNDS + 1}`,
        run: async (ctx) => {
          await produceEach(ctx, KEYS_TOPIC, [{ key: 'alice', value: `alice #${ROUNDS + 1}` }]);
        },
      },
      check: async (ctx) => {
        const alice = (await mine(ctx)).filter((m) => m.key === 'alice');
        const last = alice.find((m) => m.seq === ROUNDS + 1);
        if (!last) return { done: false, observed: `No alice #${ROUNDS + 1} yet; alice has ${alice.length} message(s).` };
        const earlier = alice.filter((m) => m.seq <= ROUNDS);
        const done = earlier.length === ROUNDS && earlier.every((m) => m.partition === last.partition && m.offset < last.offset);
        return { done, observed: `alice #${ROUNDS + 1} is at offset ${last.offset} of partition ${last.partition}; the earlier alice messages are at offsets ${earlier.map((m) => `${m.partition}:${m.offset}`).join(', ')}.` };
      },
    },
  ],
};
