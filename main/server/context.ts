// What every route module receives: the cluster registry, the metrics collectors and the running version.
import type { ClusterRegistry } from '../kafka/cluster-registry.ts';
import type { MetricsHub } from './metrics-hub.ts';

export interface ServerContext {
  registry: ClusterRegistry;
  metrics: MetricsHub;
  version: string;
}
