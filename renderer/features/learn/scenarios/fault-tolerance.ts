// Fault tolerance, told with the Cluster screen's failover demo: acks=all writes to a topic with
// 3 replicas, a kill -9 of the leader of partition 0, the ISR shrinking to the two survivors, a
// new leader, acknowledgements resuming, and nothing acknowledged lost. The kills are real
// (the supervisor's kill -9) and every number comes from the demo's counters or the metadata.
import { DEMO_TOPICS, type ClusterState, type FailoverDemoStats } from '../../../../main/contract/index.ts';
import type { LearnContext, Scenario } from '../scenario.ts';
import { restartNodes } from './common.ts';

const TOPIC = DEMO_TOPICS.safe;
const CLUSTER = '/cluster';
const ROW0 = `replica-row:${TOPIC}-0`;

const stats = (ctx: LearnContext) => ctx.api('failoverDemoStats', { clusterId: ctx.clusterId });
const state = (ctx: LearnContext) => ctx.api('clusterState', { clusterId: ctx.clusterId });
const partition = (s: ClusterState, p: number) => s.partitions.find((r) => r.topic === TOPIC && r.partition === p);
const victimOf = (s: FailoverDemoStats) => s.kills.at(-1)?.nodeId ?? null;
const nodeState = (s: ClusterState, id: number) => s.nodes.find((n) => n.id === id)?.state ?? 'unknown';
const list = (ids: number[]) => `[${ids.join(', ')}]`;

