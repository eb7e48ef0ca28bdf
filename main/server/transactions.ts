// Transaction routes: every coordinator's transactions, and a topic's producers per partition.
import { listTransactions, topicProducers } from '../kafka/transactions.ts';
import type { ServerContext } from './context.ts';
import type { Router } from './router.ts';

export function transactionRoutes(r: Router, { registry }: ServerContext): void {
  r.on('listTransactions', async ({ params }) => listTransactions(registry.connection(params.clusterId)));
  r.on('topicProducers', async ({ params }) => topicProducers(registry.connection(params.clusterId), params.topic));
}
