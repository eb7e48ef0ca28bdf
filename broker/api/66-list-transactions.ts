// ListTransactions (key 66), versions 0-1.
// Behaviour: the transactional ids this node coordinates (admin clients ask every broker and
// merge), filtered by state names (unknown names are echoed in unknownStateFilters and match
// nothing), by producer ids, and (v1) by duration: only transactions running longer than
// durationFilter ms. Errors: COORDINATOR_LOAD_IN_PROGRESS while a partition loads.
// Authorization (--acls): only the ids the principal may DESCRIBE are listed (no error for the
// others), as Kafka's KafkaApis.

import { ListTransactions } from '../protocol/messages/list-transactions.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(ListTransactions, '0-1', (req, ctx) => {
  const listing = ctx.broker.transactions.coordinator.list(req.stateFilters, req.producerIdFilters, req.durationFilter);
  return {
    throttleTimeMs: 0,
    ...listing,
    transactionStates: listing.transactionStates.filter((t) =>
      allowed(ctx, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, t.transactionalId),
    ),
  };
});
