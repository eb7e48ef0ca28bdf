// WriteTxnMarkers (key 27), versions 0-1: from a transaction coordinator to partition leaders.
// Behaviour: for each marker and each of its partitions, the leader appends the commit or abort
// control batch (producer id and epoch, coordinator epoch) through the partition
// (Partition.appendTxnMarker) with acks=all, answering once the ISR has it, as Kafka's
// coordinator-origin append. The partition closes the producer's open transaction with it (an
// abort goes into the `.txnindex`), which moves the last stable offset. On a `__consumer_offsets`
// partition the group coordinator then applies or drops the producer's pending transactional
// offsets. Errors per partition: UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER,
// NOT_ENOUGH_REPLICAS(_AFTER_APPEND), REQUEST_TIMED_OUT (the coordinator retries these),
// INVALID_PRODUCER_EPOCH / TRANSACTION_COORDINATOR_FENCED (the marker is older than what the
// partition has seen of the producer: the coordinator stops), KAFKA_STORAGE_ERROR.
// Authorization (--acls): CLUSTER_ACTION on the cluster (the nodes' inter-broker user), else
// CLUSTER_AUTHORIZATION_FAILED on every partition and nothing is written, as Kafka.

import { OFFSETS_TOPIC } from '../coordinator/records.ts';
import type { LeaderAppendResult } from '../partition/partition.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { WriteTxnMarkers } from '../protocol/messages/write-txn-markers.ts';
import { AclOperation } from '../security/authorizer.ts';
import { clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

/** How long a marker may wait for the ISR (Kafka: request.timeout.ms). */
const MARKER_TIMEOUT_MS = 10000;

export default defineHandler(WriteTxnMarkers, '0-1', async (req, ctx) => {
  const { broker } = ctx;
  const permitted = clusterAllowed(ctx, AclOperation.CLUSTER_ACTION);
  const pending: Promise<void>[] = [];
  const markers = req.markers.map((m) => ({
    producerId: m.producerId,
    topics: m.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partition) => {
        const out: { partitionIndex: number; errorCode: number } = { partitionIndex: partition, errorCode: ErrorCode.NONE };
        if (!permitted) {
          out.errorCode = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
          return out;
        }
        const target = broker.leaderPartition({ topic: t.name, partition });
        if ('errorCode' in target) {
          out.errorCode = target.errorCode;
          return out;
        }
        const marker = { producerId: m.producerId, producerEpoch: m.producerEpoch, coordinatorEpoch: m.coordinatorEpoch, commit: m.transactionResult };
        const done = (r: LeaderAppendResult) => {
          out.errorCode = r.errorCode;
          if (r.errorCode === ErrorCode.NONE && t.name === OFFSETS_TOPIC)
            broker.groups.coordinator.completeTxn(partition, m.producerId, m.transactionResult);
        };
        const r = target.appendTxnMarker(marker, -1, MARKER_TIMEOUT_MS);
        if (r instanceof Promise) pending.push(r.then(done));
        else done(r);
        return out;
      }),
    })),
  }));
  await Promise.all(pending);
  return { markers };
});
