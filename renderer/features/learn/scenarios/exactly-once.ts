// Exactly once: the exactly-once copier workload (main/server/workloads/exactly-once.ts) reads
// demo.eos-input and, in one transaction per batch, writes each input to demo.eos-output and
// commits its group's offsets. A node that leads an output partition is killed with kill -9
// while it copies, restarted, and the workload stopped; the last check reads both topics from
// the run's start: read_committed, the output holds each input of the run exactly once (by the
// input's partition and offset it carries), none missing, none twice; read_uncommitted may also
// show copies from aborted transactions. The demo.* topics and the group are the workload's own
// (reset stops it, restarts what it killed and deletes nothing).
// Deviation (a client limit, decision 0029): the kill picks a leader of an output partition that
// coordinates neither the copier's group nor its transactional id, both found as Kafka finds them
// (the leader of the __consumer_offsets partition abs(hash(group)) % partitions; the coordinator
// DescribeTransactions names). @platformatic/kafka 1.35.0 crashes the process that runs it when
// the group coordinator it cached disappears from the metadata. When every leader of the output
// is one of those, the app first makes another in-sync replica lead partition 0 (the same
// replicas reordered, then a preferred leader election), then kills it.
import type { LearnContext, Observation, Scenario } from '../scenario.ts';
import { deadNodes, restartNodes } from './common.ts';
import { readSince, running, startWorkload, stopWorkload, workloadStats, type DemoRecord } from './workload-steps.ts';

export const EOS_INPUT = 'demo.eos-input';
export const EOS_OUTPUT = 'demo.eos-output';
export const EOS_GROUP = 'demo.exactly-once.copier';
const RATE = 20;
const OFFSETS_TOPIC = '__consumer_offsets';
/** The copier's transactional.id (the workload names it as its group). */
const TRANSACTIONAL_ID = EOS_GROUP;

const state = (ctx: LearnContext) => ctx.api('clusterState', { clusterId: ctx.clusterId });
const group = (ctx: LearnContext) => ctx.api('groupDetail', { clusterId: ctx.clusterId, groupId: EOS_GROUP });
const inputLag = (os: { topic: string; lag: number | null }[]) => os.filter((o) => o.topic === EOS_INPUT).reduce((n, o) => n + (o.lag ?? 0), 0);

/** Java's String.hashCode, then Kafka's Utils.abs(h) % n: the group's __consumer_offsets partition. */
export function offsetsPartitionOf(groupId: string, partitions: number): number {
  let h = 0;
  for (let i = 0; i < groupId.length; i++) h = (Math.imul(h, 31) + groupId.charCodeAt(i)) | 0;
  return (h === -2147483648 ? 0 : Math.abs(h)) % partitions;
}

/** The nodes the kill must spare, and the leaders of the output partitions. */
async function roles(ctx: LearnContext) {
  const s = await state(ctx);
  const offsets = s.partitions.filter((p) => p.topic === OFFSETS_TOPIC);
  const groupCoordinator = offsets.find((p) => p.partition === offsetsPartitionOf(EOS_GROUP, offsets.length))?.leader ?? -1;
  const txns = await ctx.api('listTransactions', { clusterId: ctx.clusterId });
  const txnCoordinator = txns.transactions.find((t) => t.transactionalId === TRANSACTIONAL_ID)?.coordinator ?? -1;
  const outLeaders = s.partitions.filter((p) => p.topic === EOS_OUTPUT).sort((a, b) => a.partition - b.partition);
  return { s, groupCoordinator, txnCoordinator, outLeaders };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Makes `node` (an in-sync replica) the leader of `topic`-`partition`: the same replicas with it first (no data moves), then a preferred leader election; waits up to 15 s. */
export async function makeLeader(ctx: LearnContext, topic: string, partition: number, node: number): Promise<void> {
  const { clusterId } = ctx;
  const row = (await state(ctx)).partitions.find((p) => p.topic === topic && p.partition === partition);
  if (!row || !row.isr.includes(node)) throw new Error(`Node ${node} is not an in-sync replica of ${topic}-${partition}.`);
  if (row.leader === node) return;
  await ctx.api('reassign', { clusterId }, { partitions: [{ topic, partition, replicas: [node, ...row.replicas.filter((r) => r !== node)] }] });
  await ctx.api('electLeaders', { clusterId }, { type: 'preferred', partitions: [{ topic, partition }] });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const now = (await state(ctx)).partitions.find((p) => p.topic === topic && p.partition === partition);
    if (now?.leader === node) return;
    if (Date.now() > deadline) throw new Error(`Node ${node} did not become the leader of ${topic}-${partition} (leader ${now?.leader ?? 'unknown'}).`);
    await sleep(250);
  }
}

