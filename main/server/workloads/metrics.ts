// Metrics: the nodes' own metrics published as data. Each message is what the console's metrics
// collector (decision 0012) saw last of one node: for the bundled nodes their Prometheus
// endpoints read once a second (bytes in/out, messages in and requests per second,
// under-replicated partitions, leaders, partitions, connections, disk bytes, produce/fetch p99,
// process figures); for a remote cluster what Kafka requests tell every 5 s. Keyed by node, one
// node after the other at the workload's rate, so a fast rate repeats the latest point rather
// than inventing values; nothing is sent before the collector's first point. The "dashboard"
// group reads them back like any data and keeps the latest figures per node.
import { METRIC_UNIT, scopeOf, type Metric } from '../../contract/metrics.ts';
import { asRecord, type DemoMessage, type LatestMetrics, type Workload, type WorkloadReader } from './workload.ts';

export const METRICS_TOPIC = 'demo.metrics';

export interface NodeMetricsValue {
  node: number;
  /** When the collector sampled it (ISO time) and how (node-metrics, kafka-api). */
  sampledAt: string;
  source: LatestMetrics['source'];
  /** Every node series of that point, by metric name; units in `units`. */
  metrics: Partial<Record<Metric, number>>;
  units: Partial<Record<Metric, string>>;
}

/** The latest point's node-scoped series, by node, nodes in id order. */
export function nodeMetrics(latest: LatestMetrics): NodeMetricsValue[] {
  const byNode = new Map<number, NodeMetricsValue>();
  for (const { meta, v } of latest.series) {
    if (scopeOf(meta) !== 'node' || meta.node === null) continue;
    let n = byNode.get(meta.node);
    if (!n) byNode.set(meta.node, (n = { node: meta.node, sampledAt: new Date(latest.t).toISOString(), source: latest.source, metrics: {}, units: {} }));
    n.metrics[meta.metric] = v;
    n.units[meta.metric] = METRIC_UNIT[meta.metric];
  }
  return [...byNode.values()].sort((a, b) => a.node - b.node);
}

const kb = (bytesPerSec: number | undefined) => (bytesPerSec === undefined ? 'n/a' : `${(bytesPerSec / 1024).toFixed(1)} KB/s`);

class Dashboard implements WorkloadReader {
  readonly #latest = new Map<string, { bytesIn?: number; underReplicated?: number }>();

  read(key: string | null, value: unknown): void {
    const v = asRecord(value);
    const m = asRecord(v?.metrics);
    if (!key || !m) return;
    const num = (x: unknown) => (typeof x === 'number' ? x : undefined);
    this.#latest.set(key, { bytesIn: num(m.bytesIn), underReplicated: num(m.underReplicated) });
  }

  summary(): string {
    if (this.#latest.size === 0) return 'no node metrics read yet';
    const nodes = [...this.#latest].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    const ur = nodes.reduce((s, [, x]) => s + (x.underReplicated ?? 0), 0);
    return `latest bytes in: ${nodes.map(([k, x]) => `${k} ${kb(x.bytesIn)}`).join(', ')} · ${ur} under-replicated`;
  }
}

export const metrics: Workload = {
  name: 'metrics',
  title: 'Node metrics',
  description: `The nodes' own metrics (bytes in and out, request rate, under-replicated partitions, leaders ...) as JSON messages keyed by node; the "dashboard" group reads them back and keeps the latest per node.`,
  topic: METRICS_TOPIC,
  partitions: 3,
  usesMetrics: true,
  message(n, _now, _runId, env): DemoMessage | null {
    const latest = env.metrics();
    const nodes = latest ? nodeMetrics(latest) : [];
    if (nodes.length === 0) return null;
    const node = nodes[n % nodes.length];
    return { key: `node-${node.node}`, value: { ...node } };
  },
  reader: { group: 'demo.metrics.dashboard', create: () => new Dashboard() },
};
