// What the durability and throughput scenarios share about the Workloads screen's producer lab:
// its stats, starting and stopping it, finding a run's producer by label (a check only counts
// the run it asked for: the lab keeps its last run after a stop), and a producer's figures in
// words. The lab's topics are the scenario's own learn.* topics, deleted by its reset.
import {
  acksText,
  type ProducerLabStart,
  type ProducerLabStats,
  type ProducerStats,
} from '../../../../main/contract/index.ts';
import type { LearnContext } from '../scenario.ts';

export const labStats = (ctx: LearnContext) => ctx.api('producerLab', { clusterId: ctx.clusterId });
export const startLab = (ctx: LearnContext, req: ProducerLabStart) =>
  ctx.api('producerLabStart', { clusterId: ctx.clusterId }, req).then(() => undefined);
export const stopLab = (ctx: LearnContext) =>
  ctx.api('producerLabStop', { clusterId: ctx.clusterId }, {}).then(() => undefined);

const LIVE = new Set<ProducerLabStats['state']>(['starting', 'running', 'stopping', 'verifying']);
export const labLive = (s: ProducerLabStats) => LIVE.has(s.state);

/** The run's producers by label when the lab's current run has exactly `labels`, else null (another run). */
export function runOf(s: ProducerLabStats, labels: string[]): Map<string, ProducerStats> | null {
  if (s.producers.length !== labels.length || !labels.every((l) => s.producers.some((p) => p.settings.label === l)))
    return null;
  return new Map(s.producers.map((p) => [p.settings.label, p]));
}

/** The producer of `label` in a run `runOf` found; throws when missing (a check that throws is not done). */
export function producer(run: Map<string, ProducerStats>, label: string): ProducerStats {
  const p = run.get(label);
  if (!p) throw new Error(`The producer lab has no producer ${label}.`);
  return p;
}

export const recordsPerRequest = (p: ProducerStats) => (p.requests === 0 ? 0 : p.acked / p.requests);
const one = (v: number) => (Math.round(v * 10) / 10).toString();

/** "acks=all: 1200 sent, 1200 acknowledged, 0 failed" plus the errors by name. */
export function counts(p: ProducerStats): string {
  const errors = Object.entries(p.errors).map(([code, n]) => `${n} ${code}`);
  return `${p.settings.label} (acks=${acksText(p.settings.acks)}): ${p.sent} sent, ${p.acked} acknowledged, ${p.failed} failed${errors.length ? ` (${errors.join(', ')})` : ''}`;
}

/** MB/s over the run, records per request and the latency percentiles. */
export function speed(p: ProducerStats, runMs: number): string {
  const mbps = runMs > 0 ? p.ackedBytes / 1e6 / (runMs / 1000) : 0;
  return `${p.settings.label}: ${one(mbps)} MB/s, ${one(recordsPerRequest(p))} records per request, ack latency p50 ${p.p50Ms ?? '—'} ms, p99 ${p.p99Ms ?? '—'} ms`;
}

/** How long the run produced, ms (to its stop, or to now while it runs). */
export const runMs = (s: ProducerLabStats) => (s.startedAt === null ? 0 : (s.stoppedAt ?? Date.now()) - s.startedAt);
