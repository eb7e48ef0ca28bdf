// Durability trade-offs with the producer lab: three producers, acks=0, acks=1 and acks=all, each
// on its own topic with 3 replicas and min.insync.replicas=2, write through a kill -9 of the
// leader of learn.durability.all-0; after the stop the lab reads every topic back and counts the
// acknowledged records that are really there (acks=all: lost 0; acks=0 and acks=1 may lose
// what only the dead leader had). Then, with the node still down, min.insync.replicas=3 makes
// the broker refuse acks=all writes with NOT_ENOUGH_REPLICAS while acks=1 writes still land;
// the restart brings the ISR back to 3. Kills and restarts are the Cluster screen's node actions
// (the supervisor's), every number is the lab's counters or its read-back, or the metadata.
import type { ClusterState } from '../../../../main/contract/index.ts';
import type { LearnContext, Scenario } from '../scenario.ts';
import { deadNodes, replicaRows, restartNodes, topicReady } from './common.ts';
import { counts, labLive, labStats, producer, runOf, startLab, stopLab } from './producer-lab-steps.ts';

const ZERO = 'learn.durability.acks0';
const ONE = 'learn.durability.acks1';
const ALL = 'learn.durability.all';
const TOPICS = [ZERO, ONE, ALL];
const LABELS = ['acks=0', 'acks=1', 'acks=all'];
/** The second run, on learn.durability.all only. */
const STRICT = ['acks=all, min ISR 3', 'acks=1, min ISR 3'];
const WORKLOADS = '/workloads';
const CLUSTER = '/cluster';
const allConfigs = `/topics/${encodeURIComponent(ALL)}?tab=configs`;

const state = (ctx: LearnContext) => ctx.api('clusterState', { clusterId: ctx.clusterId });
const rows = (s: ClusterState) => TOPICS.flatMap((t) => replicaRows(s, t));
const list = (ids: number[]) => `[${ids.join(', ')}]`;

