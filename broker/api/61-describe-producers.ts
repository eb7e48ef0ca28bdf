// DescribeProducers (key 61), version 0.
// Behaviour: for each requested partition, on its leader, the producers with state there
// (partition/producer-state.ts): producer id and epoch, last sequence and timestamp, the
// coordinator epoch of its last marker, and the first offset of its open transaction (-1 when
// none): what `kafka-transactions.sh describe-producers` shows to find a hanging transaction.
// Errors per partition: UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER.
// Authorization (--acls): READ on the topic, else TOPIC_AUTHORIZATION_FAILED on each of its
// partitions, as Kafka's KafkaApis.

import { ErrorCode } from '../protocol/errors.ts';
import { DescribeProducers } from '../protocol/messages/describe-producers.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DescribeProducers, '0-0', (req, ctx) => ({
  throttleTimeMs: 0,
  topics: req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => {
      if (!allowed(ctx, AclOperation.READ, ResourceType.TOPIC, t.name))
        return { partitionIndex, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: 'Topic authorization failed.', activeProducers: [] };
      const target = ctx.broker.leaderPartition({ topic: t.name, partition: partitionIndex });
      if ('errorCode' in target) return { partitionIndex, errorCode: target.errorCode, errorMessage: null, activeProducers: [] };
      const activeProducers = [...target.producers.activeProducers()].map((e) => ({
        producerId: e.producerId,
        producerEpoch: e.epoch,
        lastSequence: e.batches.length ? e.batches[e.batches.length - 1].lastSeq : -1,
        lastTimestamp: e.lastTimestamp,
        coordinatorEpoch: e.coordinatorEpoch,
        currentTxnStartOffset: e.currentTxnFirstOffset,
      }));
      return { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers };
    }),
  })),
}));
