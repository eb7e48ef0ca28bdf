// The demo workloads' names without their schemas: what `samsa --help` prints, so the CLI (and
// the supervisor it becomes for `samsa cluster`) does not load zod to name them (decision 0033).
// workloads.ts builds WorkloadNameSchema from this list.

export const WORKLOAD_NAMES = ['clickstream', 'service-logs', 'bank-accounts', 'orders', 'metrics', 'stream-processor', 'pipeline', 'exactly-once'] as const;
