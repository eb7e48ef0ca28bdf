// The producer lab (issue "learn mode": durability trade-offs, high throughput): the console
// server runs one or more producers side by side, each with its own knobs (topic, acks, batch
// size, linger, compression, record size, rate or as fast as it goes), with a real Kafka client
// through the normal protocol. Per producer it reports what was sent, acknowledged and failed
// (by Kafka's error name), the produce requests it took, MB/s and ack latency p50/p99 per second;
// with `verify`, the stop reads every topic back and counts the acknowledged records really
// there (each value carries its producer's run id and sequence number): lost = acked − found.
// Deviations from Kafka's producer: batch.size bounds one send (all partitions together), not one
// batch per partition; linger and batch size are applied by the lab's send loop, as the client
// library has no accumulator of its own; acks=0 counts a record "acknowledged" once it is written
// to the socket, which is all such a producer ever learns.
import { z } from 'zod';

/** acks as Kafka's configs spell it: 0, 1, all. */
export const acksText = (a: 0 | 1 | -1): '0' | '1' | 'all' => (a === -1 ? 'all' : a === 1 ? '1' : '0');

export const PRODUCER_LAB_COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type ProducerLabCompression = (typeof PRODUCER_LAB_COMPRESSIONS)[number];

/** Bounds of the knobs: enough to see the trade-offs, small enough for a laptop running three nodes. */
export const PRODUCER_LAB_LIMITS = {
  producers: 6,
  batchBytes: { min: 1, max: 1024 * 1024, default: 16_384 },
  lingerMs: { min: 0, max: 1000, default: 5 },
  recordBytes: { min: 64, max: 100_000, default: 512 },
  rate: { min: 1, max: 100_000 },
  durationMs: { min: 1000, max: 600_000 },
} as const;

const int = (what: string, b: { min: number; max: number }) =>
  z
    .number()
    .int(`The ${what} is a whole number`)
    .min(b.min, `The ${what} is at least ${b.min}`)
    .max(b.max, `The ${what} is at most ${b.max}`);

export const ProducerSettingsSchema = z
  .object({
    /** How the lab names this producer ("acks=all"); unique in a run. */
    label: z.string().min(1).max(40),
    topic: z.string().min(1).max(249),
    /** 0: no acknowledgement, 1: the leader's, -1: every in-sync replica's (acks=all). */
    acks: z.union([z.literal(0), z.literal(1), z.literal(-1)]).default(-1),
    batchBytes: int('batch size', PRODUCER_LAB_LIMITS.batchBytes).default(PRODUCER_LAB_LIMITS.batchBytes.default),
    lingerMs: int('linger', PRODUCER_LAB_LIMITS.lingerMs).default(PRODUCER_LAB_LIMITS.lingerMs.default),
    compression: z.enum(PRODUCER_LAB_COMPRESSIONS).default('none'),
    recordBytes: int('record size', PRODUCER_LAB_LIMITS.recordBytes).default(PRODUCER_LAB_LIMITS.recordBytes.default),
    /** Records per second; null: as fast as the cluster acknowledges. */
    rate: int('rate', PRODUCER_LAB_LIMITS.rate).nullable().default(1000),
  })
  .strict();
export type ProducerSettings = z.input<typeof ProducerSettingsSchema>;

export const ProducerLabStartSchema = z
  .object({
    producers: z
      .array(ProducerSettingsSchema)
      .min(1, 'The lab runs at least one producer')
      .max(PRODUCER_LAB_LIMITS.producers, `The lab runs at most ${PRODUCER_LAB_LIMITS.producers} producers`)
      .refine((ps) => new Set(ps.map((p) => p.label)).size === ps.length, 'Every producer needs its own label'),
    /** The run stops by itself after this long; null: when asked to. */
    durationMs: int('duration', PRODUCER_LAB_LIMITS.durationMs).nullable().default(null),
    /** On stop, read the topics back and count the acknowledged records that are there. */
    verify: z.boolean().default(false),
    /** Writing to a cluster that is not the bundled one needs this, after the user was warned. */
    confirmRemote: z.boolean().default(false),
  })
  .strict();
export type ProducerLabStart = z.input<typeof ProducerLabStartSchema>;

/** One second of one producer: what was acknowledged in it and how long the acknowledgements took. */
export const ProducerPointSchema = z.object({
  /** Start of the second, ms since the epoch. */
  t: z.number(),
  ackedPerSec: z.number(),
  /** Acknowledged value bytes (before compression), in MB (10^6 bytes) per second. */
  mbPerSec: z.number(),
  /** From the batch's first record falling due to its acknowledgement (linger included); null without one. */
  p50Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});
export type ProducerPoint = z.infer<typeof ProducerPointSchema>;

export const ProducerVerifySchema = z.object({
  /** Acknowledged records of this run found in the topic. */
  found: z.number().int(),
  /** Acknowledged and not in the topic. */
  lost: z.number().int(),
  /** Records of this run read more than once (a retried send stored twice). */
  duplicates: z.number().int(),
  /** Records in the topic whose send was not acknowledged (it failed, yet the write got in). */
  unacknowledgedFound: z.number().int(),
});
export type ProducerVerify = z.infer<typeof ProducerVerifySchema>;

export const ProducerStatsSchema = z.object({
  settings: ProducerSettingsSchema.required(),
  sent: z.number().int(),
  acked: z.number().int(),
  failed: z.number().int(),
  /** Failed records by Kafka's error name (NOT_ENOUGH_REPLICAS, CLUSTER_UNREACHABLE ...). */
  errors: z.record(z.string(), z.number().int()),
  /** Produce calls made (one per batch). */
  requests: z.number().int(),
  /** Value bytes acknowledged, before compression. */
  ackedBytes: z.number().int(),
  /** Over the last few seconds. */
  mbPerSec: z.number(),
  /** Over the whole run; null before the first acknowledgement. */
  p50Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  series: z.array(ProducerPointSchema),
  lastError: z.string().nullable(),
  verify: ProducerVerifySchema.nullable(),
});
export type ProducerStats = z.infer<typeof ProducerStatsSchema>;

export const ProducerLabStatsSchema = z.object({
  state: z.enum(['idle', 'starting', 'running', 'stopping', 'verifying', 'stopped', 'failed']),
  /** Id of the current (or last) run; values carry it. null before the first run. */
  runId: z.string().nullable(),
  startedAt: z.number().nullable(),
  stoppedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  verify: z.boolean(),
  producers: z.array(ProducerStatsSchema),
  lastError: z.string().nullable(),
});
export type ProducerLabStats = z.infer<typeof ProducerLabStatsSchema>;
