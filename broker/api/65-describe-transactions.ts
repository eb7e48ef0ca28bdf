// DescribeTransactions (key 65), version 0.
// Behaviour: for each transactional id this node coordinates, its state (Kafka's names: Empty,
// Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, PrepareEpochFence),
// producer id and epoch, timeout, start time (-1 before the first transaction) and the
// partitions of the open transaction. Errors per id: TRANSACTIONAL_ID_NOT_FOUND,
// NOT_COORDINATOR (admin clients ask the coordinator found with FindCoordinator key type 1),
// COORDINATOR_LOAD_IN_PROGRESS, INVALID_REQUEST (empty id).
// Authorization (--acls): DESCRIBE on the transactional id, else TRANSACTIONAL_ID_AUTHORIZATION_FAILED
// for that id (checked before the id is looked up, as Kafka's KafkaApis).

import { noTxnDescription } from '../coordinator/txn-coordinator.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { DescribeTransactions } from '../protocol/messages/describe-transactions.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DescribeTransactions, '0-0', (req, ctx) => ({
  throttleTimeMs: 0,
  transactionStates: req.transactionalIds.map((id) => {
    if (allowed(ctx, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, id)) return ctx.broker.transactions.coordinator.describe(id);
    return noTxnDescription(id, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  }),
}));
