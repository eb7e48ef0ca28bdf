// First topic: create a topic with 3 partitions, produce 10 messages, read them back, and see on
// the real data that an offset is a position inside one partition.
import type { KafkaMessage } from '../../../../main/contract/index.ts';
import type { LearnContext, Scenario } from '../scenario.ts';
import { decodeText, topicReady } from './common.ts';

export const FIRST_TOPIC = 'learn.first-topic';
const PARTITIONS = 3;
const COUNT = 10;
const ONE_MORE = 'one-more';
const topicScreen = (tab: string) => `/topics/${encodeURIComponent(FIRST_TOPIC)}?tab=${tab}`;

const detail = (ctx: LearnContext) => ctx.api('topicDetail', { clusterId: ctx.clusterId, topic: FIRST_TOPIC });
const readAll = (ctx: LearnContext, partition: number | null) =>
  ctx.api('browse', { clusterId: ctx.clusterId, topic: FIRST_TOPIC }, { partition, seek: { mode: 'earliest' }, limit: 1000 });

/** "partition 0: offsets 0–3 · partition 1: …" from the messages read. */
function describeOffsets(messages: KafkaMessage[]): string {
  const byPartition = new Map<number, number[]>();
  for (const m of messages) byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m.offset]);
  return [...byPartition.entries()]
    .sort(([a], [b]) => a - b)
    .map(([p, offs]) => `partition ${p}: offset${offs.length > 1 ? `s ${Math.min(...offs)}–${Math.max(...offs)}` : ` ${offs[0]}`}`)
    .join(' · ');
}

export const firstTopic: Scenario = {
  id: 'first-topic',
  title: 'Your first topic',
  concept: 'A topic is a log of messages split into partitions; each message gets an offset, its position in its partition.',
  creates: { topics: [FIRST_TOPIC], groups: [] },
  steps: [
    {
      id: 'create-topic',
      title: 'Create a topic with 3 partitions',
      text: `A topic is a named stream of messages, split into partitions that each keep their messages in order. Click “Create topic”, name it ${FIRST_TOPIC} and give it 3 partitions, or let the app do it.`,
      target: { screen: '/topics', name: 'create-topic' },
      action: {
        label: `Create ${FIRST_TOPIC}`,
        run: async (ctx) => {
          await ctx.api('createTopic', { clusterId: ctx.clusterId }, { name: FIRST_TOPIC, partitions: PARTITIONS, replicationFactor: 3 });
        },
      },
      check: (ctx) => topicReady(ctx, FIRST_TOPIC, PARTITIONS),
    },
    {
      id: 'produce',
      title: `Produce ${COUNT} messages`,
      text: `A producer appends messages to the end of a partition, and the broker gives each one the next offset of that partition. Open the “Produce” tab of the topic and send ${COUNT} messages, or let the app send them. Without a key, the producer picks the partition for you.`,
      target: { screen: topicScreen('produce'), name: 'topic-tab:produce' },
      action: {
        label: `Send ${COUNT} messages`,
        run: async (ctx) => {
          for (let i = 1; i <= COUNT; i++) await ctx.api('produce', { clusterId: ctx.clusterId, topic: FIRST_TOPIC }, { key: null, value: `message ${i}` });
        },
      },
      check: async (ctx) => {
        const t = await detail(ctx);
        const total = t.partitions.reduce((s, p) => s + (p.endOffset ?? 0) - (p.startOffset ?? 0), 0);
        const ends = t.partitions.map((p) => `partition ${p.partition} ends at offset ${p.endOffset ?? '?'}`).join(', ');
        return { done: total >= COUNT, observed: `${total} message(s) in ${FIRST_TOPIC}: ${ends}.` };
      },
    },
    {
      id: 'consume',
      title: 'Read them back from the beginning',
      text: 'A consumer reads a partition from an offset it chooses, and reading removes nothing: the messages stay in the log for the next reader. Open the “Messages” tab to see each message with its partition and offset. Offsets count up inside one partition, never across partitions.',
      target: { screen: topicScreen('messages'), name: 'topic-tab:messages' },
      action: null,
      check: async (ctx) => {
        const { messages } = await readAll(ctx, null);
        const mine = messages.filter((m) => decodeText(m.value)?.startsWith('message '));
        if (mine.length < COUNT) return { done: false, observed: `Read ${mine.length} of the ${COUNT} messages from the earliest offset.` };
        return { done: true, observed: `Read all ${mine.length} from the earliest offset: ${describeOffsets(mine)}.` };
      },
    },
    {
      id: 'one-more',
      title: 'One more message, to partition 0',
      text: `Send a message with the value ${ONE_MORE} to partition 0 only. It gets the next offset of partition 0, and the other partitions do not change: each partition is its own log with its own offsets.`,
      target: { screen: topicScreen('partitions'), name: 'topic-tab:partitions' },
      action: {
        label: 'Send it to partition 0',
        run: async (ctx) => {
          await ctx.api('produce', { clusterId: ctx.clusterId, topic: FIRST_TOPIC }, { key: null, value: ONE_MORE, partition: 0 });
        },
      },
      check: async (ctx) => {
        const { messages, partitions } = await readAll(ctx, 0);
        const it = messages.find((m) => decodeText(m.value) === ONE_MORE);
        if (!it) return { done: false, observed: `No ${ONE_MORE} in partition 0 yet (it ends at offset ${partitions[0]?.endOffset ?? '?'}).` };
        const before = messages.filter((m) => m.offset < it.offset).length;
        return { done: true, observed: `${ONE_MORE} is at offset ${it.offset} of partition 0, after the ${before} message(s) partition 0 already had.` };
      },
    },
  ],
};