/** A leader of the output that coordinates neither the group nor the transaction; when every leader does, one is made (makeLeader). */
async function leaderToKill(ctx: LearnContext): Promise<number> {
  const { groupCoordinator, txnCoordinator, outLeaders } = await roles(ctx);
  const spareable = (n: number) => n >= 0 && n !== groupCoordinator && n !== txnCoordinator;
  const leader = outLeaders.map((p) => p.leader).find(spareable);
  if (leader !== undefined) return leader;
  const p0 = outLeaders[0];
  const spare = p0?.isr.find(spareable);
  if (!p0 || spare === undefined) throw new Error(`No in-sync replica of ${EOS_OUTPUT}-0 (ISR ${p0?.isr.join(', ') ?? 'none'}) is free of the group's coordinator (node ${groupCoordinator}) and the transaction's (node ${txnCoordinator}).`);
  await makeLeader(ctx, EOS_OUTPUT, 0, spare);
  return spare;
}

/** Each input of the run (by partition:offset) against the committed copies that name it. */
async function countCopies(ctx: LearnContext, since: number): Promise<Observation> {
  const inputs = await readSince(ctx, EOS_INPUT, since);
  const committed = await readSince(ctx, EOS_OUTPUT, since, null, 'read_committed');
  const all = await readSince(ctx, EOS_OUTPUT, since);
  const copies = new Map(inputs.map((r) => [`${r.partition}:${r.offset}`, [] as DemoRecord[]]));
  const from = (r: DemoRecord) => (typeof r.value?.from === 'string' ? r.value.from : '');
  for (const r of committed) copies.get(from(r))?.push(r);
  const missing = [...copies.values()].filter((cs) => cs.length === 0).length;
  const repeated = [...copies].filter(([, cs]) => cs.length > 1);
  const twice = repeated.length;
  const where = repeated.slice(0, 3).map(([input, cs]) => ` Input ${input} is at ${cs.map((c) => `${c.partition}:${c.offset}`).join(' and ')}.`).join('');
  const ofRun = all.filter((r) => copies.has(from(r))).length;
  const aborted = ofRun - committed.filter((r) => copies.has(from(r))).length;
  return {
    done: inputs.length > 0 && missing === 0 && twice === 0,
    observed: `${inputs.length} inputs in ${EOS_INPUT} since the start; read_committed, ${EOS_OUTPUT} has ${committed.length} copies: ${missing} missing, ${twice} copied more than once. read_uncommitted also shows ${aborted} copies from aborted transactions.${where}`,
  };
}

