// Metrics collection and monitoring: the metrics workload publishes what the console's metrics
// collector reads from every node's own /metrics endpoint (bytes in and out, requests,
// under-replicated partitions ...) to demo.metrics, keyed by node, and its "dashboard" group
// reads them back like any data. Checks read demo.metrics since the run started and the group's
// committed offsets. It creates no learn.* topic: demo.metrics belongs to the workload (reset
// stops the workload and leaves its topic, as the Workloads screen would).
import type { LearnContext, Scenario } from '../scenario.ts';
import { decodeText } from './common.ts';
import { messagesSince, startWorkload, stopWorkload, workloadStats } from './workload-steps.ts';

export const METRICS_TOPIC = 'demo.metrics';
export const METRICS_GROUP = 'demo.metrics.dashboard';
const RATE = 6;

async function nodesSeen(ctx: LearnContext) {
  const w = await workloadStats(ctx, 'metrics');
  if (w.state !== 'running' || w.startedAt === null) return { done: false, observed: `The metrics workload is ${w.state}.` };
  const nodes = (await ctx.api('clusterState', { clusterId: ctx.clusterId })).nodes.filter((n) => n.state === 'running').map((n) => n.id);
  const byKey = new Map<string, { bytesIn: number | null }>();
  for (const m of await messagesSince(ctx, METRICS_TOPIC, w.startedAt)) {
    const key = decodeText(m.key);
    const v: unknown = JSON.parse(decodeText(m.value) ?? 'null');
    const bytesIn = typeof v === 'object' && v !== null && 'metrics' in v && typeof v.metrics === 'object' && v.metrics !== null && 'bytesIn' in v.metrics && typeof v.metrics.bytesIn === 'number' ? v.metrics.bytesIn : null;
    if (key) byKey.set(key, { bytesIn });
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
      target: { screen: '/workloads', name: 'workload:metrics' },
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
