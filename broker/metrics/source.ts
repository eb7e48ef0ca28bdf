// The broker state the metrics read at scrape time, behind one small interface: everything that
// is a level (log sizes and offsets, high watermarks, ISR, leadership, quorum role, groups)
// rather than an event counted on the hot path. broker-source.ts is its only implementation and
// the only metrics file that knows the broker's internals, so a change of those (a Partition
// object replacing the replica map, say) touches that one adapter.

export interface FollowerLag {
  replicaId: number;
  /** Records the follower is behind the leader's log end offset. */
  messages: number;
  /** Time since the follower was last caught up; 0 while it is. */
  ms: number;
}

export interface PartitionSnapshot {
  topic: string;
  partition: number;
  /** This node is the partition's leader. */
  leader: boolean;
  replicas: number;
  isr: number;
  minIsr: number;
  /** Bytes of all segments. */
  size: number;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  /** The leader's view of each follower; empty on followers. */
  followers: FollowerLag[];
}

/** Cluster-wide counts from this node's metadata (Kafka reports them on the controllers). */
export interface ClusterSnapshot {
  topics: number;
  partitions: number;
  /** Partitions of non-internal topics without a leader. */
  offlinePartitions: number;
}

export type RaftState = 'leader' | 'candidate' | 'follower' | 'unattached' | 'observer';

export interface QuorumSnapshot {
  state: RaftState;
  epoch: number;
  leaderId: number;
  highWatermark: number;
  logEndOffset: number;
  /** On the leader: records each other voter is behind the leader's log end offset. */
  voterLag: { voterId: number; records: number }[];
  /** Times this node has seen a new quorum leader (Kafka's NewActiveControllersCount). */
  newActiveControllers: number;
}

export interface GroupSnapshot {
  groupId: string;
  state: string;
  members: number;
  generation: number;
  offsets: { topic: string; partition: number; offset: number }[];
}

export interface GroupsSnapshot {
  /** Groups this node coordinates. */
  groups: GroupSnapshot[];
  rebalances: number;
  completedRebalances: number;
}

export interface ReplicationSnapshot {
  /** Bytes appended as follower (ReplicationBytesInPerSec). */
  bytesIn: number;
  /** Committed ISR changes of partitions led here. */
  isrShrinks: number;
  isrExpands: number;
}

export interface MetricsSource {
  /** Whether the partition exists in metadata (bounds per-partition label sets). */
  partitionExists(topic: string, partition: number): boolean;
  /** Every partition this node hosts a replica of. */
  partitions(): Iterable<PartitionSnapshot>;
  cluster(): ClusterSnapshot;
  /** Undefined without a metadata quorum (a single node with local metadata). */
  quorum(): QuorumSnapshot | undefined;
  groups(): GroupsSnapshot;
  replication(): ReplicationSnapshot;
  /** Log directories of this node that went offline after a storage error (0 or 1: one per node). */
  offlineLogDirs(): number;
}
