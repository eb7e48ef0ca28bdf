// What the cluster itself says about its partitions, asked over the Kafka protocol (Metadata v12,
// every topic) like any client would: the supervisor's process view (pid, state) is not enough to
// say which node leads what. The first running node to answer wins; paused or dead ones are not
// asked (they would only time out).

import { KafkaConnection, type ClientTls, type PlainAuth } from '../client/connection.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import type { DecodedResponseOf } from '../protocol/schema.ts';

export type MetadataResponse = DecodedResponseOf<typeof Metadata>;

export interface PartitionPlacement {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface ClusterPlacement {
  controllerId: number;
  /** node ids the controller currently lists as live brokers */
  brokers: number[];
  partitions: PartitionPlacement[];
}

export function placementOf(md: MetadataResponse): ClusterPlacement {
  const partitions: PartitionPlacement[] = [];
  for (const t of md.topics) {
    if (t.errorCode !== 0 || t.name === null) continue;
    for (const p of t.partitions)
      partitions.push({ topic: t.name, partition: p.partitionIndex, leader: p.leaderId, replicas: p.replicaNodes, isr: p.isrNodes });
  }
  return { controllerId: md.controllerId, brokers: md.brokers.map((b) => b.nodeId), partitions };
}

export const leadersOn = (p: ClusterPlacement, id: number) => p.partitions.filter((x) => x.leader === id).length;
export const replicasOn = (p: ClusterPlacement, id: number) => p.partitions.filter((x) => x.replicas.includes(id)).length;

async function metadataFrom(host: string, port: number, timeoutMs: number, auth?: PlainAuth, trust?: ClientTls): Promise<MetadataResponse> {
  const conn = await KafkaConnection.connect(host, port, 'samsa-supervisor', timeoutMs, auth, trust);
  try {
    return await conn.request(Metadata, 12, { topics: null, allowAutoTopicCreation: false }, timeoutMs);
  } finally {
    conn.close();
  }
}

/** Placement from the first of `nodes` to answer; throws when none does. */
export async function fetchPlacement(
  nodes: { host: string; port: number }[],
  timeoutMs = 3000,
  auth?: PlainAuth,
  trust?: ClientTls,
): Promise<ClusterPlacement> {
  if (nodes.length === 0) throw new Error('no node is running');
  try {
    return placementOf(await Promise.any(nodes.map((n) => metadataFrom(n.host, n.port, timeoutMs, auth, trust))));
  } catch (e) {
    const first = e instanceof AggregateError ? (e.errors[0] as Error) : (e as Error);
    throw new Error(`no running node answered Metadata (${first.message})`);
  }
}
