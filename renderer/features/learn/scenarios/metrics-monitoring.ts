// Metrics collection and monitoring: the metrics workload publishes what the console's metrics
// collector reads from every node's own /metrics endpoint (bytes in and out, requests,
// under-replicated partitions ...) to demo.metrics, keyed by node, and its "dashboard" group
// reads them back like any data. Checks read demo.metrics since the run started and the group's
// committed offsets. It creates no learn.* topic: demo.metrics belongs to the workload (reset
// stops the workload and leaves its topic, as the Workloads screen would).
import type { LearnContext, Scenario } from '../scenario.ts';
import { readSince, running, startWorkload, stopWorkload } from './workload-steps.ts';

export const METRICS_TOPIC = 'demo.metrics';
export const METRICS_GROUP = 'demo.metrics.dashboard';
const RATE = 6;

async function nodesSeen(ctx: LearnContext) {
  const r = await running(ctx, 'metrics');
  if ('not' in r) return r.not;
  const nodes = (await ctx.api('clusterState', { clusterId: ctx.clusterId })).nodes.filter((n) => n.state === 'running').map((n) => n.id);
  const byKey = new Map<string, { bytesIn: number | null }>();
  for (const m of (await readSince(ctx, METRICS_TOPIC, r.run.startedAt)).sort((a, b) => a.timestamp - b.timestamp)) {
    const metrics = m.value?.metrics;
    const bytesIn = typeof metrics === 'object' && metrics !== null && 'bytesIn' in metrics && typeof metrics.bytesIn === 'number' ? metrics.bytesIn : null;
    if (m.key) byKey.set(m.key, { bytesIn });
  }
  const missing = nodes.filter((n) => !byKey.has(`node-${n}`));
  const seen = [...byKey].map(([k, x]) => `${k} ${x.bytesIn === null ? 'no bytes in yet' : `${Math.round(x.bytesIn)} B/s in`}`).join(', ');
  return {
    done: nodes.length > 0 && missing.length === 0,
    observed: missing.length ? `${METRICS_TOPIC} has no message of node(s) ${missing.join(', ')} yet${seen ? ` (seen: ${seen})` : ''}.` : `${METRICS_TOPIC} has the latest metrics of every node: ${seen}.`,
  };
}

export const metricsMonitoring: Scenario = {
  id: 'metrics-monitoring',
  title: 'Metrics collection and monitoring',
  concept: 'Monitoring data is a stream like any other: each node publishes its own metrics to a topic, and any consumer can read, store or alert on them.',
  creates: { topics: [], groups: [] },
  steps: [
    {
      id: 'start',
      title: 'Publish the nodes’ metrics',
      text: `Start the node metrics workload on the “Workloads” screen, or let the app start it. It writes what each node reports about itself, bytes in and out, requests and under-replicated partitions, as a JSON message keyed by node to ${METRICS_TOPIC}.`,
      target: { screen: '/workloads', name: 'workload-start:metrics' },
      action: { label: 'Start the metrics workload', run: (ctx) => startWorkload(ctx, 'metrics', RATE) },
      check: nodesSeen,
    },
    {
      id: 'dashboard',
      title: 'Read them like any data',
      text: `The group ${METRICS_GROUP} reads ${METRICS_TOPIC} like any other topic and keeps the latest figures per node. Its “Offsets and lag” table shows a committed offset for every partition, as for any consumer group.`,
      target: { screen: `/groups/${encodeURIComponent(METRICS_GROUP)}`, name: 'group-offsets' },
      action: null,
      check: async (ctx) => {
        const g = await ctx.api('groupDetail', { clusterId: ctx.clusterId, groupId: METRICS_GROUP });
        const os = g.offsets.filter((o) => o.topic === METRICS_TOPIC);
        const committed = os.filter((o) => (o.committed ?? 0) > 0).length;
        const lag = os.reduce((n, o) => n + (o.lag ?? 0), 0);
        return {
          done: g.state === 'STABLE' && g.members.length === 1 && committed > 0 && os.every((o) => (o.endOffset ?? 0) === 0 || o.committed !== null),
          observed: `${METRICS_GROUP} is ${g.state} with ${g.members.length} member(s), ${committed} of ${os.length} partition(s) with a committed offset, lag ${lag}.`,
        };
      },
    },
  ],
  cleanup: (ctx) => stopWorkload(ctx, 'metrics'),
};
