// Scalability: the bundled cluster grows by one node (the supervisor starts it as an observer of
// the metadata quorum, a broker that hosts no partition yet), a learn.* topic's partitions are
// reassigned onto it (AlterPartitionReassignments: the new node first, then the current leader),
// and a preferred leader election makes it lead them. Every check reads the replica map (the
// cluster-state API). Reset removes every added node (observers, the only nodes the supervisor
// can remove; this is the one scenario that adds any, so a node the user added by hand goes too),
// the supervisor's decommission moving their replicas back onto the voters first, and waits
// until the cluster is its 3 voters again, each a live broker.
import type { ClusterNode, ClusterState } from '../../../../main/contract/index.ts';
import type { LearnContext, Scenario } from '../scenario.ts';
import { replicaRows, topicReady } from './common.ts';

export const SCALABILITY_TOPIC = 'learn.scalability';
const PARTITIONS = 3;
const CLUSTER = '/cluster';
const TARGET = `replica-topic:${SCALABILITY_TOPIC}`;
/** How long reset waits for the cluster to be its 3 live voters again. */
const SHRINK_MS = 60_000;

const state = (ctx: LearnContext) => ctx.api('clusterState', { clusterId: ctx.clusterId });
const added = (s: ClusterState): ClusterNode[] => s.nodes.filter((n) => n.role === 'observer');
/** The newest added node that is a live broker (running, registered, unfenced); null when there is none. */
const newNode = (s: ClusterState) => added(s).filter((n) => n.state === 'running' && n.fenced === false).sort((a, b) => b.id - a.id)[0]?.id ?? null;
const liveBrokers = (s: ClusterState) => s.nodes.filter((n) => n.state === 'running' && n.fenced === false).map((n) => n.id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The new node and the topic's rows; throws (a check not done yet) until both are there. */
async function newNodeAndRows(ctx: LearnContext) {
  const s = await state(ctx);
  const node = newNode(s);
  if (node === null) throw new Error('No added node is a live broker yet.');
  return { node, rows: replicaRows(s, SCALABILITY_TOPIC) };
}

export const scalability: Scenario = {
  id: 'scalability',
  title: 'Scalability: add a node',
  concept: 'A cluster grows by adding brokers; reassigning partitions onto a new broker moves their data and their load there while clients keep working.',
  creates: { topics: [SCALABILITY_TOPIC], groups: [] },
  steps: [
    {
      id: 'create-topic',
      title: 'Create a topic on the 3 nodes',
      text: `Click “Create topic”, name it ${SCALABILITY_TOPIC}, give it 3 partitions and a replication factor of 2, or let the app do it. The controller places each partition's 2 replicas on the 3 nodes the cluster has now.`,
      target: { screen: '/topics', name: 'create-topic' },
      action: {
        label: `Create ${SCALABILITY_TOPIC}`,
        run: async (ctx) => {
          await ctx.api('createTopic', { clusterId: ctx.clusterId }, { name: SCALABILITY_TOPIC, partitions: PARTITIONS, replicationFactor: 2 });
        },
      },
      check: (ctx) => topicReady(ctx, SCALABILITY_TOPIC, PARTITIONS),
    },
    {
      id: 'add-node',
      title: 'Add a fourth node',
      text: 'Click “Add node” on the Cluster screen, or let the app do it. The new broker registers with the controller and follows the metadata log as an observer, not a voter of the quorum. It hosts no partition yet: existing partitions stay where they are until they are reassigned.',
      target: { screen: CLUSTER, name: 'add-node' },
      action: {
        label: 'Add a node',
        run: async (ctx) => {
          await ctx.api('addNode', { clusterId: ctx.clusterId }, {});
        },
      },
      check: async (ctx) => {
        const s = await state(ctx);
        const node = newNode(s);
        if (node === null) return { done: false, observed: `Live brokers: ${liveBrokers(s).join(', ')}; no added node yet.` };
        const hosts = replicaRows(s, SCALABILITY_TOPIC).filter((r) => r.replicas.includes(node)).length;
        return { done: true, observed: `Node ${node} is a live broker (an observer); it hosts ${hosts} partition(s) of ${SCALABILITY_TOPIC}.` };
      },
    },
    {
      id: 'reassign',
      title: 'Reassign the partitions onto it',
      text: `Use “Reassign to…” on each row of ${SCALABILITY_TOPIC} in the replica map to give it the new node first and its current leader second, or let the app reassign all 3. The new replica copies the log from the leader and joins the ISR, then the replica left out drops its copy.`,
      target: { screen: CLUSTER, name: TARGET },
      action: {
        label: 'Reassign the 3 partitions onto the new node',
        run: async (ctx) => {
          const { node, rows } = await newNodeAndRows(ctx);
          const partitions = rows.map((r) => ({ topic: r.topic, partition: r.partition, replicas: [node, r.leader] }));
          await ctx.api('reassign', { clusterId: ctx.clusterId }, { partitions });
        },
      },
      check: async (ctx) => {
        const { node, rows } = await newNodeAndRows(ctx);
        const moved = rows.filter((r) => r.replicas.includes(node) && r.isr.includes(node) && r.adding.length === 0 && r.removing.length === 0);
        return {
          done: rows.length === PARTITIONS && moved.length === PARTITIONS,
          observed: `Node ${node} holds an in-sync replica of ${moved.length} of ${rows.length} partitions: ${rows.map((r) => `${r.partition} → [${r.replicas.join(', ')}]`).join(', ')}.`,
        };
      },
    },
    {
      id: 'new-node-leads',
      title: 'The new node leads',
      text: 'The first replica of a partition is its preferred leader, and the new node is first in each row now. Click the preferred leader button of each row, or let the app run a preferred leader election. The L marks move to the new node, which takes the writes of those partitions from then on.',
      target: { screen: CLUSTER, name: TARGET },
      action: {
        label: 'Elect the preferred leaders',
        run: async (ctx) => {
          const { rows } = await newNodeAndRows(ctx);
          await ctx.api('electLeaders', { clusterId: ctx.clusterId }, { partitions: rows.map((r) => ({ topic: r.topic, partition: r.partition })) });
        },
      },
      check: async (ctx) => {
        const { node, rows } = await newNodeAndRows(ctx);
        const led = rows.filter((r) => r.leader === node).map((r) => r.partition);
        return {
          done: rows.length === PARTITIONS && led.length === PARTITIONS,
          observed: `Node ${node} leads ${led.length ? `partition(s) ${led.join(', ')}` : 'no partition'} of ${SCALABILITY_TOPIC}; leaders ${rows.map((r) => r.leader).join(', ')}.`,
        };
      },
    },
  ],
  cleanup: async (ctx) => {
    for (const n of added(await state(ctx))) await ctx.api('removeNode', { clusterId: ctx.clusterId, nodeId: String(n.id) });
    // Reset is over when the cluster is its 3 voters again, each a live broker, so the next
    // scenario finds the cluster it expects; bounded, as the added node's replicas move first.
    const deadline = Date.now() + SHRINK_MS;
    for (;;) {
      const s = await state(ctx);
      if (added(s).length === 0 && liveBrokers(s).length === s.nodes.length) return;
      if (Date.now() > deadline) throw new Error(`the cluster is not back to its voters: live brokers ${liveBrokers(s).join(', ')}`);
      await sleep(250);
    }
  },
};
