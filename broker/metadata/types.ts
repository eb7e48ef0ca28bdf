// Cluster metadata as the broker sees it. Two implementations: raft-metadata.ts (the replicated
// metadata log of the KRaft-style quorum, used by every node the supervisor starts) and
// local-metadata.ts (one node without --voters, persisted as one JSON file).

import type { MetadataChange } from './metadata-change.ts';

export interface BrokerMeta {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface PartitionMeta {
  partition: number;
  leader: number;
  leaderEpoch: number;
  /** Bumped on every change of the partition (KRaft's partition epoch); AlterPartition checks it. */
  partitionEpoch?: number;
  replicas: number[];
  isr: number[];
  /** A reassignment in progress (reassignment.ts): replicas being added and being removed. */
  addingReplicas?: number[];
  removingReplicas?: number[];
  /** Offset of the metadata record that created the partition (quorum metadata only). */
  createdAt?: number;
  /** Offset of the Propagated record that made it visible: from then on every live broker had
   *  applied its creation, and Metadata shows it (see visibility.ts). */
  visibleAt?: number;
}

export interface TopicMeta {
  name: string;
  topicId: string; // 32 hex chars
  internal: boolean;
  partitions: PartitionMeta[];
  configs: Record<string, string>; // dynamic (non-default) topic configs
}

export interface CreateTopicSpec {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignment?: number[][]; // explicit replicas per partition
  configs: Record<string, string>;
  internal?: boolean;
}

/** How long an admin change waits for every live broker when the request gives no timeout. */
export const ADMIN_TIMEOUT_MS = 30000;

export type ChangeListener = (change: MetadataChange) => void | Promise<void>;

export interface MetadataStore {
  readonly clusterId: string;
  readonly controllerId: number;
  brokers(): BrokerMeta[];
  topics(): TopicMeta[];
  topic(name: string): TopicMeta | undefined;
  topicById(id: string): TopicMeta | undefined;
  // Writes resolve once every live broker has applied the change, or reject with a
  // ControllerError (REQUEST_TIMED_OUT after timeoutMs, default ADMIN_TIMEOUT_MS).
  createTopic(spec: CreateTopicSpec, timeoutMs?: number): Promise<TopicMeta>;
  deleteTopic(name: string, timeoutMs?: number): Promise<void>;
  createPartitions(name: string, totalCount: number, assignment?: number[][], timeoutMs?: number): Promise<void>;
  /** Replaces the topic's dynamic configs (null values remove a key). */
  alterTopicConfigs(name: string, changes: Record<string, string | null>, timeoutMs?: number): Promise<void>;
  brokerConfigs(): Record<string, string>;
  alterBrokerConfigs(changes: Record<string, string | null>, timeoutMs?: number): Promise<void>;
  /** The topic once this node shows all its partitions (visibility.ts); undefined when it does
   *  not exist or is still being created after timeoutMs. */
  awaitVisible(name: string, timeoutMs: number): Promise<TopicMeta | undefined>;
  /** Called after any change, with what it changed (metadata-change.ts). A listener that is
   *  not done at return (the broker opening logs over several turns) returns a promise: the
   *  change counts as applied on this node (its writes resolve, the controller hears of it)
   *  once that settles. */
  onChange(fn: ChangeListener): void;
}
