// What one demo workload is: the topic it writes, how its n-th message looks, and (optionally)
// the consumer group that reads the topic back and what it computes from it. The runner
// (runner.ts) owns the clients, the rate and the lifecycle; a workload file only makes data.
import type { SeriesMeta } from '../../contract/metrics.ts';
import type { WorkloadName } from '../../contract/workloads.ts';

export interface DemoMessage {
  key: string;
  value: Record<string, unknown>;
}

/** The consumer side's state for one run, fed every message the group reads. A stream processor
 *  returns the messages it derives, which the runner writes to the workload's output topic. */
export interface WorkloadReader {
  read(key: string | null, value: unknown, timestamp: number): DemoMessage[] | void;
  /** What it computed, in words, for the Workloads screen. */
  summary(now: number): string;
}

/** The console's latest metrics point of the cluster a run writes to (metrics-collector.ts). */
export interface LatestMetrics {
  /** The tick's time, ms since the epoch. */
  t: number;
  source: 'node-metrics' | 'kafka-api';
  series: { meta: SeriesMeta; v: number }[];
}

/** What a workload may see of the cluster besides its topics, read when it makes a message. */
export interface WorkloadEnv {
  /** The latest metrics point; null before the first one (or without a collector). */
  metrics(): LatestMetrics | null;
}

export interface Workload {
  name: WorkloadName;
  title: string;
  description: string;
  topic: string;
  partitions: number;
  /** The n-th message of a run (n from 0); runId (8 hex digits) is fresh per run. null: nothing
   *  to send yet (the metrics workload before the collector's first point). */
  message(n: number, now: number, runId: string, env: WorkloadEnv): DemoMessage | null;
  /** It reads the cluster's metrics (env.metrics()): the runner refuses to start it without a collector. */
  usesMetrics?: boolean;
  /** The consumer group reading the topic back, with a fresh reader per run. */
  reader?: WorkloadStage;
  /** Further stages of a pipeline: each reads the output topic of the stage before it (which must have one). */
  next?: WorkloadStage[];
}

/** A consumer group reading a topic (the workload's, or the stage before's output) and, for a
 *  stream processor, writing what its reader derives to `output`. */
export interface WorkloadStage {
  group: string;
  create(): WorkloadReader;
  output?: string;
}

/** Picks from weighted choices: [[value, weight], ...]. */
export function weighted<T>(choices: readonly (readonly [T, number])[], r = Math.random()): T {
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [v, w] of choices) {
    x -= w;
    if (x < 0) return v;
  }
  return choices[choices.length - 1][0];
}

export const pick = <T>(xs: readonly T[], r = Math.random()): T => xs[Math.floor(r * xs.length) % xs.length];

/** The JSON object a reader gets, or null for anything else (another producer's bytes). */
export const asRecord = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : null;
