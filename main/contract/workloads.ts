// Demo workloads (issue "learn mode"): generators the console server runs against any cluster
// with a real Kafka client (@platformatic/kafka), each writing to its own `demo.` topic and,
// where it makes sense, a consumer group reading it back (an "active users" counter, an error
// counter, account balances, a fraud rule writing alerts to a topic of its own, the nodes' own
// metrics read back as data, page views per 10 s window written to an output topic, a pipeline of an enrich stage and a sink stage, each a group of its own, inputs copied
// exactly once with transactions). Started and stopped with plain calls; their live rates are read
// with `listWorkloads` (the Workloads screen polls it).
import { z } from 'zod';
import { WORKLOAD_NAMES } from './workload-names.ts';

export { WORKLOAD_NAMES };
export const WorkloadNameSchema = z.enum(WORKLOAD_NAMES);
export type WorkloadName = z.infer<typeof WorkloadNameSchema>;

/** Messages per second a workload may be asked for: light enough for a laptop running three nodes. */
export const WORKLOAD_RATE = { min: 1, max: 1000, default: 10 } as const;

export const WorkloadStartSchema = z
  .object({
    name: WorkloadNameSchema,
    rate: z
      .number()
      .int('The rate is a whole number of messages per second')
      .min(WORKLOAD_RATE.min, `The rate is at least ${WORKLOAD_RATE.min} message per second`)
      .max(WORKLOAD_RATE.max, `The rate is at most ${WORKLOAD_RATE.max} messages per second`)
      .default(WORKLOAD_RATE.default),
    /** Writing to a cluster that is not the bundled one needs this, after the user was warned. */
    confirmRemote: z.boolean().default(false),
  })
  .strict();
export type WorkloadStart = z.input<typeof WorkloadStartSchema>;

/** One consumer group of a run: the reader, or a later stage of a pipeline. */
export const WorkloadStageStatsSchema = z.object({
  group: z.string(),
  /** The topic it reads. */
  input: z.string(),
  /** Where it writes what it derives; null when it only reads. */
  output: z.string().nullable(),
  /** Records read and records written (acknowledged) in this run, and their rates over the last few seconds. */
  consumed: z.number().int(),
  consumedPerSec: z.number(),
  written: z.number().int(),
  writtenPerSec: z.number(),
  summary: z.string(),
});
export type WorkloadStageStats = z.infer<typeof WorkloadStageStatsSchema>;

export const WorkloadStatsSchema = z.object({
  name: WorkloadNameSchema,
  title: z.string(),
  description: z.string(),
  topic: z.string(),
  /** The consumer group reading the topic back; null for a producer-only workload. */
  group: z.string().nullable(),
  /** Where the group writes what it derives (a stream processor); null when it only reads. */
  outputTopic: z.string().nullable(),
  state: z.enum(['idle', 'starting', 'running', 'stopping', 'stopped', 'failed']),
  /** The rate asked for (messages per second); null when it never ran. */
  rate: z.number().int().nullable(),
  startedAt: z.number().nullable(),
  /** Totals of the current (or last) run. */
  sent: z.number().int(),
  consumed: z.number().int(),
  errors: z.number().int(),
  /** Measured over the last few seconds. */
  sentPerSec: z.number(),
  consumedPerSec: z.number(),
  errorsPerSec: z.number(),
  /** Every consumer group of the run in pipeline order (the reader first); empty for a producer-only workload. */
  stages: z.array(WorkloadStageStatsSchema),
  /** What the consumer side computed, in words ("12 active users in the last 30 s"); null without one. */
  summary: z.string().nullable(),
  /** The latest trouble, in the client's words; null when none. */
  lastError: z.string().nullable(),
});
export type WorkloadStats = z.infer<typeof WorkloadStatsSchema>;

export const WorkloadListSchema = z.object({ workloads: z.array(WorkloadStatsSchema) });
export type WorkloadList = z.infer<typeof WorkloadListSchema>;
