// InitProducerId (key 22), versions 0-5.
// Behaviour: without a transactional id (an idempotent producer) a fresh producer id with epoch
// 0 from this node's id blocks, persisted in the data dir so they are never reused after a
// restart (coordinator/producer-ids.ts); the producerId / producerEpoch fields of v3+ are
// ignored then, as Kafka does (@platformatic/kafka sends 0/0 there, others -1/-1).
// With a transactional id, on its transaction coordinator (coordinator/txn-coordinator.ts): the
// id's producer id with its epoch bumped (a new id gets a producer id and epoch 0), which fences
// older instances; an ongoing transaction of an older instance is aborted first and the caller
// answered CONCURRENT_TRANSACTIONS until that is done (clients retry); v3+ producerId/epoch
// (KIP-360, both set, else both -1) let a producer resume its own id after an error and are
// PRODUCER_FENCED when another instance took over; an exhausted epoch rotates the producer id.
// Errors: INVALID_REQUEST (empty transactional id, or only one of v3's producerId/epoch set),
// INVALID_TRANSACTION_TIMEOUT (transactionTimeoutMs not in (0, transaction.max.timeout.ms],
// checked before anything else so a misconfigured client fails at once, as in Kafka),
// NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, CONCURRENT_TRANSACTIONS, COORDINATOR_NOT_AVAILABLE.
// PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH before v4, as Kafka does for clients
// that predate it.
// Authorization (--acls), as Kafka: a transactional producer needs WRITE on its transactional id
// (TRANSACTIONAL_ID_AUTHORIZATION_FAILED); an idempotent one IDEMPOTENT_WRITE on the cluster or
// WRITE on some topic (CLUSTER_AUTHORIZATION_FAILED).

import { ErrorCode } from '../protocol/errors.ts';
import { InitProducerId } from '../protocol/messages/init-producer-id.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed, allowedOnAny, clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(InitProducerId, '0-5', async (req, ctx) => {
  const { broker, apiVersion } = ctx;
  const answer = (errorCode: number, producerId = -1, producerEpoch = -1) => ({
    throttleTimeMs: 0,
    errorCode: errorCode === ErrorCode.PRODUCER_FENCED && apiVersion < 4 ? ErrorCode.INVALID_PRODUCER_EPOCH : errorCode,
    producerId,
    producerEpoch,
  });
  const txns = broker.transactions;
  if (req.transactionalId === null) {
    const idempotent = clusterAllowed(ctx, AclOperation.IDEMPOTENT_WRITE) || allowedOnAny(ctx, AclOperation.WRITE, ResourceType.TOPIC);
    if (!idempotent) return answer(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  } else if (!allowed(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId))
    return answer(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  if (req.transactionalId === null) return answer(ErrorCode.NONE, txns.producerIds.allocate(), 0);
  const none = req.producerId === -1 && req.producerEpoch === -1;
  if (!none && (req.producerId === -1 || req.producerEpoch === -1)) return answer(ErrorCode.INVALID_REQUEST);
  const r = await txns.coordinator.initProducerId(
    req.transactionalId,
    req.transactionTimeoutMs,
    none ? null : { producerId: req.producerId, producerEpoch: req.producerEpoch },
  );
  return answer(r.errorCode, r.producerId, r.producerEpoch);
});
