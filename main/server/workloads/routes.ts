// Routes of the demo workloads: list (state and live rates), start {name, rate}, stop; and of
// the producer lab: its stats, start {producers, durationMs, verify}, stop (after the read-back); and
// the consumers the console runs in a group (group-members.ts): list, set {group, topic, count}.
// Any cluster the console knows; a remote one needs `confirmRemote` (runner.ts says why).
import type { ServerContext } from '../context.ts';
import type { Router } from '../router.ts';

export function workloadRoutes(r: Router, ctx: ServerContext): void {
  r.on('listWorkloads', async ({ params }) => {
    ctx.registry.connection(params.clusterId); // an unknown cluster is a 404, not an empty list
    return { workloads: ctx.workloads.list(params.clusterId) };
  });
  r.on('workloadStart', async ({ params, body }) => ctx.workloads.start(params.clusterId, body));
  r.on('workloadStop', async ({ params }) => ctx.workloads.stop(params.clusterId, params.name));
  r.on('producerLab', async ({ params }) => {
    ctx.registry.connection(params.clusterId);
    return ctx.producerLab.stats(params.clusterId);
  });
  r.on('producerLabStart', async ({ params, body }) => ctx.producerLab.start(params.clusterId, body));
  r.on('producerLabStop', async ({ params }) => ctx.producerLab.stop(params.clusterId));
  r.on('listGroupMembers', async ({ params }) => {
    ctx.registry.connection(params.clusterId);
    return { groups: ctx.groupMembers.list(params.clusterId) };
  });
  r.on('setGroupMembers', async ({ params, body }) => ctx.groupMembers.set(params.clusterId, body));
}
