// ListTransactions (key 66), versions 0-1.
// Behaviour: the transactional ids this node coordinates (admin clients ask every broker and
// merge), filtered by state names (unknown names are echoed in unknownStateFilters and match
// nothing), by producer ids, and (v1) by duration: only transactions running longer than
// durationFilter ms. Errors: COORDINATOR_LOAD_IN_PROGRESS while a partition loads.

import { ListTransactions } from '../protocol/messages/list-transactions.ts';
import { defineHandler } from './types.ts';

export default defineHandler(ListTransactions, '0-1', (req, ctx) => ({
  throttleTimeMs: 0,
  ...ctx.broker.transactions.coordinator.list(req.stateFilters, req.producerIdFilters, req.durationFilter),
}));
