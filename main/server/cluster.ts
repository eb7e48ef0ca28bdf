// Cluster routes: session info, the clusters list (add/remove remote clusters) and the overview.
import { toSummary } from '../kafka/cluster-config.ts';
import { overview } from '../kafka/overview.ts';
import type { ServerContext } from './context.ts';
import type { Router } from './router.ts';

export function clusterRoutes(r: Router, { registry, version, workloads, producerLab, groupMembers }: ServerContext): void {
  r.on('session', async () => ({
    version,
    bundledClusterId: registry.bundledId,
    passwordStorage: registry.passwordsEncrypted ? ('os-encrypted' as const) : ('plain-file' as const),
  }));
  r.on('listClusters', async () => ({ clusters: registry.list().map(toSummary) }));
  r.on('addCluster', async ({ body }) => toSummary(registry.add(body)));
  r.on('removeCluster', async ({ params }) => {
    // Its demo workloads, producer lab and group members first: their clients must not outlive the cluster's entry.
    await Promise.all([workloads.stopCluster(params.clusterId), producerLab.stopCluster(params.clusterId), groupMembers.stopCluster(params.clusterId)]);
    await registry.remove(params.clusterId);
    return { ok: true as const };
  });
  r.on('overview', async ({ params }) => overview(registry.connection(params.clusterId)));
}
