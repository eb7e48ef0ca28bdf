// The failover demo (issue 11): a workload the console server runs on the bundled cluster while
// a presenter kills nodes. Started and stopped with plain calls, its counters pushed over the
// stream socket (`demo.subscribe`) several times a second. The counters are computed from the
// values themselves: every value carries the run id and a sequence number, so "lost" is an
// acknowledged sequence number the consumer passed without ever reading it.
import { z } from 'zod';

/** safe: acks=all, idempotent, min.insync.replicas=2, clean elections only. unsafe: acks=1 and unclean.leader.election.enable=true. */
export const FailoverDemoModeSchema = z.enum(['safe', 'unsafe']);
export type FailoverDemoMode = z.infer<typeof FailoverDemoModeSchema>;

/** The demo's topic per mode (RF 3, 3 partitions), created by the demo on its first start. */
export const DEMO_TOPICS: Record<FailoverDemoMode, string> = { safe: 'samsa-failover-demo', unsafe: 'samsa-failover-demo-unsafe' };

export const FailoverDemoStartSchema = z.object({ mode: FailoverDemoModeSchema.default('safe') }).strict();

export const FailoverDemoKillSchema = z.object({
  nodeId: z.number().int(),
  /** ms since the epoch when the kill was delivered */
  at: z.number(),
  /** ms from the kill to the acknowledgement of the first send started after it; null until then */
  ackAfterMs: z.number().nullable(),
});
export type FailoverDemoKill = z.infer<typeof FailoverDemoKillSchema>;

export const FailoverDemoStatsSchema = z.object({
  state: z.enum(['idle', 'starting', 'running', 'stopping', 'stopped', 'failed']),
  mode: FailoverDemoModeSchema.nullable(),
  topic: z.string().nullable(),
  /** distinguishes this run's values from an earlier run's in the same topic */
  runId: z.string().nullable(),
  startedAt: z.number().nullable(),
  sent: z.number().int(),
  acknowledged: z.number().int(),
  /** sends the producer gave up on after its retries (their values may or may not be in the log) */
  failed: z.number().int(),
  /** distinct values read back */
  consumed: z.number().int(),
  /** acknowledged values whose offset the consumer passed without reading them */
  lost: z.number().int(),
  /** values read back more than once (at different offsets) */
  duplicates: z.number().int(),
  longestAckPauseMs: z.number(),
  /** ms since the last acknowledgement while running; null before the first */
  sinceLastAckMs: z.number().nullable(),
  /** the latest kills made from the demo, newest last */
  kills: z.array(FailoverDemoKillSchema),
  /** the latest producer / consumer trouble, in the client's words; null when none */
  producerError: z.string().nullable(),
  consumerError: z.string().nullable(),
  /** why the run failed or stopped by itself */
  error: z.string().nullable(),
});
export type FailoverDemoStats = z.infer<typeof FailoverDemoStatsSchema>;

export const FailoverDemoKillResponseSchema = z.object({ nodeId: z.number().int() });

/** Stream socket: the demo's counters now, then on every change (at most every 200 ms). */
export const DemoSubscribeSchema = z.object({
  type: z.literal('demo.subscribe'),
  id: z.string().min(1).max(64),
  clusterId: z.string().min(1),
});
export const DemoStatsMessageSchema = z.object({ type: z.literal('demo.stats'), id: z.string(), stats: FailoverDemoStatsSchema });
