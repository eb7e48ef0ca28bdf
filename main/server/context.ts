// What every route module receives: the cluster registry, the metrics collectors, the running
// version and, when the console runs beside its supervisor, the bundled cluster's control
// (cluster-control.ts) and its failover demo (failover-demo.ts); the demo workloads' runner,
// the producer lab and the consumers the console runs in a learner's group.
import type { ClusterRegistry } from '../kafka/cluster-registry.ts';
import type { BundledCluster } from './cluster-control.ts';
import type { FailoverDemo } from './failover-demo.ts';
import type { MetricsHub } from './metrics-hub.ts';
import type { GroupMembers } from './workloads/group-members.ts';
import type { ProducerLab } from './workloads/producer-lab.ts';
import type { WorkloadRunner } from './workloads/runner.ts';

export interface ServerContext {
  registry: ClusterRegistry;
  metrics: MetricsHub;
  version: string;
  bundled: BundledCluster | null;
  /** The failover demo's workload, beside the bundled cluster's control. */
  failoverDemo: FailoverDemo | null;
  /** The demo workloads (workloads/), on any cluster. */
  workloads: WorkloadRunner;
  /** The producer lab (workloads/producer-lab.ts), on any cluster. */
  producerLab: ProducerLab;
  /** Consumers the console runs in a named group (the consumer groups scenario). */
  groupMembers: GroupMembers;
}
