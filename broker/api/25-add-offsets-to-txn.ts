// AddOffsetsToTxn (key 25), versions 0-4.
// Behaviour: on the transactional id's coordinator, adds the group's `__consumer_offsets`
// partition (abs(javaHashCode(groupId)) % partitions, creating the topic on first use) to the
// producer's transaction, so that the transaction's marker reaches it and the offsets the
// producer then commits with TxnOffsetCommit become visible exactly when the transaction
// commits. Errors as AddPartitionsToTxn: NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
// INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before v2),
// CONCURRENT_TRANSACTIONS, COORDINATOR_NOT_AVAILABLE, INVALID_REQUEST (empty transactional id),
// INVALID_GROUP_ID (empty group id).
// Authorization (--acls), as Kafka: WRITE on the transactional id, else TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
// READ on the group, else GROUP_AUTHORIZATION_FAILED.

import { TxnPartitions } from '../coordinator/txn-metadata.ts';
import { OFFSETS_TOPIC, partitionForGroup } from '../coordinator/records.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AddOffsetsToTxn } from '../protocol/messages/add-offsets-to-txn.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed, groupCoordinator } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(AddOffsetsToTxn, '0-4', async (req, ctx) => {
  const answer = (errorCode: number) => ({
    throttleTimeMs: 0,
    errorCode: errorCode === ErrorCode.PRODUCER_FENCED && ctx.apiVersion < 2 ? ErrorCode.INVALID_PRODUCER_EPOCH : errorCode,
  });
  if (!allowed(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId))
    return answer(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  if (!req.groupId) return answer(ErrorCode.INVALID_GROUP_ID);
  const groups = await groupCoordinator(ctx, AclOperation.READ, req.groupId);
  if (typeof groups === 'number') return answer(groups);
  const partition = partitionForGroup(req.groupId, ctx.broker.groups.store.numPartitions());
  const partitions = TxnPartitions.of([{ topic: OFFSETS_TOPIC, partitions: [partition] }]);
  return answer(await ctx.broker.transactions.coordinator.addPartitions(req.transactionalId, req.producerId, req.producerEpoch, partitions));
});
