// What the console needs from one scrape of one node's /metrics (names in docs/metrics.md),
// picked out of the parsed text once, so that deriving rates never looks at text again.
// Counters are kept as read (they restart at 0 with the node); the node's own uptime is kept
// too, so rates are measured over the node's clock and a restart is recognised by it.
import { pkey, type PartitionKey } from '../kafka/offsets.ts';
import type { PromSample } from './metrics-prom-text.ts';

export interface HistogramReading {
  /** finite upper bounds, increasing */
  bounds: number[];
  /** cumulative counts per bound, +Inf last */
  cumulative: number[];
}

export interface NodeReading {
  /** seconds the node process has run (samsa_process_uptime_seconds) */
  uptime: number | null;
  /** process start, seconds since the epoch: changes when the node restarts */
  startTime: number | null;
  bytesIn: Map<PartitionKey, number>;
  bytesOut: Map<PartitionKey, number>;
  messagesIn: Map<PartitionKey, number>;
  requests: number;
  cpuSeconds: number | null;
  produceTime: HistogramReading | null;
  fetchTime: HistogramReading | null;
  gauges: {
    rss: number | null;
    heapUsed: number | null;
    eventLoopP99: number | null;
    connections: number | null;
    leaders: number | null;
    partitions: number | null;
    underReplicated: number | null;
    offline: number | null;
  };
  /** bytes of every partition log on this node */
  diskBytes: number;
  /** high watermark of the partitions this node leads */
  leaderHighWatermark: Map<PartitionKey, number>;
  /** committed offsets of the groups this node coordinates */
  committed: Map<string, Map<PartitionKey, number>>;
  generation: Map<string, number>;
}

const PRODUCE = 'Produce';
/** Consumer fetches only: follower fetches wait for data by design and would swamp the tail. */
const FETCH = 'FetchConsumer';

function histogram(bucketsByLe: Map<string, number> | undefined): HistogramReading | null {
  if (!bucketsByLe || !bucketsByLe.has('+Inf')) return null;
  const finite = [...bucketsByLe].filter(([le]) => le !== '+Inf').map(([le, c]) => [Number(le), c] as const);
  finite.sort((a, b) => a[0] - b[0]);
  return { bounds: finite.map(([b]) => b), cumulative: [...finite.map(([, c]) => c), bucketsByLe.get('+Inf')!] };
}

export function readNode(samples: PromSample[]): NodeReading {
  const r: NodeReading = {
    uptime: null,
    startTime: null,
    bytesIn: new Map(),
    bytesOut: new Map(),
    messagesIn: new Map(),
    requests: 0,
    cpuSeconds: null,
    produceTime: null,
    fetchTime: null,
    gauges: { rss: null, heapUsed: null, eventLoopP99: null, connections: null, leaders: null, partitions: null, underReplicated: null, offline: null },
    diskBytes: 0,
    leaderHighWatermark: new Map(),
    committed: new Map(),
    generation: new Map(),
  };
  const hw = new Map<PartitionKey, number>();
  const leads = new Set<PartitionKey>();
  const buckets = new Map<string, Map<string, number>>();
  const g = r.gauges;
  for (const s of samples) {
    const l = s.labels;
    const tp = () => pkey(l.topic, Number(l.partition));
    switch (s.name) {
      case 'samsa_process_uptime_seconds':
        r.uptime = s.value;
        break;
      case 'process_start_time_seconds':
        r.startTime = s.value;
        break;
      case 'kafka_server_brokertopicmetrics_bytesin_total':
        r.bytesIn.set(tp(), s.value);
        break;
      case 'kafka_server_brokertopicmetrics_bytesout_total':
        r.bytesOut.set(tp(), s.value);
        break;
      case 'kafka_server_brokertopicmetrics_messagesin_total':
        r.messagesIn.set(tp(), s.value);
        break;
      case 'kafka_network_requestmetrics_requests_total':
        r.requests += s.value;
        break;
      case 'process_cpu_seconds_total':
        r.cpuSeconds = s.value;
        break;
      case 'kafka_network_requestmetrics_totaltimems_bucket':
        if (l.request === PRODUCE || l.request === FETCH) {
          let m = buckets.get(l.request);
          if (!m) buckets.set(l.request, (m = new Map()));
          m.set(l.le, s.value);
        }
        break;
      case 'process_resident_memory_bytes':
        g.rss = s.value;
        break;
      case 'nodejs_heap_size_used_bytes':
        g.heapUsed = s.value;
        break;
      case 'samsa_eventloop_delay_p99_seconds':
        g.eventLoopP99 = s.value * 1000;
        break;
      case 'kafka_server_socket_server_metrics_connection_count':
        g.connections = (g.connections ?? 0) + s.value;
        break;
      case 'kafka_server_replicamanager_leadercount':
        g.leaders = s.value;
        break;
      case 'kafka_server_replicamanager_partitioncount':
        g.partitions = s.value;
        break;
      case 'kafka_server_replicamanager_underreplicatedpartitions':
        g.underReplicated = s.value;
        break;
      case 'kafka_controller_kafkacontroller_offlinepartitionscount':
        g.offline = s.value;
        break;
      case 'kafka_log_log_size':
        r.diskBytes += s.value;
        break;
      case 'samsa_partition_highwatermark':
        hw.set(tp(), s.value);
        break;
      case 'samsa_partition_leader':
        if (s.value === 1) leads.add(tp());
        break;
      case 'kafka_consumergroup_current_offset': {
        let m = r.committed.get(l.consumergroup);
        if (!m) r.committed.set(l.consumergroup, (m = new Map()));
        m.set(tp(), s.value);
        break;
      }
      case 'samsa_group_generation':
        r.generation.set(l.consumergroup, s.value);
        break;
    }
  }
  for (const k of leads) {
    const v = hw.get(k);
    if (v !== undefined) r.leaderHighWatermark.set(k, v);
  }
  r.produceTime = histogram(buckets.get(PRODUCE));
  r.fetchTime = histogram(buckets.get(FETCH));
  return r;
}
