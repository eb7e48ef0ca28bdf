// Steps shared by the scenarios built on a demo workload (main/server/workloads/): start it
// from the app, see it running, and stop it on reset. The workload's demo.* topics and group
// are its own, shared with the Workloads screen, so a scenario never lists them in `creates`.
import type { WorkloadName, WorkloadStats } from '../../../../main/contract/index.ts';
import type { LearnContext } from '../scenario.ts';

export async function workloadStats(ctx: LearnContext, name: WorkloadName): Promise<WorkloadStats> {
  const { workloads } = await ctx.api('listWorkloads', { clusterId: ctx.clusterId });
  const w = workloads.find((x) => x.name === name);
  if (!w) throw new Error(`The console has no ${name} workload.`);
  return w;
}

export const startWorkload = async (ctx: LearnContext, name: WorkloadName, rate: number): Promise<void> => {
  await ctx.api('workloadStart', { clusterId: ctx.clusterId }, { name, rate });
};

export async function stopWorkload(ctx: LearnContext, name: WorkloadName): Promise<void> {
  const w = await workloadStats(ctx, name);
  if (w.state === 'running' || w.state === 'starting' || w.state === 'stopping') await ctx.api('workloadStop', { clusterId: ctx.clusterId, name }, {});
}

/** The messages of `topic` written since `from` (ms), all partitions merged by time. */
export const messagesSince = async (ctx: LearnContext, topic: string, from: number) =>
  (await ctx.api('browse', { clusterId: ctx.clusterId, topic }, { partition: null, seek: { mode: 'timestamp', timestamp: Math.floor(from) }, limit: 5000 })).messages;
