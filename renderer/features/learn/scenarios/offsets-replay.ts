// Offsets and replay: a consumer group's committed offsets are just numbers the cluster keeps
// per partition. The group commits the end of the log (lag 0), more messages arrive (the lag
// grows by exactly as many), the offsets are reset to the earliest (the lag becomes the whole
// log), and reading from the committed offsets gives every message again. Offsets are committed
// and reset through the console's offset-reset route (OffsetCommit to an empty group, as
// kafka-consumer-groups --reset-offsets does); lag is what DescribeGroups/ListOffsets answer.
import type { GroupOffset } from '../../../../main/contract/index.ts';
import type { LearnContext, Scenario } from '../scenario.ts';
import { produceEach, topicReady } from './common.ts';

export const REPLAY_TOPIC = 'learn.replay';
export const REPLAY_GROUP = 'learn.replay-app';
const PARTITIONS = 2;
const FIRST = 6;
const MORE = 4;
const GROUP_SCREEN = `/groups/${encodeURIComponent(REPLAY_GROUP)}`;

const send = (ctx: LearnContext, from: number, count: number) =>
  produceEach(
    ctx,
    REPLAY_TOPIC,
    Array.from({ length: count }, (_, i) => ({ key: null, value: `event ${from + i}`, partition: (from + i) % PARTITIONS })),
  );

/** The group's committed offsets on the topic (throws while the group does not exist). */
async function offsets(ctx: LearnContext): Promise<GroupOffset[]> {
  const g = await ctx.api('groupDetail', { clusterId: ctx.clusterId, groupId: REPLAY_GROUP });
  return g.offsets.filter((o) => o.topic === REPLAY_TOPIC);
}
const totalLag = (os: GroupOffset[]) => os.reduce((n, o) => n + (o.lag ?? 0), 0);
const describe = (os: GroupOffset[]) => os.map((o) => `partition ${o.partition}: committed ${o.committed ?? 'none'}, end ${o.endOffset ?? '?'}`).join(' · ');
const committedAll = (os: GroupOffset[]) => os.length === PARTITIONS && os.every((o) => o.committed !== null);
async function logSize(ctx: LearnContext): Promise<number> {
  const t = await ctx.api('topicDetail', { clusterId: ctx.clusterId, topic: REPLAY_TOPIC });
  return t.partitions.reduce((n, p) => n + (p.endOffset ?? 0) - (p.startOffset ?? 0), 0);
}
const reset = (ctx: LearnContext, strategy: 'earliest' | 'latest') =>
  ctx.api('resetOffsets', { clusterId: ctx.clusterId, groupId: REPLAY_GROUP }, { topic: REPLAY_TOPIC, strategy, dryRun: false });

export const offsetsReplay: Scenario = {
  id: 'offsets-replay',
  title: 'Offsets and replay',
  concept: 'A consumer group keeps a committed offset per partition, the position it reads on from; lag is how far that is behind the end, and moving it back replays the log.',
  creates: { topics: [REPLAY_TOPIC], groups: [REPLAY_GROUP] },
  steps: [
    {
      id: 'produce',
      title: `A topic with ${FIRST} messages`,
      text: `Create ${REPLAY_TOPIC} with 2 partitions with “Create topic” and send ${FIRST} messages, or let the app do both. These are the messages a consumer group will read.`,
      target: { screen: '/topics', name: 'create-topic' },
      action: {
        label: `Create ${REPLAY_TOPIC} and send ${FIRST}`,
        run: async (ctx) => {
          await ctx.api('createTopic', { clusterId: ctx.clusterId }, { name: REPLAY_TOPIC, partitions: PARTITIONS, replicationFactor: 3 });
          await send(ctx, 1, FIRST);
        },
      },
      check: async (ctx) => {
        const ready = await topicReady(ctx, REPLAY_TOPIC, PARTITIONS);
        if (!ready.done) return ready;
        const size = await logSize(ctx);
        return { done: size >= FIRST, observed: `${REPLAY_TOPIC} holds ${size} message(s).` };
      },
    },
    {
      id: 'commit',
      title: 'The group commits where it is',
      text: `A consumer commits, per partition, the offset of the next message it will read. Let the app commit the end of the log for the group ${REPLAY_GROUP}, as a consumer that read everything does. Its “Offsets and lag” table shows the committed offsets and a lag of 0.`,
      target: { screen: GROUP_SCREEN, name: 'group-offsets' },
      action: { label: 'Commit the end offsets', run: (ctx) => reset(ctx, 'latest').then(() => undefined) },
      check: async (ctx) => {
        const os = await offsets(ctx);
        if (!committedAll(os)) return { done: false, observed: `${REPLAY_GROUP} has committed ${os.length} of ${PARTITIONS} partitions.` };
        return { done: os.every((o) => o.committed === o.endOffset && (o.endOffset ?? 0) > 0), observed: `${describe(os)}; lag ${totalLag(os)}.` };
      },
    },
    {
      id: 'lag-grows',
      title: 'New messages: the lag grows',
      text: `Send ${MORE} more messages, or let the app send them. Nobody reads them, so the committed offsets stay and the lag, end offset minus committed offset, grows by ${MORE}.`,
      target: { screen: GROUP_SCREEN, name: 'group-offsets' },
      action: { label: `Send ${MORE} more`, run: (ctx) => send(ctx, FIRST + 1, MORE) },
      check: async (ctx) => {
        const os = await offsets(ctx);
        return { done: committedAll(os) && totalLag(os) >= MORE, observed: `${describe(os)}; lag ${totalLag(os)}.` };
      },
    },
    {
      id: 'reset-earliest',
      title: 'Reset the offsets to the earliest',
      text: `Click “Reset offsets”, choose the earliest offset and apply it, or let the app do it. A group's offsets can only be reset while it has no members. The committed offsets go back to the start of each partition, so the lag becomes the size of the whole log.`,
      target: { screen: GROUP_SCREEN, name: 'reset-offsets' },
      action: { label: 'Reset to earliest', run: (ctx) => reset(ctx, 'earliest').then(() => undefined) },
      check: async (ctx) => {
        const t = await ctx.api('topicDetail', { clusterId: ctx.clusterId, topic: REPLAY_TOPIC });
        const os = await offsets(ctx);
        const atStart = committedAll(os) && os.every((o) => o.committed === t.partitions.find((p) => p.partition === o.partition)?.startOffset);
        const size = await logSize(ctx);
        return { done: atStart && totalLag(os) === size, observed: `${describe(os)}; lag ${totalLag(os)}, log size ${size}.` };
      },
    },
    {
      id: 'replay',
      title: 'Everything is read again',
      text: `A consumer of ${REPLAY_GROUP} starts at the committed offsets, so it now reads every message again: a replay. The “Messages” tab of ${REPLAY_TOPIC} read from the earliest offset shows the same messages it will get.`,
      target: { screen: `/topics/${encodeURIComponent(REPLAY_TOPIC)}?tab=messages`, name: 'topic-tab:messages' },
      action: null,
      check: async (ctx) => {
        const os = await offsets(ctx);
        let read = 0;
        for (const o of os) {
          if (o.committed === null) continue;
          const r = await ctx.api('browse', { clusterId: ctx.clusterId, topic: REPLAY_TOPIC }, { partition: o.partition, seek: { mode: 'offset', offset: o.committed }, limit: 5000 });
          read += r.messages.length;
        }
        const size = await logSize(ctx);
        return { done: committedAll(os) && read === size, observed: `Read from the committed offsets: ${read} of the ${size} message(s) in ${REPLAY_TOPIC}.` };
      },
    },
  ],
};
