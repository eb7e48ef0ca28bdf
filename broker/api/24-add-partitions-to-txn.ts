// AddPartitionsToTxn (key 24), versions 0-5.
// Behaviour: on the transactional id's coordinator, adds the partitions to the producer's
// transaction (starting it: Ongoing, its timeout counting from now) before the producer writes
// to them; answered once `__transaction_state` has the change (acks=all). A partition already in
// the ongoing transaction answers at once. v0-3 (clients) carry one transaction; v4+ is Kafka's
// batched broker form (KIP-890): several transactions, each with verifyOnly, which only checks
// that the partitions are in the producer's open transaction (NONE, else
// TRANSACTION_ABORTABLE) without adding them; without verifyOnly they are added as in v0-3
// (@platformatic/kafka sends v5 this way).
// Errors per partition, as Kafka: a partition that does not exist fails the whole transaction
// request with UNKNOWN_TOPIC_OR_PARTITION, the others getting OPERATION_NOT_ATTEMPTED; otherwise
// every partition gets the coordinator's answer: NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
// INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before v2, for clients
// that predate it), CONCURRENT_TRANSACTIONS (the last transaction's markers are still being
// written; clients retry), COORDINATOR_NOT_AVAILABLE, INVALID_REQUEST (empty transactional id).
// Deviation: v4+ is not restricted to brokers (Kafka checks CLUSTER_ACTION, which passes without
// an authorizer, as here).
// Authorization (--acls), as Kafka: WRITE on the transactional id, else TRANSACTIONAL_ID_AUTHORIZATION_FAILED
// for every partition; WRITE on each topic, else TOPIC_AUTHORIZATION_FAILED for its partitions and
// OPERATION_NOT_ATTEMPTED for the others.

import { TxnPartitions } from '../coordinator/txn-metadata.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AddPartitionsToTxn } from '../protocol/messages/add-partitions-to-txn.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler, type RequestContext } from './types.ts';

interface TxnIn {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  verifyOnly: boolean;
  topics: { name: string; partitions: number[] }[];
}

type TopicResults = { name: string; resultsByPartition: { partitionIndex: number; partitionErrorCode: number }[] }[];

async function handleOne(ctx: RequestContext, t: TxnIn, version: number): Promise<TopicResults> {
  const { broker } = ctx;
  const each = (code: (topic: string, partition: number) => number): TopicResults =>
    t.topics.map((tp) => ({
      name: tp.name,
      resultsByPartition: tp.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: code(tp.name, p) })),
    }));
  if (!allowed(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, t.transactionalId))
    return each(() => ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  const writable = (topic: string) => allowed(ctx, AclOperation.WRITE, ResourceType.TOPIC, topic);
  if (t.topics.some((tp) => !writable(tp.name)))
    return each((topic) => (writable(topic) ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.TOPIC_AUTHORIZATION_FAILED));
  const exists = (topic: string, p: number) => {
    const meta = broker.metadata.topic(topic);
    return !!meta && p >= 0 && p < meta.partitions.length;
  };
  if (t.topics.some((tp) => tp.partitions.some((p) => !exists(tp.name, p))))
    return each((topic, p) => (exists(topic, p) ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
  const c = broker.transactions.coordinator;
  if (t.verifyOnly) return each(c.verifyPartitions(t.transactionalId, t.producerId, t.producerEpoch));
  const partitions = TxnPartitions.of(t.topics.map((tp) => ({ topic: tp.name, partitions: tp.partitions })));
  let err = await c.addPartitions(t.transactionalId, t.producerId, t.producerEpoch, partitions);
  if (err === ErrorCode.PRODUCER_FENCED && version < 2) err = ErrorCode.INVALID_PRODUCER_EPOCH;
  return each(() => err);
}

export default defineHandler(AddPartitionsToTxn, '0-5', async (req, ctx) => {
  const v = ctx.apiVersion;
  if (v < 4) {
    const results = await handleOne(
      ctx,
      {
        transactionalId: req.v3AndBelowTransactionalId,
        producerId: req.v3AndBelowProducerId,
        producerEpoch: req.v3AndBelowProducerEpoch,
        verifyOnly: false,
        topics: req.v3AndBelowTopics,
      },
      v,
    );
    return { throttleTimeMs: 0, resultsByTopicV3AndBelow: results };
  }
  const resultsByTransaction = await Promise.all(
    req.transactions.map(async (t) => ({ transactionalId: t.transactionalId, topicResults: await handleOne(ctx, t, v) })),
  );
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction };
});
