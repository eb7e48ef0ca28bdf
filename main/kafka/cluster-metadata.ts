// The cluster as a dashboard needs it during an outage. The client library's metadata() and
// listTopics() throw (after retrying) as soon as any partition carries an error code, so one
// offline partition (LEADER_NOT_AVAILABLE) used to fail the Overview, the Topics list and every
// read of that topic. Here one Metadata request for every topic (or the named ones) goes out
// through broker-calls.ts, and partition and topic error codes are kept as data.
// Brokers: those in this Metadata are up; brokers seen earlier in this console session, and
// brokers named in replica lists, that are not in it are down (the controller drops a broker
// from Metadata once it is fenced). Deviation from a full picture: a broker that was never seen
// and hosts no replica is invisible; the supervisor's node list will complete this for the
// bundled cluster.
import { protocolErrorsCodesById, type Admin } from '@platformatic/kafka';
import { z } from 'zod';
import { request } from './broker-calls.ts';

const RawMetadataSchema = z.object({
  clusterId: z.string().nullable(),
  controllerId: z.number(),
  brokers: z.array(z.object({ nodeId: z.number(), host: z.string(), port: z.number(), rack: z.string().nullable() })),
  topics: z.array(
    z.object({
      errorCode: z.number(),
      name: z.string().nullable(),
      topicId: z.string().optional(),
      isInternal: z.boolean(),
      partitions: z.array(
        z.object({
          errorCode: z.number(),
          partitionIndex: z.number(),
          leaderId: z.number(),
          leaderEpoch: z.number(),
          replicaNodes: z.array(z.number()),
          isrNodes: z.array(z.number()),
          offlineReplicas: z.array(z.number()),
        }),
      ),
    }),
  ),
});
type RawMetadata = z.infer<typeof RawMetadataSchema>;

export interface PartitionView {
  partition: number;
  /** -1 when the partition has no leader (offline). */
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  /** Kafka error name for this partition (LEADER_NOT_AVAILABLE ...), null when fine. */
  error: string | null;
}

export interface TopicView {
  name: string;
  id: string;
  internal: boolean;
  partitions: PartitionView[];
  error: string | null;
}

export interface BrokerView {
  id: number;
  host: string | null;
  port: number | null;
  rack: string | null;
  up: boolean;
}

export interface ClusterView {
  clusterId: string;
  controllerId: number;
  brokers: BrokerView[];
  topics: Map<string, TopicView>;
}

export const errorName = (code: number) => (code === 0 ? null : (protocolErrorsCodesById[code] ?? `ERROR_${code}`));

export const isOffline = (p: PartitionView) => p.leader < 0;
export const isUnderReplicated = (p: PartitionView) => p.isr.length < p.replicas.length;

/** Brokers seen by one console connection, so a broker that drops out of Metadata stays listed. */
export class BrokerMemory {
  readonly #seen = new Map<number, { host: string; port: number; rack: string | null }>();

  merge(raw: RawMetadata): BrokerView[] {
    const up = new Set<number>();
    for (const b of raw.brokers) {
      up.add(b.nodeId);
      this.#seen.set(b.nodeId, { host: b.host, port: b.port, rack: b.rack });
    }
    const ids = new Set([...this.#seen.keys(), ...raw.topics.flatMap((t) => t.partitions.flatMap((p) => p.replicaNodes))]);
    return [...ids]
      .sort((a, b) => a - b)
      .map((id) => {
        const b = this.#seen.get(id);
        return { id, host: b?.host ?? null, port: b?.port ?? null, rack: b?.rack ?? null, up: up.has(id) };
      });
  }
}

/** Every topic (internal ones included) or just `topics`; a topic Kafka does not know is absent. */
export async function readClusterView(admin: Admin, brokers: BrokerMemory, topics: string[] | null = null): Promise<ClusterView> {
  const raw = await request(admin, null, 'Metadata', [topics, false, false], RawMetadataSchema);
  const views = new Map<string, TopicView>();
  for (const t of raw.topics) {
    if (t.name === null || t.errorCode === 3 /* UNKNOWN_TOPIC_OR_PARTITION */) continue;
    views.set(t.name, {
      name: t.name,
      id: t.topicId ?? '',
      internal: t.isInternal || t.name.startsWith('__'),
      error: errorName(t.errorCode),
      partitions: [...t.partitions]
        .sort((a, b) => a.partitionIndex - b.partitionIndex)
        .map((p) => ({
          partition: p.partitionIndex,
          leader: p.leaderId,
          leaderEpoch: p.leaderEpoch,
          replicas: p.replicaNodes,
          isr: p.isrNodes,
          offlineReplicas: p.offlineReplicas,
          error: errorName(p.errorCode),
        })),
    });
  }
  return { clusterId: raw.clusterId ?? '', controllerId: raw.controllerId, brokers: brokers.merge(raw), topics: views };
}
