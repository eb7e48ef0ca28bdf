// Routes of the failover demo (start, stop, kill the leader of partition 0), for the bundled
// cluster only: the demo kills nodes through its supervisor and reads leaders from its metadata
// log (the view the replica map shows), so a remote cluster gets a 404 with the reason.
import { ConsoleError } from '../kafka/errors.ts';
import type { ClusterRegistry } from '../kafka/cluster-registry.ts';
import type { BundledCluster } from './cluster-control.ts';
import { bundledOf, unavailableReason } from './cluster-control-routes.ts';
import type { ServerContext } from './context.ts';
import { FailoverDemo } from './failover-demo.ts';
import type { Router } from './router.ts';

export function bundledFailoverDemo(registry: ClusterRegistry, bundled: BundledCluster, log: (line: string) => void): FailoverDemo {
  return new FailoverDemo({
    config: () => registry.connection(registry.bundledId!).config,
    leaderOf: (topic, partition) => bundled.model.partitions().find((p) => p.topic === topic && p.partition === partition)?.leader ?? -1,
    kill: async (id) => {
      await bundled.act('kill', id);
    },
    log,
  });
}

function demoOf(ctx: ServerContext, clusterId: string): FailoverDemo {
  const b = bundledOf(ctx, clusterId);
  if (!b || !ctx.failoverDemo) throw new ConsoleError('NOT_AVAILABLE', unavailableReason(ctx, clusterId), 404);
  return ctx.failoverDemo;
}

export function failoverDemoRoutes(r: Router, ctx: ServerContext): void {
  r.on('failoverDemoStart', async ({ params, body }) => demoOf(ctx, params.clusterId).start(body.mode));
  r.on('failoverDemoStats', async ({ params }) => demoOf(ctx, params.clusterId).stats());
  r.on('failoverDemoStop', async ({ params }) => demoOf(ctx, params.clusterId).stop());
  r.on('failoverDemoKillLeader', async ({ params }) => demoOf(ctx, params.clusterId).killLeader());
}