export const faultTolerance: Scenario = {
  id: 'fault-tolerance',
  title: 'Fault tolerance: kill the leader',
  concept: 'Every partition is copied to several nodes; when the leader dies, an in-sync follower takes over and no acknowledged write is lost.',
  // The demo's topic is the demo's, not this scenario's: reset stops the demo and restarts the node it killed, and deletes nothing.
  creates: { topics: [], groups: [] },
  steps: [
    {
      id: 'start-writes',
      title: 'Start writing with acks=all',
      text: `The failover demo writes numbered values to ${TOPIC}, a topic whose 3 partitions each have 3 replicas, and reads them back. Its producer uses acks=all with min.insync.replicas=2, so a write is acknowledged only once 2 in-sync replicas have it. Click “Start failover demo” in the safe mode, or let the app start it.`,
      target: { screen: CLUSTER, name: 'failover-demo-start' },
      action: {
        label: 'Start the demo (safe mode)',
        run: async (ctx) => {
          await ctx.api('failoverDemoStart', { clusterId: ctx.clusterId }, { mode: 'safe' });
        },
      },
      check: async (ctx) => {
        const s = await stats(ctx);
        if (s.state !== 'running' || s.mode !== 'safe') return { done: false, observed: `The demo is ${s.state}${s.mode ? ` (${s.mode} mode)` : ''}.` };
        return { done: s.acknowledged >= 30 && s.consumed > 0, observed: `Running: ${s.acknowledged} values acknowledged, ${s.consumed} read back.` };
      },
    },
    {
      id: 'three-in-sync',
      title: 'Three replicas in sync',
      text: `Find ${TOPIC}-0 in the replica map: L marks the node that leads the partition, and a dot marks a follower in sync. The leader takes every write and the followers copy it; together they form the ISR, the in-sync replicas.`,
      target: { screen: CLUSTER, name: ROW0 },
      action: null,
      check: async (ctx) => {
        const p = partition(await state(ctx), 0);
        if (!p) return { done: false, observed: `${TOPIC}-0 is not in the metadata yet.` };
        return { done: p.leader >= 0 && p.isr.length === 3, observed: `${TOPIC}-0: leader node ${p.leader}, ISR ${list(p.isr)}.` };
      },
    },
    {
      id: 'kill-leader',
      title: 'Kill the leader',
      text: 'Now kill -9 the leader of partition 0 while the writes go on: the process dies at once, with no clean shutdown. Click “Kill the leader of partition 0”, or let the app do it.',
      target: { screen: CLUSTER, name: 'failover-demo-kill' },
      action: {
        label: 'Kill the leader of partition 0',
        run: async (ctx) => {
          await ctx.api('failoverDemoKillLeader', { clusterId: ctx.clusterId }, {});
        },
      },
      check: async (ctx) => {
        const victim = victimOf(await stats(ctx));
        if (victim === null) return { done: false, observed: 'No node killed by the demo yet.' };
        const st = nodeState(await state(ctx), victim);
        return { done: st === 'dead', observed: `Node ${victim} was killed; its process is ${st}.` };
      },
    },
    {
      id: 'new-leader',
      title: 'The ISR shrinks, a new leader takes over',
      text: `The controller notices the dead node, removes it from the ISR and makes one of the surviving in-sync followers the new leader. Watch the row of ${TOPIC}-0 in the replica map change.`,
      target: { screen: CLUSTER, name: ROW0 },
      action: null,
      check: async (ctx) => {
        const victim = victimOf(await stats(ctx));
        const p = partition(await state(ctx), 0);
        if (victim === null || !p) return { done: false, observed: 'Waiting for the kill and the metadata.' };
        const done = p.leader >= 0 && p.leader !== victim && !p.isr.includes(victim);
        return {
          done,
          observed: done
            ? `${TOPIC}-0: node ${p.leader} leads now, ISR ${list(p.isr)} without node ${victim} (min.insync.replicas ${p.minInsyncReplicas}).`
            : `${TOPIC}-0: leader ${p.leader === -1 ? 'none' : `node ${p.leader}`}, ISR ${list(p.isr)}; waiting for node ${victim} to leave.`,
        };
      },
    },
    {
      id: 'nothing-lost',
      title: 'Writes go on, nothing is lost',
      text: 'The producer retries the writes that were not acknowledged and finds the new leader by itself. Watch the counters: Acknowledged keeps rising, and Lost counts acknowledged values the consumer never read, so it must stay 0.',
      target: { screen: CLUSTER, name: 'failover-demo-counters' },
      action: null,
      check: async (ctx) => {
        const s = await stats(ctx);
        const kill = s.kills.at(-1);
        if (!kill) return { done: false, observed: 'No kill yet.' };
        if (kill.ackAfterMs === null) return { done: false, observed: `No acknowledgement since the kill of node ${kill.nodeId} yet (lost ${s.lost}).` };
        return {
          done: s.state === 'running' && s.lost === 0,
          observed: `First acknowledgement ${kill.ackAfterMs} ms after the kill; ${s.acknowledged} acknowledged, lost ${s.lost}.`,
        };
      },
    },
    {
      id: 'bring-back',
      title: 'Bring the node back',
      text: 'Restart the killed node from its row in the nodes table with “Restart”, or let the app do it. It truncates its log to what the new leader has, copies what it missed, and rejoins the ISR as a follower.',
      target: { screen: CLUSTER, name: 'node-table' },
      action: {
        label: 'Restart the killed node',
        run: async (ctx) => {
          const victim = victimOf(await stats(ctx));
          if (victim === null) throw new Error('The demo has not killed a node yet.');
          await ctx.api('nodeAction', { clusterId: ctx.clusterId, nodeId: String(victim), action: 'restart' }, {});
        },
      },
      check: async (ctx) => {
        const victim = victimOf(await stats(ctx));
        if (victim === null) return { done: false, observed: 'No node killed yet.' };
        const s = await state(ctx);
        const parts = [0, 1, 2].map((p) => partition(s, p));
        const back = parts.filter((p) => p?.isr.includes(victim)).length;
        return {
          done: nodeState(s, victim) === 'running' && back === 3,
          observed: `Node ${victim} is ${nodeState(s, victim)}, in the ISR of ${back} of 3 partitions of ${TOPIC}.`,
        };
      },
    },
    {
      id: 'final-count',
      title: 'Stop and count',
      text: 'Click “Stop demo”: the producer stops and the consumer reads to the end. With acks=all and min.insync.replicas=2 every acknowledged value was on two replicas before the kill, so all of them are read back.',
      target: { screen: CLUSTER, name: 'failover-demo-stop' },
      action: {
        label: 'Stop the demo',
        run: async (ctx) => {
          await ctx.api('failoverDemoStop', { clusterId: ctx.clusterId }, {});
        },
      },
      check: async (ctx) => {
        const s = await stats(ctx);
        const observed = `The demo is ${s.state}: ${s.acknowledged} acknowledged, ${s.consumed} read back, lost ${s.lost}, duplicates ${s.duplicates}.`;
        return { done: s.state === 'stopped' && s.lost === 0 && s.duplicates === 0 && s.consumed >= s.acknowledged, observed };
      },
    },
  ],
  cleanup: async (ctx) => {
    const s = await stats(ctx);
    if (s.state === 'starting' || s.state === 'running' || s.state === 'stopping') await ctx.api('failoverDemoStop', { clusterId: ctx.clusterId }, {});
    const cluster = await state(ctx);
    const restarted = [...new Set(s.kills.map((k) => k.nodeId))].filter((id) => nodeState(cluster, id) === 'dead');
    // Reset is over when the restarted nodes are live brokers again, so a topic with 3 replicas can be created right after it.
    await restartNodes(ctx, restarted);
  },
};
