// Distributed: a 6-partition topic with 3 replicas spread over the 3 nodes. The replica map
// (the cluster-state API) shows every node leading some of its partitions, and writes sent to
// every partition land on all three nodes as leaders, each counted from the partitions' end
// offsets.
import type { ClusterState } from '../../../../main/contract/index.ts';
import type { LearnContext, Scenario } from '../scenario.ts';
import { produceEach, replicaRows, topicReady } from './common.ts';

export const DISTRIBUTED_TOPIC = 'learn.distributed';
const PARTITIONS = 6;
const PER_PARTITION = 5;
const CLUSTER = '/cluster';
const TARGET = `replica-topic:${DISTRIBUTED_TOPIC}`;

const running = (s: ClusterState) => s.nodes.filter((n) => n.state === 'running').map((n) => n.id);

/** Each running node with the partitions of the topic it leads. */
async function leadersByNode(ctx: LearnContext): Promise<{ node: number; leads: number[] }[]> {
  const s = await ctx.api('clusterState', { clusterId: ctx.clusterId });
  const rs = replicaRows(s, DISTRIBUTED_TOPIC);
  return running(s).map((node) => ({ node, leads: rs.filter((r) => r.leader === node).map((r) => r.partition) }));
}

export const distributed: Scenario = {
  id: 'distributed',
  title: 'Distributed: partitions over three nodes',
  concept: 'A topic’s partitions are spread over the nodes, each led by one node, so reads and writes of one topic are shared by the whole cluster.',
  creates: { topics: [DISTRIBUTED_TOPIC], groups: [] },
  steps: [
    {
      id: 'create-topic',
      title: 'Create a topic with 6 partitions',
      text: `Click “Create topic”, name it ${DISTRIBUTED_TOPIC}, give it 6 partitions and a replication factor of 3, or let the app do it. The controller places the replicas of each partition on different nodes and picks a leader for each.`,
      target: { screen: '/topics', name: 'create-topic' },
      action: {
        label: `Create ${DISTRIBUTED_TOPIC}`,
        run: async (ctx) => {
          await ctx.api('createTopic', { clusterId: ctx.clusterId }, { name: DISTRIBUTED_TOPIC, partitions: PARTITIONS, replicationFactor: 3 });
        },
      },
      check: (ctx) => topicReady(ctx, DISTRIBUTED_TOPIC, PARTITIONS),
    },
    {
      id: 'leaders-spread',
      title: 'Every node leads some partitions',
      text: `Find ${DISTRIBUTED_TOPIC} in the replica map on the Cluster screen. L marks the leader of each partition, and the leaders are spread so that each of the 3 nodes leads some of the 6 partitions.`,
      target: { screen: CLUSTER, name: TARGET },
      action: null,
      check: async (ctx) => {
        const by = await leadersByNode(ctx);
        const led = by.reduce((n, b) => n + b.leads.length, 0);
        if (led < PARTITIONS) return { done: false, observed: `${led} of the ${PARTITIONS} partitions of ${DISTRIBUTED_TOPIC} have a leader on a running node.` };
        return {
          done: by.length >= 3 && by.every((b) => b.leads.length >= 1),
          observed: by.map((b) => `node ${b.node} leads ${b.leads.length ? `partition(s) ${b.leads.join(', ')}` : 'none'}`).join(' · ') + '.',
        };
      },
    },
    {
      id: 'writes-spread',
      title: 'Writes go to every node',
      text: `Send ${PER_PARTITION} messages to each partition, or let the app send them. A write goes to the leader of its partition, so the writes to this one topic are taken by all 3 nodes. The “Partitions” tab shows where each partition ends now.`,
      target: { screen: `/topics/${encodeURIComponent(DISTRIBUTED_TOPIC)}?tab=partitions`, name: 'topic-tab:partitions' },
      action: {
        label: `Send ${PER_PARTITION} messages to each partition`,
        run: async (ctx) => {
          const records = [];
          for (let p = 0; p < PARTITIONS; p++) for (let i = 1; i <= PER_PARTITION; i++) records.push({ key: null, value: `to partition ${p}, #${i}`, partition: p });
          await produceEach(ctx, DISTRIBUTED_TOPIC, records);
        },
      },
      check: async (ctx) => {
        const detail = await ctx.api('topicDetail', { clusterId: ctx.clusterId, topic: DISTRIBUTED_TOPIC });
        const by = await leadersByNode(ctx);
        const size = (p: number) => {
          const x = detail.partitions.find((d) => d.partition === p);
          return (x?.endOffset ?? 0) - (x?.startOffset ?? 0);
        };
        const perNode = by.map((b) => ({ node: b.node, writes: b.leads.reduce((n, p) => n + size(p), 0) }));
        const full = detail.partitions.every((d) => size(d.partition) >= PER_PARTITION);
        return {
          done: full && perNode.length >= 3 && perNode.every((n) => n.writes > 0),
          observed: perNode.map((n) => `node ${n.node} leads partitions holding ${n.writes} messages`).join(' · ') + '.',
        };
      },
    },
  ],
};
