// The `__transaction_state` internal topic as the transaction coordinator's store: created on
// first use (FindCoordinator or InitProducerId with a transactional id) with
// transaction.state.log.num.partitions partitions, replication factor min(3, registered
// brokers) and Kafka's enforced configs (compact, unclean election off,
// min.insync.replicas = transaction.state.log.min.isr 2, capped at the replication factor so a
// one-node cluster can write). Deviation: compression.type is "producer" where Kafka enforces
// "uncompressed" (the only value Samsa's topics accept; the coordinator writes uncompressed
// batches, so the bytes on disk are the same). Each write is one uncompressed v2 batch of one record appended to
// the local leader with acks=all (Kafka's TransactionLog.EnforcedRequiredAcks), answered once
// the ISR has it. A transactional id lives on partition abs(javaHashCode(id)) % partitions.
// The coordinator epoch of a partition is the leader epoch this node leads it in.

import type { Partition } from '../partition/partition.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { batchInfo, buildBatch } from '../protocol/record-batch.ts';
import { logRecords, type LoggedRecord } from './log-records.ts';
import { createCoordinatorTopic, type OffsetsTopicHost } from './offsets-topic.ts';
import { partitionForGroup } from './records.ts';
import { TRANSACTION_STATE_TOPIC } from './txn-records.ts';

/** transaction.state.log.min.isr */
const MIN_ISR = 2;
/** transaction.state.log.segment.bytes */
const SEGMENT_BYTES = 104857600;

export class TxnLogStore {
  private creating: Promise<number> | null = null;

  constructor(
    private readonly host: OffsetsTopicHost,
    private readonly configuredPartitions: number,
    private readonly replicationFactor = 3,
  ) {}

  numPartitions(): number {
    return this.host.metadata.topic(TRANSACTION_STATE_TOPIC)?.partitions.length ?? this.configuredPartitions;
  }

  partitionFor(transactionalId: string): number {
    return partitionForGroup(transactionalId, this.numPartitions());
  }

  /** Leader node of a partition, or null while the topic or its leader is missing. */
  leaderNode(partition: number): number | null {
    const p = this.host.metadata.topic(TRANSACTION_STATE_TOPIC)?.partitions[partition];
    return p && p.leader >= 0 ? p.leader : null;
  }

  local(partition: number): Partition | undefined {
    return this.host.partition({ topic: TRANSACTION_STATE_TOPIC, partition });
  }

  /** Partitions this node leads now, with their leader epochs (the coordinator epochs). */
  ledPartitions(): Map<number, number> {
    const out = new Map<number, number>();
    for (const p of this.host.metadata.topic(TRANSACTION_STATE_TOPIC)?.partitions ?? []) {
      const local = this.local(p.partition);
      if (p.leader === this.host.nodeId && local?.role === 'leader') out.set(p.partition, local.leaderEpoch);
    }
    return out;
  }

  /** Creates the topic if it does not exist yet; resolves with a Kafka error code. */
  ensureTopic(): Promise<number> {
    if (this.host.metadata.topic(TRANSACTION_STATE_TOPIC)) return Promise.resolve(ErrorCode.NONE);
    const rf = Math.min(this.replicationFactor, this.host.metadata.brokers().length);
    this.creating ??= createCoordinatorTopic(this.host, {
      name: TRANSACTION_STATE_TOPIC,
      numPartitions: this.configuredPartitions,
      replicationFactor: rf,
      configs: {
        'cleanup.policy': 'compact',
        'compression.type': 'producer',
        'unclean.leader.election.enable': 'false',
        'min.insync.replicas': String(Math.min(MIN_ISR, rf)),
        'segment.bytes': String(SEGMENT_BYTES),
      },
      internal: true,
    }).finally(() => {
      this.creating = null;
    });
    return this.creating;
  }

  /** Appends one record with acks=all; resolves with the append's error code. */
  append(partition: number, key: Buffer, value: Buffer | null, timeoutMs: number): Promise<number> {
    const p = this.local(partition);
    if (!p) return Promise.resolve(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    const buf = buildBatch([{ key, value }]);
    return Promise.resolve(p.appendAsLeader({ buf, batches: [batchInfo(buf, 0)] }, -1, timeoutMs, 'coordinator')).then(
      (r) => r.errorCode,
    );
  }

  /** Every record of a partition's local log, oldest first. */
  records(partition: number): Iterable<LoggedRecord> {
    const p = this.local(partition);
    return p ? logRecords(p.log) : [];
  }
}
