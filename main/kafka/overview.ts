// Cluster overview from one Metadata call (+ ListGroups when the cluster supports it). During an
// outage it still answers: offline partitions (no leader) and under-replicated ones (ISR smaller
// than the replica set) are counted, and brokers that dropped out of Metadata are listed as down.
import type { Overview } from '../contract/index.ts';
import { isOffline, isUnderReplicated } from './cluster-metadata.ts';
import type { KafkaConnection } from './connection.ts';

export async function overview(conn: KafkaConnection): Promise<Overview> {
  const cluster = await conn.clusterView();
  const partitions = [...cluster.topics.values()].flatMap((t) => t.partitions);
  const groupCount = await conn.admin
    .listGroups()
    .then((g) => g.size)
    .catch(() => null);
  return {
    clusterId: cluster.clusterId,
    controllerId: cluster.controllerId,
    brokers: cluster.brokers.map((b) => ({
      id: b.id,
      host: b.host,
      port: b.port,
      rack: b.rack,
      controller: b.up && b.id === cluster.controllerId,
      status: b.up ? ('up' as const) : ('down' as const),
    })),
    // As on the Topics screen; partitions below count internal topics too (they fail over as well).
    topicCount: [...cluster.topics.values()].filter((t) => !t.internal).length,
    partitionCount: partitions.length,
    underReplicatedPartitions: partitions.filter(isUnderReplicated).length,
    offlinePartitions: partitions.filter(isOffline).length,
    groupCount,
  };
}
