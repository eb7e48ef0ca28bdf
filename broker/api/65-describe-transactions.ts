// DescribeTransactions (key 65), version 0.
// Behaviour: for each transactional id this node coordinates, its state (Kafka's names: Empty,
// Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, PrepareEpochFence),
// producer id and epoch, timeout, start time (-1 before the first transaction) and the
// partitions of the open transaction. Errors per id: TRANSACTIONAL_ID_NOT_FOUND,
// NOT_COORDINATOR (admin clients ask the coordinator found with FindCoordinator key type 1),
// COORDINATOR_LOAD_IN_PROGRESS, INVALID_REQUEST (empty id).

import { DescribeTransactions } from '../protocol/messages/describe-transactions.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DescribeTransactions, '0-0', (req, ctx) => ({
  throttleTimeMs: 0,
  transactionStates: req.transactionalIds.map((id) => ctx.broker.transactions.coordinator.describe(id)),
}));
