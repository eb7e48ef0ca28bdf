// EndTxn (key 26), versions 0-4.
// Behaviour: on the transactional id's coordinator, commits or aborts the producer's ongoing
// transaction: PrepareCommit/PrepareAbort is written to `__transaction_state` (acks=all) and
// then the client is answered; the markers are written to every partition of the transaction
// afterwards (WriteTxnMarkers, retried until done, also by a new coordinator after a failover)
// and CompleteCommit/CompleteAbort recorded. A retry after the end answers NONE for the same
// result; the other result is INVALID_TXN_STATE; while the markers are being written the same
// result answers CONCURRENT_TRANSACTIONS. Other errors: INVALID_PRODUCER_ID_MAPPING,
// PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before v2), INVALID_TXN_STATE (no transaction open),
// NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE.
// Deviation: v5 (KIP-890 part 2, an epoch bump per transaction) is not offered: Kafka only uses
// it with transaction.version 2, which this broker does not implement.
// Authorization (--acls): WRITE on the transactional id, else TRANSACTIONAL_ID_AUTHORIZATION_FAILED, as Kafka.

import { ErrorCode } from '../protocol/errors.ts';
import { EndTxn } from '../protocol/messages/end-txn.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(EndTxn, '0-4', async (req, ctx) => {
  if (!allowed(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId))
    return { throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
  const err = await ctx.broker.transactions.coordinator.endTransaction(req.transactionalId, req.producerId, req.producerEpoch, req.committed);
  return { throttleTimeMs: 0, errorCode: err === ErrorCode.PRODUCER_FENCED && ctx.apiVersion < 2 ? ErrorCode.INVALID_PRODUCER_EPOCH : err };
});
