// Every demo workload, in the order the Workloads screen lists them.
import type { WorkloadName } from '../../contract/workloads.ts';
import { bankAccounts } from './bank-accounts.ts';
import { clickstream } from './clickstream.ts';
import { exactlyOnce } from './exactly-once.ts';
import { metrics } from './metrics.ts';
import { orders } from './orders.ts';
import { pipeline } from './pipeline.ts';
import { serviceLogs } from './service-logs.ts';
import { streamProcessor } from './stream-processor.ts';
import type { Workload } from './workload.ts';

export const WORKLOADS: Record<WorkloadName, Workload> = {
  clickstream,
  'service-logs': serviceLogs,
  'bank-accounts': bankAccounts,
  orders,
  metrics,
  'stream-processor': streamProcessor,
  pipeline,
  'exactly-once': exactlyOnce,
};
