// Where the bundled cluster's nodes serve /metrics. The collector reads `current()` every tick,
// so it must be cheap: it maps a node list kept fresh elsewhere, either the console server's
// BundledCluster (cluster-control.ts: it lists the nodes again after each supervisor event, so a
// restarted node on a new metrics port is scraped from its first seconds) or a supervisor in
// this very process (tests).
import type { NodeStatus } from '../contract/control.ts';

export interface MetricsTarget {
  node: number;
  url: string;
}

export interface MetricsTargets {
  current(): MetricsTarget[];
}

const toTargets = (nodes: Pick<NodeStatus, 'id' | 'metricsUrl'>[]): MetricsTarget[] =>
  nodes.flatMap((n) => (n.metricsUrl ? [{ node: n.id, url: n.metricsUrl }] : []));

export function targetsFromNodes(nodes: () => Pick<NodeStatus, 'id' | 'metricsUrl'>[]): MetricsTargets {
  return { current: () => toTargets(nodes()) };
}