export const exactlyOnce: Scenario = {
  id: 'exactly-once',
  title: 'Exactly once through a kill',
  concept: 'A transaction writes a consumer’s results and commits its offsets together, so after a crash each input is in the output exactly once for a read_committed reader.',
  creates: { topics: [], groups: [] },
  steps: [
    {
      id: 'start',
      title: 'Start the copier',
      text: `Start the exactly-once copier on the “Workloads” screen, or let the app start it. It writes numbered inputs to ${EOS_INPUT}, and its group ${EOS_GROUP} copies each one to ${EOS_OUTPUT}. Per batch, one transaction holds both the copies and the group's new offsets.`,
      target: { screen: '/workloads', name: 'workload-start:exactly-once' },
      action: { label: `Start it at ${RATE} msg/s`, run: (ctx) => startWorkload(ctx, 'exactly-once', RATE) },
      check: async (ctx) => {
        const r = await running(ctx, 'exactly-once');
        if ('not' in r) return r.not;
        return { done: r.run.consumed > 0, observed: `${r.run.sent} inputs sent, ${r.run.consumed} copied in committed transactions.` };
      },
    },
    {
      id: 'kill',
      title: 'Kill a leader while it copies',
      text: `Kill -9 the node that leads a partition of ${EOS_OUTPUT} from the nodes table, or let the app pick one and kill it. The transaction in flight cannot finish, so the copier aborts it, starts again with the same transactional id and resumes from the committed offsets.`,
      target: { screen: '/cluster', name: 'node-table' },
      action: {
        label: `Kill a leader of ${EOS_OUTPUT}`,
        run: async (ctx) => {
          const victim = await leaderToKill(ctx);
          await ctx.api('nodeAction', { clusterId: ctx.clusterId, nodeId: String(victim), action: 'kill' }, {});
        },
      },
      check: async (ctx) => {
        const s = await state(ctx);
        const gone = deadNodes(s);
        if (gone.length === 0) return { done: false, observed: 'Every node is running.' };
        const moved = s.partitions.filter((p) => p.topic === EOS_OUTPUT).every((p) => p.leader >= 0 && !gone.includes(p.leader));
        return { done: moved, observed: `Node ${gone.join(', ')} is dead; ${EOS_OUTPUT} is led by ${s.partitions.filter((p) => p.topic === EOS_OUTPUT).map((p) => p.leader).join(', ')}.` };
      },
    },
    {
      id: 'recover',
      title: 'The copier goes on',
      text: `The survivors elected new leaders, and the copier writes to them. Watch its summary: an aborted transaction and a new session of the loop, then copies again while the group's lag stays small.`,
      target: { screen: '/workloads', name: 'workload-summary:exactly-once' },
      action: null,
      check: async (ctx) => {
        const s = await state(ctx);
        const w = await workloadStats(ctx, 'exactly-once');
        const g = await group(ctx);
        const lag = inputLag(g.offsets);
        return {
          done: deadNodes(s).length > 0 && w.state === 'running' && g.state === 'STABLE' && lag <= 2 * RATE,
          observed: `${w.summary ?? 'no summary'}; ${EOS_GROUP} is ${g.state}, lag ${lag}.`,
        };
      },
    },
    {
      id: 'restart',
      title: 'Bring the node back',
      text: 'Restart the killed node from its row in the nodes table with “Restart”, or let the app do it. It catches up from the leaders, transaction markers included, and rejoins the ISR.',
      target: { screen: '/cluster', name: 'node-table' },
      action: { label: 'Restart the killed node', run: async (ctx) => restartNodes(ctx, deadNodes(await state(ctx))) },
      check: async (ctx) => {
        const s = await state(ctx);
        const out = s.partitions.filter((p) => p.topic === EOS_OUTPUT);
        const full = out.filter((p) => p.isr.length === p.replicas.length).length;
        return { done: deadNodes(s).length === 0 && out.length > 0 && full === out.length, observed: `${deadNodes(s).length} node(s) dead; ${full} of ${out.length} partitions of ${EOS_OUTPUT} have every replica in sync.` };
      },
    },
    {
      id: 'stop',
      title: 'Stop and count',
      text: `Stop the copier on the “Workloads” screen, or let the app stop it; it copies what is left first. Then every input of this run is counted against the copies in ${EOS_OUTPUT}, read as a read_committed consumer reads it.`,
      target: { screen: '/workloads', name: 'workload-stop:exactly-once' },
      action: { label: 'Stop the copier', run: (ctx) => stopWorkload(ctx, 'exactly-once') },
      check: async (ctx) => {
        const w = await workloadStats(ctx, 'exactly-once');
        if (w.state !== 'stopped' || w.startedAt === null) return { done: false, observed: `The copier is ${w.state}.` };
        const g = await group(ctx);
        const lag = inputLag(g.offsets);
        if (lag > 0) return { done: false, observed: `The copier stopped with lag ${lag}.` };
        return countCopies(ctx, w.startedAt);
      },
    },
  ],
  cleanup: async (ctx) => {
    await stopWorkload(ctx, 'exactly-once');
    await restartNodes(ctx, deadNodes(await state(ctx)));
  },
};
