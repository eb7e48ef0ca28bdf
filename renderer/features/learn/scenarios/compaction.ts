// Retention and compaction: a topic with cleanup.policy=compact keeps the latest value per key.
// Small segments (segment.bytes 100: about one produce request each) are sealed at once, the
// log cleaner compacts the sealed ones (min.cleanable.dirty.ratio 0.01), and a tombstone (a key
// with a null value) is removed delete.retention.ms (1 s) after the clean that first kept it.
// Every check reads the partition back through the messages API. The cleaner wakes every
// log.cleaner.backoff.ms (15 s by default) when it has nothing to do, so a step can take that long.
import type { KafkaMessage } from '../../../../main/contract/index.ts';
import type { LearnContext, Scenario } from '../scenario.ts';
import { decodeText, produceEach, readFromEarliest, topicReady } from './common.ts';

export const COMPACTED_TOPIC = 'learn.compacted';
const CONFIGS = {
  'cleanup.policy': 'compact',
  'segment.bytes': '100',
  'segment.ms': '1000',
  'min.cleanable.dirty.ratio': '0.01',
  'delete.retention.ms': '1000',
};
const KEYS = ['blue', 'green', 'red'];
const VERSIONS = 3;
const DELETED = 'red';
const SEAL = { key: 'yellow', value: 'yellow v1' };
const topicScreen = (tab: string) => `/topics/${encodeURIComponent(COMPACTED_TOPIC)}?tab=${tab}`;

interface Rec {
  key: string | null;
  value: string | null;
  offset: number;
}
const records = async (ctx: LearnContext): Promise<Rec[]> =>
  (await readFromEarliest(ctx, COMPACTED_TOPIC, 0)).map((m: KafkaMessage) => ({ key: decodeText(m.key), value: decodeText(m.value), offset: m.offset }));
const ofKey = (rs: Rec[], key: string) => rs.filter((r) => r.key === key);
const show = (rs: Rec[]) => rs.map((r) => `${r.offset}: ${r.key}=${r.value ?? 'tombstone'}`).join(', ') || 'nothing';
const latest = (key: string) => `${key} v${VERSIONS}`;
/** The keys still alive hold only their latest value. */
const liveKeysClean = (rs: Rec[]) =>
  KEYS.filter((k) => k !== DELETED).every((k) => {
    const mine = ofKey(rs, k);
    return mine.length === 1 && mine[0].value === latest(k);
  });

export const compaction: Scenario = {
  id: 'compaction',
  title: 'Retention and compaction',
  concept: 'A compacted topic keeps at least the latest value of every key instead of deleting old messages by age; a key with a null value, a tombstone, deletes the key.',
  creates: { topics: [COMPACTED_TOPIC], groups: [] },
  steps: [
    {
      id: 'create-topic',
      title: 'Create a compacted topic',
      text: `Let the app create ${COMPACTED_TOPIC} with cleanup.policy=compact and very small segments, so that the log cleaner has work at once. Its “Configs” tab shows cleanup.policy, segment.bytes and min.cleanable.dirty.ratio.`,
      target: { screen: topicScreen('configs'), name: 'topic-tab:configs' },
      action: {
        label: `Create ${COMPACTED_TOPIC}`,
        run: async (ctx) => {
          await ctx.api('createTopic', { clusterId: ctx.clusterId }, { name: COMPACTED_TOPIC, partitions: 1, replicationFactor: 3, configs: CONFIGS });
        },
      },
      check: async (ctx) => {
        const ready = await topicReady(ctx, COMPACTED_TOPIC, 1);
        if (!ready.done) return ready;
        const { configs } = await ctx.api('topicConfigs', { clusterId: ctx.clusterId, topic: COMPACTED_TOPIC });
        const get = (name: string) => configs.find((c) => c.name === name)?.value ?? 'unset';
        const wrong = Object.entries(CONFIGS).filter(([k, v]) => get(k) !== v);
        return {
          done: wrong.length === 0,
          observed: wrong.length ? `${COMPACTED_TOPIC} has ${wrong.map(([k]) => `${k}=${get(k)}`).join(', ')}.` : `${COMPACTED_TOPIC}: ${Object.entries(CONFIGS).map(([k, v]) => `${k}=${v}`).join(', ')}.`,
        };
      },
    },
    {
      id: 'updates',
      title: 'Several values per key',
      text: `Send ${VERSIONS} values for each of the keys ${KEYS.join(', ')}, or let the app send them: blue v1, green v1, and so on up to v${VERSIONS}. Each message is appended like in any topic; compaction happens later, in the background.`,
      target: { screen: topicScreen('produce'), name: 'topic-tab:produce' },
      action: {
        label: `Send ${KEYS.length * VERSIONS} updates`,
        run: async (ctx) => {
          const rs = [];
          for (let v = 1; v <= VERSIONS; v++) for (const key of KEYS) rs.push({ key, value: `${key} v${v}` });
          await produceEach(ctx, COMPACTED_TOPIC, rs);
        },
      },
      check: async (ctx) => {
        const rs = await records(ctx);
        const done = KEYS.every((k) => ofKey(rs, k).at(-1)?.value === latest(k));
        return { done, observed: `${rs.length} message(s) in the log: ${show(rs)}.` };
      },
    },
    {
      id: 'tombstone',
      title: `Delete the key ${DELETED}`,
      text: `Send a message with the key ${DELETED} and no value, or let the app send it. A message with a null value is a tombstone: it tells the cleaner to delete every earlier value of the key.`,
      target: { screen: topicScreen('produce'), name: 'topic-tab:produce' },
      action: {
        label: `Send a tombstone for ${DELETED}`,
        run: (ctx) => produceEach(ctx, COMPACTED_TOPIC, [{ key: DELETED, value: null }]),
      },
      check: async (ctx) => {
        const red = ofKey(await records(ctx), DELETED);
        const last = red.at(-1);
        return { done: !!last && last.value === null, observed: `The key ${DELETED} in the log: ${show(red)}.` };
      },
    },
    {
      id: 'cleaned',
      title: 'The cleaner keeps the latest per key',
      text: `The cleaner never touches the active segment, the one being written, so send one more message, ${SEAL.value}, to close the segment holding the tombstone. Then watch the “Messages” tab: the cleaner copies the closed segments keeping only the latest value of each key. Offsets never change, so the removed messages leave gaps.`,
      target: { screen: topicScreen('messages'), name: 'topic-tab:messages' },
      action: { label: `Send ${SEAL.value}`, run: (ctx) => produceEach(ctx, COMPACTED_TOPIC, [SEAL]) },
      check: async (ctx) => {
        const rs = await records(ctx);
        const red = ofKey(rs, DELETED);
        const done = liveKeysClean(rs) && red.every((r) => r.value === null) && ofKey(rs, SEAL.key).length === 1;
        return { done, observed: `In the log: ${show(rs)}.` };
      },
    },
    {
      id: 'tombstone-gone',
      title: 'The tombstone goes too',
      text: `A tombstone stays for delete.retention.ms after the clean that kept it, 1 second here, so that consumers can see the delete. The next clean then removes it, and the key ${DELETED} is gone from the log.`,
      target: { screen: topicScreen('messages'), name: 'topic-tab:messages' },
      action: null,
      check: async (ctx) => {
        const rs = await records(ctx);
        return { done: liveKeysClean(rs) && ofKey(rs, DELETED).length === 0, observed: `In the log: ${show(rs)}.` };
      },
    },
  ],
};
