// Cluster overview from one Metadata call (+ ListGroups when the cluster supports it).
import type { Overview } from '../contract/index.ts';
import type { KafkaConnection } from './connection.ts';
import { allMetadata } from './topics.ts';

export async function overview(conn: KafkaConnection): Promise<Overview> {
  const admin = conn.admin;
  const meta = await allMetadata(admin);
  let partitionCount = 0;
  let under = 0;
  let offline = 0;
  for (const t of meta.topics.values()) {
    for (const p of t.partitions) {
      partitionCount++;
      if (p.leader < 0) offline++;
      if (p.isr.length < p.replicas.length) under++;
    }
  }
  const groupCount = await admin
    .listGroups()
    .then((g) => g.size)
    .catch(() => null);
  return {
    clusterId: meta.id,
    controllerId: meta.controllerId,
    brokers: [...meta.brokers.entries()]
      .map(([id, b]) => ({ id, host: b.host, port: b.port, rack: b.rack ?? null, controller: id === meta.controllerId }))
      .sort((a, b) => a.id - b.id),
    topicCount: meta.topics.size,
    partitionCount,
    underReplicatedPartitions: under,
    offlinePartitions: offline,
    groupCount,
  };
}