export const durability: Scenario = {
  id: 'durability',
  title: 'Durability trade-offs: acks and min.insync.replicas',
  concept:
    'acks says how many replicas must have a write before the producer hears "done"; min.insync.replicas says how few the broker accepts for acks=all.',
  creates: { topics: TOPICS, groups: [] },
  steps: [
    {
      id: 'topics',
      title: 'Three topics, 3 replicas each',
      text: `Create ${ZERO}, ${ONE} and ${ALL}, each with 3 partitions, replication factor 3 and min.insync.replicas=2. Click “Create topic” on the Topics screen, or let the app create them.`,
      target: { screen: '/topics', name: 'create-topic' },
      action: {
        label: 'Create the three topics',
        run: async (ctx) => {
          const existing = new Set(
            (await ctx.api('listTopics', { clusterId: ctx.clusterId })).topics.map((t) => t.name),
          );
          for (const name of TOPICS)
            if (!existing.has(name))
              await ctx.api(
                'createTopic',
                { clusterId: ctx.clusterId },
                { name, partitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
              );
        },
      },
      check: async (ctx) => {
        for (const t of TOPICS) {
          const r = await topicReady(ctx, t, 3);
          if (!r.done) return r;
        }
        const bad = rows(await state(ctx)).filter((p) => p.replicas.length !== 3 || p.minInsyncReplicas !== 2);
        if (bad.length)
          return {
            done: false,
            observed: `${bad[0].topic}-${bad[0].partition} has ${bad[0].replicas.length} replicas and min.insync.replicas ${bad[0].minInsyncReplicas}; this scenario needs 3 and 2.`,
          };
        return { done: true, observed: `${TOPICS.join(', ')}: 3 partitions each, 3 replicas, min.insync.replicas=2.` };
      },
    },
    {
      id: 'write',
      title: 'Write with acks=0, acks=1 and acks=all',
      text: 'The producer lab runs three producers side by side, 300 records a second each, every record numbered. acks=0 does not wait for any answer, acks=1 waits for the leader, acks=all waits for every in-sync replica. Click “Start producer lab” with “Read back after stop” ticked, or let the app start them.',
      target: { screen: WORKLOADS, name: 'producer-lab-start' },
      action: {
        label: 'Start the three producers',
        run: (ctx) =>
          startLab(ctx, {
            producers: [ZERO, ONE, ALL].map((topic, i) => ({
              label: LABELS[i],
              topic,
              acks: ([0, 1, -1] as const)[i],
              rate: 300,
              recordBytes: 256,
              lingerMs: 5,
            })),
            verify: true,
          }),
      },
      check: async (ctx) => {
        const s = await labStats(ctx);
        const run = runOf(s, LABELS);
        if (!run || s.state !== 'running')
          return {
            done: false,
            observed: `The producer lab is ${s.state}${run ? '' : ' (not with the three acks producers)'}.`,
          };
        const ps = LABELS.map((l) => producer(run, l));
        return { done: ps.every((p) => p.acked >= 300), observed: ps.map(counts).join('; ') + '.' };
      },
    },
    {
      id: 'kill',
      title: 'Kill the leader during the writes',
      text: `Kill -9 the node that leads ${ALL}-0 while the producers write: it dies at once, with whatever it had not copied to a follower yet. Open its row in the nodes table and click “Kill -9”, or let the app do it.`,
      target: { screen: CLUSTER, name: 'node-table' },
      action: {
        label: `Kill the leader of ${ALL}-0`,
        run: async (ctx) => {
          const leader = replicaRows(await state(ctx), ALL)[0]?.leader ?? -1;
          if (leader < 0) throw new Error(`${ALL}-0 has no leader to kill.`);
          await ctx.api('nodeAction', { clusterId: ctx.clusterId, nodeId: String(leader), action: 'kill' }, {});
        },
      },
      check: async (ctx) => {
        const dead = deadNodes(await state(ctx));
        const s = await labStats(ctx);
        if (dead.length === 0) return { done: false, observed: 'Every node is running.' };
        return {
          done: runOf(s, LABELS) !== null && s.state === 'running',
          observed: `Node ${list(dead)} is dead; the producer lab is ${s.state}.`,
        };
      },
    },
    {
      id: 'failover',
      title: 'New leaders, the writes go on',
      text: 'For each partition the dead node led, the controller makes an in-sync follower the leader and drops the dead node from the ISR. The producers find the new leaders; watch “Acknowledged MB/s per producer” dip and recover.',
      target: { screen: WORKLOADS, name: 'producer-lab-charts' },
      action: null,
      check: async (ctx) => {
        const s = await state(ctx);
        const dead = deadNodes(s);
        if (dead.length === 0) return { done: false, observed: 'No node is dead.' };
        const waiting = rows(s).filter(
          (p) => p.leader < 0 || dead.includes(p.leader) || p.isr.some((id) => dead.includes(id)),
        );
        if (waiting.length)
          return {
            done: false,
            observed: `${waiting.length} partition(s) still led by or in sync with node ${list(dead)}.`,
          };
        const lab = await labStats(ctx);
        const run = runOf(lab, LABELS);
        const last = run ? producer(run, 'acks=all').series.at(-1) : undefined;
        return {
          done: last !== undefined && last.ackedPerSec > 0,
          observed: `Every partition has a live leader and an ISR without node ${list(dead)}; acks=all acknowledged ${last?.ackedPerSec ?? 0} records in the last second.`,
        };
      },
    },
    {
      id: 'count',
      title: 'Stop and count what is there',
      text: 'Click “Stop producer lab”: the lab reads the three topics back, as any consumer can, and looks for every acknowledged record by its number. acks=all loses nothing, because each acknowledged record was on 2 replicas; acks=1 and acks=0 may lose what only the dead leader had.',
      target: { screen: WORKLOADS, name: 'producer-lab-results' },
      action: { label: 'Stop and read back', run: stopLab },
      check: async (ctx) => {
        const s = await labStats(ctx);
        const run = runOf(s, LABELS);
        if (!run || labLive(s)) return { done: false, observed: `The producer lab is ${s.state}.` };
        const ps = LABELS.map((l) => producer(run, l));
        if (ps.some((p) => p.verify === null))
          return { done: false, observed: `Stopped without a read-back${s.lastError ? ` (${s.lastError})` : ''}.` };
        const all = producer(run, 'acks=all');
        return {
          done: all.verify?.lost === 0 && all.acked > 0,
          observed:
            ps
              .map(
                (p) => `${p.settings.label}: ${p.acked} acknowledged, ${p.verify?.found} found, lost ${p.verify?.lost}`,
              )
              .join('; ') + '.',
        };
      },
    },
    {
      id: 'min-isr',
      title: 'Ask for 3 in-sync replicas',
      text: `With the node still down, every partition has only 2 in-sync replicas. Set min.insync.replicas=3 on ${ALL} in its “Configs” tab, or let the app do it.`,
      target: { screen: allConfigs, name: 'topic-tab:configs' },
      action: {
        label: 'Set min.insync.replicas=3',
        run: (ctx) =>
          ctx
            .api('alterTopicConfigs', { clusterId: ctx.clusterId, topic: ALL }, { set: { 'min.insync.replicas': '3' } })
            .then(() => undefined),
      },
      check: async (ctx) => {
        const ps = replicaRows(await state(ctx), ALL);
        const done = ps.length === 3 && ps.every((p) => p.minInsyncReplicas === 3 && p.isr.length < 3);
        return {
          done,
          observed:
            ps
              .map((p) => `${ALL}-${p.partition}: ISR ${list(p.isr)}, min.insync.replicas ${p.minInsyncReplicas}`)
              .join('; ') + '.',
        };
      },
    },
    {
      id: 'refused',
      title: 'acks=all is refused, acks=1 still writes',
      text: `Run two producers on ${ALL} for 6 seconds, one with acks=all and one with acks=1. The leader refuses every acks=all write with NOT_ENOUGH_REPLICAS rather than accept it on fewer replicas than asked, while acks=1 does not care about the ISR.`,
      target: { screen: WORKLOADS, name: 'producer-lab-results' },
      action: {
        label: 'Run acks=all and acks=1 for 6 s',
        run: (ctx) =>
          startLab(ctx, {
            producers: [
              { label: STRICT[0], topic: ALL, acks: -1, rate: 100, recordBytes: 256 },
              { label: STRICT[1], topic: ALL, acks: 1, rate: 100, recordBytes: 256 },
            ],
            durationMs: 6000,
            verify: true,
          }),
      },
      check: async (ctx) => {
        const s = await labStats(ctx);
        const run = runOf(s, STRICT);
        if (!run || labLive(s))
          return {
            done: false,
            observed: `The producer lab is ${s.state}${run ? '' : ' (not with the min ISR 3 producers)'}.`,
          };
        const [all, one] = STRICT.map((l) => producer(run, l));
        return {
          done: all.acked === 0 && (all.errors.NOT_ENOUGH_REPLICAS ?? 0) > 0 && one.acked > 0 && one.verify?.lost === 0,
          observed: `${counts(all)}; ${counts(one)}, lost ${one.verify?.lost ?? '—'}.`,
        };
      },
    },
    {
      id: 'restart',
      title: 'Bring the node back',
      text: 'Restart the dead node from the nodes table with “Restart”, or let the app do it. It copies what it missed from the leaders and rejoins every ISR, so acks=all writes to min.insync.replicas=3 are accepted again.',
      target: { screen: CLUSTER, name: 'node-table' },
      action: {
        label: 'Restart the dead node',
        run: async (ctx) => restartNodes(ctx, deadNodes(await state(ctx))),
      },
      check: async (ctx) => {
        const s = await state(ctx);
        const dead = deadNodes(s);
        const short = rows(s).filter((p) => p.isr.length < 3);
        return {
          done: dead.length === 0 && short.length === 0,
          observed: dead.length
            ? `Node ${list(dead)} is dead.`
            : `Every node runs; ${short.length} partition(s) of the three topics with fewer than 3 in sync.`,
        };
      },
    },
  ],
  cleanup: async (ctx) => {
    if (labLive(await labStats(ctx))) await stopLab(ctx);
    await restartNodes(ctx, deadNodes(await state(ctx)));
  },
};
