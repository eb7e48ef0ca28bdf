// Cluster metadata as the broker sees it. Two implementations: raft-metadata.ts (the replicated
// metadata log of the KRaft-style quorum, used by every node the supervisor starts) and
// local-metadata.ts (one node without --voters, persisted as one JSON file).

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

export interface MetadataStore {
  readonly clusterId: string;
  readonly controllerId: number;
  brokers(): BrokerMeta[];
  topics(): TopicMeta[];
  topic(name: string): TopicMeta | undefined;
  topicById(id: string): TopicMeta | undefined;
  createTopic(spec: CreateTopicSpec): Promise<TopicMeta>;
  deleteTopic(name: string): Promise<void>;
  createPartitions(name: string, totalCount: number, assignment?: number[][]): Promise<void>;
  /** Replaces the topic's dynamic configs (null values remove a key). */
  alterTopicConfigs(name: string, changes: Record<string, string | null>): Promise<void>;
  brokerConfigs(): Record<string, string>;
  alterBrokerConfigs(changes: Record<string, string | null>): Promise<void>;
  /** Called after any change, with the affected topic names. */
  onChange(fn: (topics: string[]) => void): void;
}
