// What the use-case scenarios (activity tracking, log aggregation) share about the demo
// workloads: a workload's live stats, starting and stopping it, a step that is done while it
// runs, and its topic read since the run began (every partition paged from the run's start
// time, so messages of earlier runs, which the workload's group already read, do not count).
// A workload writes its own demo.* topic and group (the Workloads screen's, not the scenario's):
// a scenario's reset stops the workload and leaves them.
import type { Isolation, KafkaMessage, MessageFilter, WorkloadName, WorkloadStats } from '../../../../main/contract/index.ts';
import type { LearnContext, Observation, Step } from '../scenario.ts';
import { decodeText } from './common.ts';

/** Most messages a check reads per partition (at 1000 msg/s a long run has more: the check looks at the first ones). */
const READ_CAP = 20_000;
const PAGE = 5000;

export async function workloadStats(ctx: LearnContext, name: WorkloadName): Promise<WorkloadStats> {
  const { workloads } = await ctx.api('listWorkloads', { clusterId: ctx.clusterId });
  const w = workloads.find((x) => x.name === name);
  if (!w) throw new Error(`The console has no ${name} workload.`);
  return w;
}

export const startWorkload = (ctx: LearnContext, name: WorkloadName, rate: number) =>
  ctx.api('workloadStart', { clusterId: ctx.clusterId }, { name, rate }).then(() => undefined);

export const stopWorkload = (ctx: LearnContext, name: WorkloadName) =>
  ctx.api('workloadStop', { clusterId: ctx.clusterId, name }, {}).then(() => undefined);

/** The run when the workload is running (with the time it started), else an observation saying why not. */
export async function running(ctx: LearnContext, name: WorkloadName): Promise<{ run: WorkloadStats & { startedAt: number } } | { not: Observation }> {
  const w = await workloadStats(ctx, name);
  if (w.state !== 'running' || w.startedAt === null) return { not: { done: false, observed: `${w.title} is ${w.state}${w.lastError ? ` (${w.lastError})` : ''}.` } };
  return { run: { ...w, startedAt: w.startedAt } };
}

/** The first step of a workload scenario: start it from the Workloads screen; done once it has sent. */
export function startStep(name: WorkloadName, rate: number, title: string, text: string): Step {
  return {
    id: 'start',
    title,
    text,
    target: { screen: '/workloads', name: `workload-start:${name}` },
    action: { label: `Start it at ${rate} msg/s`, run: (ctx) => startWorkload(ctx, name, rate) },
    check: async (ctx) => {
      const r = await running(ctx, name);
      if ('not' in r) return r.not;
      return { done: r.run.sent > 0, observed: `${r.run.title} is running at ${r.run.rate} msg/s; ${r.run.sent} message(s) sent to ${r.run.topic}.` };
    },
  };
}

/** A demo message as the check reads it: where it is, its key and its JSON value. */
export interface DemoRecord {
  partition: number;
  offset: number;
  /** The record's timestamp, ms (CreateTime: when its producer made it). */
  timestamp: number;
  key: string | null;
  value: Record<string, unknown> | null;
}

const toRecord = (m: KafkaMessage): DemoRecord => {
  let value: unknown = null;
  try {
    value = JSON.parse(decodeText(m.value) ?? 'null');
  } catch {
    value = null;
  }
  return {
    partition: m.partition,
    offset: m.offset,
    timestamp: m.timestamp,
    key: decodeText(m.key),
    value: typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : null,
  };
};

/** Every message of `topic` written at or after `since` (ms), partition by partition in offset order; optionally only those `filter` keeps (read on the server), and as a read_committed consumer sees them. */
export async function readSince(ctx: LearnContext, topic: string, since: number, filter: MessageFilter | null = null, isolation: Isolation = 'read_uncommitted'): Promise<DemoRecord[]> {
  const { clusterId } = ctx;
  const detail = await ctx.api('topicDetail', { clusterId, topic });
  const out: DemoRecord[] = [];
  for (const { partition } of detail.partitions) {
    let got = 0;
    let r = await ctx.api('browse', { clusterId, topic }, { partition, seek: { mode: 'timestamp', timestamp: since }, limit: PAGE, filter, isolation });
    for (;;) {
      out.push(...r.messages.map(toRecord));
      got += r.messages.length;
      const last = r.messages.at(-1);
      if (!last || r.messages.length < PAGE || got >= READ_CAP) break;
      r = await ctx.api('browse', { clusterId, topic }, { partition, seek: { mode: 'offset', offset: last.offset + 1 }, limit: PAGE, filter, isolation });
    }
  }
  return out;
}

/** The records grouped by key: which partitions each key is in, and its records in offset order. */
export function byKey(rs: DemoRecord[]): Map<string, DemoRecord[]> {
  const m = new Map<string, DemoRecord[]>();
  for (const r of rs) {
    if (r.key === null) continue;
    const mine = m.get(r.key) ?? [];
    mine.push(r);
    m.set(r.key, mine);
  }
  return m;
}
