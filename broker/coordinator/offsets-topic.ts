// The `__consumer_offsets` internal topic as the group coordinator's store: created on first use
// (offsets.topic.num.partitions, default 50; offsets.topic.replication.factor 3 capped at the
// registered brokers; compacted, internal),
// one v2 batch appended to the local partition log per write, and every partition this node
// leads read back into the coordinator when it starts leading it (node start, topic creation).
// A group lives on partition abs(javaHashCode(groupId)) % partitions, as in Kafka.
// Offset commits are appended with acks=all (offsets.commit.required.acks) and answered once the
// ISR has them or after offsets.commit.timeout.ms, with Kafka's mapping of append errors to
// commit errors; other writes (group metadata, tombstones) are acknowledged once local.
// TxnOffsetCommit's offsets go in a transactional batch of the producer; loading hands the
// coordinator each record with its batch's producer id and the transaction markers.

import type { CreateTopicSpec, TopicMeta } from '../metadata/types.ts';
import type { Partition } from '../partition/partition.ts';
import type { TopicPartition } from '../partition/topic-partition.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { batchInfo, buildBatch } from '../protocol/record-batch.ts';
import type { CoordinatorStore, GroupCoordinator, StoredRecord } from './group-coordinator.ts';
import { logRecords } from './log-records.ts';
import { OFFSETS_TOPIC } from './records.ts';

export const OFFSETS_TOPIC_CONFIGS = {
  'cleanup.policy': 'compact',
  'compression.type': 'producer',
  'segment.bytes': '104857600',
};

/** What the coordinator's store needs from its node. */
export interface OffsetsTopicHost {
  readonly nodeId: number;
  readonly metadata: {
    topic(name: string): TopicMeta | undefined;
    brokers(): readonly unknown[];
  };
  createTopic(spec: CreateTopicSpec): Promise<{ errorCode: number }>;
  /** The local replica of a partition, if this node has one. */
  partition(tp: TopicPartition): Partition | undefined;
}

/** offsets.commit.timeout.ms */
const COMMIT_TIMEOUT_MS = 5000;

/** Kafka's GroupMetadataManager.storeOffsets: what an append error means to a committing client. */
function commitError(code: number): number {
  switch (code) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
      return ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
    default:
      return code;
  }
}

export class OffsetsTopicStore implements CoordinatorStore {
  private creating: Promise<number> | null = null;
  private owned = new Set<number>();

  constructor(
    private readonly host: OffsetsTopicHost,
    private readonly configuredPartitions: number,
    private readonly replicationFactor = 3,
  ) {}

  numPartitions(): number {
    return this.host.metadata.topic(OFFSETS_TOPIC)?.partitions.length ?? this.configuredPartitions;
  }

  status(partition: number): number {
    const t = this.host.metadata.topic(OFFSETS_TOPIC);
    if (!t) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const p = t.partitions[partition];
    if (!p) return ErrorCode.NOT_COORDINATOR;
    if (p.leader !== this.host.nodeId) return ErrorCode.NOT_COORDINATOR;
    if (this.local(partition)?.role !== 'leader') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    return ErrorCode.NONE;
  }

  private local(partition: number): Partition | undefined {
    return this.host.partition({ topic: OFFSETS_TOPIC, partition });
  }

  /** Leader node of the group's partition, or null while the topic or its leader is missing. */
  coordinatorNode(partition: number): number | null {
    const p = this.host.metadata.topic(OFFSETS_TOPIC)?.partitions[partition];
    return p && p.leader >= 0 ? p.leader : null;
  }

  /** Creates the topic if it does not exist yet; resolves with a Kafka error code. */
  ensureTopic(): Promise<number> {
    if (this.host.metadata.topic(OFFSETS_TOPIC)) return Promise.resolve(ErrorCode.NONE);
    this.creating ??= createCoordinatorTopic(this.host, {
      name: OFFSETS_TOPIC,
      numPartitions: this.configuredPartitions,
      replicationFactor: Math.min(this.replicationFactor, this.host.metadata.brokers().length),
      configs: OFFSETS_TOPIC_CONFIGS,
      internal: true,
    }).finally(() => {
      this.creating = null;
    });
    return this.creating;
  }

  append(partition: number, records: StoredRecord[]): number {
    const p = this.local(partition);
    if (!p) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (p.role !== 'leader') return ErrorCode.NOT_COORDINATOR;
    const buf = buildBatch(records);
    const r = p.appendAsLeader({ buf, batches: [batchInfo(buf, 0)] }, 1, 0);
    if (r instanceof Promise) throw new Error('an acks=1 append answers synchronously');
    return r.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER ? ErrorCode.NOT_COORDINATOR : r.errorCode;
  }

  commit(
    partition: number,
    records: StoredRecord[],
    txn?: { producerId: number; producerEpoch: number },
  ): Promise<number> {
    const p = this.local(partition);
    if (!p) return Promise.resolve(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    // A TxnOffsetCommit goes in the producer's transactional batch (sequence 0, as Kafka; a
    // coordinator's write is checked for its epoch only).
    const buf = buildBatch(records, txn && { ...txn, baseSequence: 0, transactional: true });
    return Promise.resolve(
      p.appendAsLeader({ buf, batches: [batchInfo(buf, 0)] }, -1, COMMIT_TIMEOUT_MS, 'coordinator'),
    ).then((r) => commitError(r.errorCode));
  }

  partitionExists(topic: string, partition: number): boolean {
    const t = this.host.metadata.topic(topic);
    return !!t && partition >= 0 && partition < t.partitions.length;
  }

  /** Every record of a partition's log, oldest first, with the transaction markers. */
  *records(partition: number): Generator<StoredRecord> {
    const log = this.local(partition)?.log;
    if (!log) return;
    for (const r of logRecords(log)) if (r.key || r.marker) yield r;
  }

  /** Loads partitions this node now leads and unloads those it no longer leads. */
  syncOwnership(coordinator: GroupCoordinator): void {
    const t = this.host.metadata.topic(OFFSETS_TOPIC);
    const now = new Set<number>();
    for (const p of t?.partitions ?? []) {
      if (p.leader === this.host.nodeId && this.local(p.partition)?.role === 'leader') now.add(p.partition);
    }
    for (const p of this.owned) if (!now.has(p)) coordinator.unloadPartition(p);
    for (const p of now) if (!this.owned.has(p)) coordinator.loadPartition(p, this.records(p));
    this.owned = now;
  }
}

/**
 * Creates a coordinator's internal topic; resolves NONE once it exists (also when another node's
 * create won the race) and COORDINATOR_NOT_AVAILABLE otherwise, the error clients retry on.
 */
export function createCoordinatorTopic(host: OffsetsTopicHost, spec: CreateTopicSpec): Promise<number> {
  return host
    .createTopic(spec)
    .then((r) =>
      r.errorCode === ErrorCode.NONE || r.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS
        ? ErrorCode.NONE
        : ErrorCode.COORDINATOR_NOT_AVAILABLE,
    )
    .catch(() => ErrorCode.COORDINATOR_NOT_AVAILABLE);
}
