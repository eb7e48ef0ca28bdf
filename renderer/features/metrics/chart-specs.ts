// The charts of each screen: which series of the view's data each one draws, and their names.
import { scopeOf, type Metric, type SeriesMeta, type Unit } from '../../../main/contract/index.ts';
import type { ChartSpec } from './metric-chart.tsx';

const NAMES: Partial<Record<Metric, string>> = {
  bytesIn: 'in',
  bytesOut: 'out',
  produceP99: 'produce p99',
  fetchP99: 'fetch p99',
  underReplicated: 'under-replicated',
  offline: 'offline',
  lag: 'total',
};

const byNode = (m: SeriesMeta) => (m.node === null ? 'cluster' : `node ${m.node}`);
const byName = (m: SeriesMeta) => NAMES[m.metric] ?? m.metric;

function chart(id: string, title: string, unit: Unit, metrics: Metric[], scopes: string[], label: (m: SeriesMeta) => string): ChartSpec {
  return { id, title, unit, metrics, pick: (m) => metrics.includes(m.metric) && scopes.includes(scopeOf(m)), label };
}

export const OVERVIEW_CHARTS: ChartSpec[] = [
  chart('cluster-bytes', 'Bytes in / out', 'B/s', ['bytesIn', 'bytesOut'], ['cluster'], byName),
  chart('messages-in', 'Messages in', 'msg/s', ['messagesIn'], ['cluster', 'node'], byNode),
  chart('bytes-in-nodes', 'Bytes in per node', 'B/s', ['bytesIn'], ['node'], byNode),
  chart('bytes-out-nodes', 'Bytes out per node', 'B/s', ['bytesOut'], ['node'], byNode),
  chart('latency', 'Request latency p99', 'ms', ['produceP99', 'fetchP99'], ['cluster'], byName),
  chart('replication', 'Under-replicated and offline partitions', 'count', ['underReplicated', 'offline'], ['cluster'], byName),
  chart('cpu', 'CPU per node', '%', ['cpu'], ['node'], byNode),
  chart('rss', 'Memory (RSS) per node', 'B', ['rss'], ['node'], byNode),
];

/** The Cluster screen's Nodes charts: the view `nodes` sends only per-node series. */
export const NODE_CHARTS: ChartSpec[] = [
  chart('node-cpu', 'CPU', '%', ['cpu'], ['node'], byNode),
  chart('node-rss', 'Memory (RSS)', 'B', ['rss'], ['node'], byNode),
  chart('node-event-loop', 'Event-loop delay p99', 'ms', ['eventLoopP99'], ['node'], byNode),
  chart('node-requests', 'Requests', 'req/s', ['requests'], ['node'], byNode),
  chart('node-leaders', 'Partition leaders', 'count', ['leaders'], ['node'], byNode),
  chart('node-partitions', 'Partition replicas', 'count', ['partitions'], ['node'], byNode),
];

const byPartition = (m: SeriesMeta) => `partition ${m.partition}`;

export const TOPIC_CHARTS: ChartSpec[] = [
  chart('topic-bytes', 'Bytes in / out', 'B/s', ['bytesIn', 'bytesOut'], ['topic'], byName),
  chart('topic-messages', 'Messages in per partition', 'msg/s', ['messagesIn'], ['partition'], byPartition),
  chart('topic-bytes-partitions', 'Bytes in per partition', 'B/s', ['bytesIn'], ['partition'], byPartition),
  chart('topic-bytes-out-partitions', 'Bytes out per partition', 'B/s', ['bytesOut'], ['partition'], byPartition),
];

export const GROUP_CHARTS: ChartSpec[] = [
  chart('lag', 'Consumer lag', 'count', ['lag'], ['group', 'groupPartition'], (m) => (m.partition === null ? 'total' : `${m.topic}/${m.partition}`)),
  chart('consume-rate', 'Consumption', 'msg/s', ['consumeRate'], ['group'], () => 'committed per second'),
];
