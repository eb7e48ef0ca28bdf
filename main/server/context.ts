// What every route module receives: the cluster registry and the running version.
import type { ClusterRegistry } from '../kafka/cluster-registry.ts';

export interface ServerContext {
  registry: ClusterRegistry;
  version: string;
}
