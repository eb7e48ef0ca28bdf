// The node's Prometheus exposition: a prom-client registry whose every metric is sampled when
// /metrics is scraped, from the hot-path meters (meters.ts) and the broker state (source.ts),
// plus process metrics under the standard client-library names (CPU, RSS, heap, open files) and
// the event-loop delay since the previous scrape (perf_hooks.monitorEventLoopDelay, without its
// 10 ms sampling interval). One scrape reads the broker once (a snapshot shared by all metrics)
// and costs O(partitions + request types), nothing on the hot path, so a collector may scrape
// every second. Names map Kafka's MBeans the way the
// Prometheus JMX exporter's Kafka rules do (kafka_<domain>_<type>_<name>, lower case, `PerSec`
// dropped, `_total` for counters); metrics Kafka does not have start with `samsa_`, and those
// from kafka_exporter (consumer group offsets) keep its names. docs/metrics.md is the table.

import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram as PromHistogram, Registry } from 'prom-client';
import type { Histogram } from './histogram.ts';
import { errorName, type ErrorCounts, type NodeMeters, type PartitionMeters } from './meters.ts';
import type { ClusterSnapshot, GroupsSnapshot, MetricsSource, PartitionSnapshot, QuorumSnapshot, ReplicationSnapshot } from './source.ts';

type Labels = Record<string, string | number>;
type Sample = readonly [Labels, number];

/** What one scrape reads, once, before prom-client asks each metric for its values. */
interface Snapshot {
  partitions: PartitionSnapshot[];
  /** Hosted partitions and partitions with meters: the label set of the topic counters. */
  topicRows: { topic: string; partition: number; m: PartitionMeters | undefined }[];
  cluster: ClusterSnapshot;
  quorum: QuorumSnapshot | undefined;
  groups: GroupsSnapshot;
  replication: ReplicationSnapshot;
  offlineLogDirs: number;
  process: { cpu: NodeJS.CpuUsage; memory: NodeJS.MemoryUsage; openFds: number | undefined };
  /** Event-loop delay quantiles in seconds since the previous scrape. */
  eventLoop: { p50: number; p99: number; max: number };
}

/** monitorEventLoopDelay samples every ELD_RESOLUTION_MS and records the interval between samples. */
const ELD_RESOLUTION_MS = 10;

const GROUP_STATES = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty'] as const;
const RAFT_STATES = ['leader', 'candidate', 'voted', 'follower', 'unattached', 'observer'] as const;

function openFds(): number | undefined {
  try {
    return fs.readdirSync('/proc/self/fd').length - 1; // minus the one readdir itself holds
  } catch {
    return undefined;
  }
}

/** A histogram whose buckets live in our hot-path Histogram objects, rendered by prom-client. */
class BucketHistogram extends PromHistogram<'request'> {
  constructor(
    registry: Registry,
    private readonly metric: string,
    private readonly helpText: string,
    private readonly rows: () => Iterable<[Labels, Histogram]>,
  ) {
    super({ name: metric, help: helpText, labelNames: ['request'], registers: [registry] });
  }

  /** What prom-client's registry formats (its own get() goes through it too). */
  async getForPromString() {
    const values: { metricName: string; labels: Labels; value: number }[] = [];
    for (const [labels, h] of this.rows()) {
      const cumulative = h.cumulative();
      h.bounds.forEach((le, i) => values.push({ metricName: `${this.metric}_bucket`, labels: { ...labels, le }, value: cumulative[i] }));
      values.push({ metricName: `${this.metric}_bucket`, labels: { ...labels, le: '+Inf' }, value: h.count });
      values.push({ metricName: `${this.metric}_sum`, labels, value: h.sum });
      values.push({ metricName: `${this.metric}_count`, labels, value: h.count });
    }
    return { name: this.metric, help: this.helpText, type: 'histogram', values, aggregator: 'sum' };
  }
}

export interface Exposition {
  readonly contentType: string;
  /** The Prometheus text of every metric; scrapes are serialized. */
  scrape(): Promise<string>;
  close(): void;
}

/** `listener`: the broker listener's name, the label of the socket-server metrics (Kafka names a
 *  listener after its security protocol unless told otherwise: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL). */
export function createExposition(meters: NodeMeters, source: MetricsSource, listenerName = 'PLAINTEXT'): Exposition {
  const registry = new Registry();
  let snap: Snapshot | undefined;
  const now = (): Snapshot => {
    if (!snap) throw new Error('metrics sampled outside a scrape');
    return snap;
  };

  type Samples = (s: Snapshot) => Iterable<Sample> | number;
  /** Hands each sample of this scrape to `put`; a plain number is the one unlabelled value. */
  const sample = (samples: Samples, put: (labels: Labels, value: number) => void) => {
    const v = samples(now());
    if (typeof v === 'number') put({}, v);
    else for (const [labels, value] of v) put(labels, value);
  };
  const gauge = (name: string, help: string, labelNames: string[], samples: Samples) =>
    new Gauge({ name, help, labelNames, registers: [registry], collect() {
      this.reset();
      sample(samples, (l, v) => this.set(l, v));
    } });
  const counter = (name: string, help: string, labelNames: string[], samples: Samples) =>
    new Counter({ name, help, labelNames, registers: [registry], collect() {
      this.reset();
      sample(samples, (l, v) => this.inc(l, v));
    } });

  const tp = ['topic', 'partition'];
  const perRow = (f: (m: PartitionMeters) => number) => (s: Snapshot) =>
    s.topicRows.map(({ topic, partition, m }): Sample => [{ topic, partition }, m ? f(m) : 0]);
  const perError = (f: (m: PartitionMeters) => ErrorCounts) => (s: Snapshot) =>
    s.topicRows.flatMap(({ topic, partition, m }) =>
      m ? [...f(m).entries()].map(([code, n]): Sample => [{ topic, partition, error: errorName(code) }, n]) : [],
    );
  const perPartition = (f: (p: PartitionSnapshot) => number) => (s: Snapshot) =>
    s.partitions.map((p): Sample => [{ topic: p.topic, partition: p.partition }, f(p)]);
  const count = (f: (p: PartitionSnapshot) => boolean) => (s: Snapshot) => s.partitions.filter(f).length;
  const led = (p: PartitionSnapshot) => (p.leader ? 1 : 0);

  // ---- kafka.server:type=BrokerTopicMetrics (per partition here; Kafka: per topic)
  const btm = 'kafka_server_brokertopicmetrics_';
  counter(`${btm}bytesin_total`, 'Produced batch bytes appended as leader (BytesInPerSec; replication excluded).', tp, perRow((m) => m.bytesIn));
  counter(`${btm}bytesout_total`, 'Record bytes sent to consumers (BytesOutPerSec; replication excluded).', tp, perRow((m) => m.bytesOut));
  counter(`${btm}messagesin_total`, 'Records appended as leader (MessagesInPerSec).', tp, perRow((m) => m.messagesIn));
  counter(`${btm}totalproducerequests_total`, 'Produce requests per partition named in them (TotalProduceRequestsPerSec).', tp, perRow((m) => m.produceRequests));
  counter(`${btm}totalfetchrequests_total`, 'Fetch requests per partition named in them, followers included (TotalFetchRequestsPerSec).', tp, perRow((m) => m.fetchRequests));
  counter(`${btm}failedproducerequests_total`, 'Partitions of produce requests answered with an error, by error (FailedProduceRequestsPerSec).', [...tp, 'error'], perError((m) => m.failedProduce));
  counter(`${btm}failedfetchrequests_total`, 'Partitions of fetch requests answered with an error, by error (FailedFetchRequestsPerSec).', [...tp, 'error'], perError((m) => m.failedFetch));
  counter(`${btm}replicationbytesin_total`, 'Bytes appended as follower, fetched from leaders (ReplicationBytesInPerSec).', [], (s) => s.replication.bytesIn);
  counter(`${btm}replicationbytesout_total`, 'Record bytes sent to follower fetches (ReplicationBytesOutPerSec).', [], () => meters.replicationBytesOut);

  // ---- kafka.log:type=Log and partition state, every replica hosted here
  gauge('kafka_log_log_size', 'Bytes of all segments of the partition (Log Size).', tp, perPartition((p) => p.size));
  gauge('kafka_log_log_logstartoffset', 'First offset in the partition (Log LogStartOffset).', tp, perPartition((p) => p.logStartOffset));
  gauge('kafka_log_log_logendoffset', 'Offset the next record gets (Log LogEndOffset).', tp, perPartition((p) => p.logEndOffset));
  gauge('samsa_partition_highwatermark', "The replica's high watermark: offsets below it are committed.", tp, perPartition((p) => p.highWatermark));
  gauge('samsa_partition_leader', '1 when this node leads the partition, 0 on a follower.', tp, perPartition(led));
  const cp = 'kafka_cluster_partition_';
  gauge(`${cp}underreplicated`, '1 when led here with fewer in-sync replicas than replicas (Partition UnderReplicated).', tp, perPartition((p) => (p.leader && p.isr < p.replicas ? 1 : 0)));
  gauge(`${cp}insyncreplicascount`, 'ISR size, on the leader; 0 on followers (Partition InSyncReplicasCount).', tp, perPartition((p) => (p.leader ? p.isr : 0)));
  gauge(`${cp}replicascount`, 'Replication factor, on the leader; 0 on followers (Partition ReplicasCount).', tp, perPartition((p) => (p.leader ? p.replicas : 0)));
  gauge(`${cp}underminisr`, '1 when led here with an ISR below min.insync.replicas (Partition UnderMinIsr).', tp, perPartition((p) => (p.leader && p.isr < p.minIsr ? 1 : 0)));
  gauge(`${cp}atminisr`, '1 when led here with an ISR of exactly min.insync.replicas (Partition AtMinIsr).', tp, perPartition((p) => (p.leader && p.isr === p.minIsr ? 1 : 0)));

  gauge('kafka_log_logmanager_offlinelogdirectorycount', 'Log directories offline after a storage error, until the node restarts (LogManager OfflineLogDirectoryCount).', [], (s) => s.offlineLogDirs);

  // ---- kafka.server:type=ReplicaManager and follower lag
  const rm = 'kafka_server_replicamanager_';
  gauge(`${rm}leadercount`, 'Partitions led by this node (LeaderCount).', [], count((p) => p.leader));
  gauge(`${rm}partitioncount`, 'Partition replicas hosted by this node (PartitionCount).', [], (s) => s.partitions.length);
  gauge(`${rm}underreplicatedpartitions`, 'Partitions led here with ISR smaller than the replicas (UnderReplicatedPartitions).', [], count((p) => p.leader && p.isr < p.replicas));
  gauge(`${rm}underminisrpartitioncount`, 'Partitions led here with ISR below min.insync.replicas (UnderMinIsrPartitionCount).', [], count((p) => p.leader && p.isr < p.minIsr));
  gauge(`${rm}atminisrpartitioncount`, 'Partitions led here with ISR equal to min.insync.replicas (AtMinIsrPartitionCount).', [], count((p) => p.leader && p.isr === p.minIsr));
  counter(`${rm}isrshrinks_total`, 'Committed ISR shrinks of partitions led here (IsrShrinksPerSec).', [], (s) => s.replication.isrShrinks);
  counter(`${rm}isrexpands_total`, 'Committed ISR expansions of partitions led here (IsrExpandsPerSec).', [], (s) => s.replication.isrExpands);
  const lag = ['topic', 'partition', 'replica'];
  const followers = (f: (l: PartitionSnapshot['followers'][number]) => number) => (s: Snapshot) =>
    s.partitions.flatMap((p) => p.followers.map((l): Sample => [{ topic: p.topic, partition: p.partition, replica: l.replicaId }, f(l)]));
  gauge('kafka_server_fetcherlagmetrics_consumerlag', "Records a follower is behind the leader's log end, reported by the leader (FetcherLagMetrics ConsumerLag).", lag, followers((l) => l.messages));
  gauge('samsa_replica_follower_lag_ms', 'Time since the follower was last caught up with the leader, 0 while it is.', lag, followers((l) => l.ms));

  // ---- kafka.controller:type=KafkaController and the metadata quorum (kafka.server:type=raft-metrics)
  const kc = 'kafka_controller_kafkacontroller_';
  gauge(`${kc}activecontrollercount`, '1 on the quorum leader, the active controller (ActiveControllerCount).', [], (s) => (s.quorum ? (s.quorum.state === 'leader' ? 1 : 0) : 1));
  gauge(`${kc}offlinepartitionscount`, 'Partitions of non-internal topics without a leader (OfflinePartitionsCount).', [], (s) => s.cluster.offlinePartitions);
  gauge(`${kc}globaltopiccount`, 'Topics in the metadata (GlobalTopicCount).', [], (s) => s.cluster.topics);
  gauge(`${kc}globalpartitioncount`, 'Partitions in the metadata (GlobalPartitionCount).', [], (s) => s.cluster.partitions);
  counter(`${kc}newactivecontrollers_total`, 'Times this node has seen a new quorum leader elected (NewActiveControllersCount).', [], (s) => s.quorum?.newActiveControllers ?? 0);
  const raft = 'kafka_server_raft_metrics_';
  const quorum = (f: (q: QuorumSnapshot) => number) => (s: Snapshot) => (s.quorum ? [[{}, f(s.quorum)] as const] : []);
  gauge(`${raft}current_state`, "1 for this node's Raft state (raft-metrics current-state).", ['state'], (s) =>
    s.quorum ? RAFT_STATES.map((st): Sample => [{ state: st }, s.quorum?.state === st ? 1 : 0]) : [],
  );
  gauge(`${raft}current_leader`, 'The quorum leader id, -1 when unknown (raft-metrics current-leader).', [], quorum((q) => q.leaderId));
  gauge(`${raft}current_epoch`, 'The quorum epoch (raft-metrics current-epoch).', [], quorum((q) => q.epoch));
  gauge(`${raft}high_watermark`, 'Committed offset of the metadata log (raft-metrics high-watermark).', [], quorum((q) => q.highWatermark));
  gauge(`${raft}log_end_offset`, 'End offset of the local metadata log (raft-metrics log-end-offset).', [], quorum((q) => q.logEndOffset));
  gauge('samsa_raft_voter_lag_records', "On the quorum leader: records each voter is behind the leader's log end.", ['voter'], (s) =>
    (s.quorum?.voterLag ?? []).map((v): Sample => [{ voter: v.voterId }, v.records]),
  );

  // ---- groups: kafka.server:type=GroupMetadataManager, group-coordinator-metrics, kafka_exporter
  const gmm = 'kafka_server_groupmetadatamanager_';
  gauge(`${gmm}numgroups`, 'Classic groups coordinated here (NumGroups).', [], (s) => s.groups.groups.length);
  for (const state of GROUP_STATES)
    gauge(`${gmm}numgroups${state.toLowerCase()}`, `Groups coordinated here in state ${state} (NumGroups${state}).`, [], (s) => s.groups.groups.filter((g) => g.state === state).length);
  gauge(`${gmm}numoffsets`, 'Committed offsets held by the groups coordinated here (NumOffsets).', [], (s) => s.groups.groups.reduce((n, g) => n + g.offsets.length, 0));
  const gcm = 'kafka_server_group_coordinator_metrics_';
  counter(`${gcm}group_rebalance_total`, 'Rebalances started by groups coordinated here (group-rebalance-count).', [], (s) => s.groups.rebalances);
  counter(`${gcm}group_completed_rebalance_total`, 'Rebalances completed by groups coordinated here (group-completed-rebalance-count).', [], (s) => s.groups.completedRebalances);
  const cg = ['consumergroup'];
  gauge('kafka_consumergroup_members', 'Members of each group coordinated here (kafka_exporter).', cg, (s) => s.groups.groups.map((g): Sample => [{ consumergroup: g.groupId }, g.members]));
  gauge('kafka_consumergroup_current_offset', 'Committed offset of each group and partition (kafka_exporter); lag = log end offset - this.', [...cg, 'topic', 'partition'], (s) =>
    s.groups.groups.flatMap((g) => g.offsets.map((o): Sample => [{ consumergroup: g.groupId, topic: o.topic, partition: o.partition }, o.offset])),
  );
  gauge('samsa_group_generation', 'Generation of each group coordinated here: it moves once per completed rebalance.', cg, (s) => s.groups.groups.map((g): Sample => [{ consumergroup: g.groupId }, g.generation]));
  gauge('samsa_group_state', "1 for each group's state.", [...cg, 'state'], (s) => s.groups.groups.map((g): Sample => [{ consumergroup: g.groupId, state: g.state }, 1]));

  // ---- kafka.network:type=RequestMetrics and the socket server
  const nrm = 'kafka_network_requestmetrics_';
  const requests = () => [...meters.requestTypes];
  counter(`${nrm}requests_total`, 'Requests by type and API version (RequestsPerSec).', ['request', 'version'], () =>
    requests().flatMap((r) => r.requests.flatMap((n, version) => (n > 0 ? [[{ request: r.name, version }, n] as const] : []))),
  );
  counter(`${nrm}errors_total`, 'Error codes in responses, NONE included, one per partition where the response has them (ErrorsPerSec).', ['request', 'error'], () =>
    [...meters.errors].flatMap(([request, codes]) => [...codes.entries()].map(([code, n]): Sample => [{ request, error: errorName(code) }, n])),
  );
  counter(`${nrm}requestbytes_total`, 'Request bytes received, size prefix included (RequestBytes, as a sum).', ['request'], () => requests().map((r): Sample => [{ request: r.name }, r.requestBytes]));
  counter('samsa_network_responsebytes_total', 'Response bytes sent, size prefix included.', ['request'], () => requests().map((r): Sample => [{ request: r.name }, r.responseBytes]));
  new BucketHistogram(registry, `${nrm}totaltimems`, 'Request time in ms from the complete request frame to the response handed to the socket (TotalTimeMs).', () =>
    requests().map((r): [Labels, Histogram] => [{ request: r.name }, r.totalTimeMs]),
  );
  const ssm = 'kafka_server_socket_server_metrics_';
  const listener = (v: () => number) => () => [[{ listener: listenerName }, v()] as const];
  gauge(`${ssm}connection_count`, 'Open client connections (socket-server-metrics connection-count).', ['listener'], listener(() => meters.connectionsCreated - meters.connectionsClosed));
  counter(`${ssm}connection_creation_total`, 'Connections accepted (socket-server-metrics connection-creation-total).', ['listener'], listener(() => meters.connectionsCreated));
  counter(`${ssm}connection_close_total`, 'Connections closed (socket-server-metrics connection-close-total).', ['listener'], listener(() => meters.connectionsClosed));
  counter(`${ssm}successful_reauthentication_total`, 'SASL re-authentications completed (socket-server-metrics successful-reauthentication-total).', ['listener'], listener(() => meters.successfulReauthentications));
  counter(`${ssm}failed_reauthentication_total`, 'SASL re-authentications refused (socket-server-metrics failed-reauthentication-total).', ['listener'], listener(() => meters.failedReauthentications));
  counter(`${ssm}expired_connections_killed_count`, 'Connections closed at a request after their SASL session expired (socket-server-metrics expired-connections-killed-count).', ['listener'], listener(() => meters.expiredConnectionsKilled));

  // ---- process: the standard client-library names, sampled at scrape time only. prom-client's
  // collectDefaultMetrics is not used: its GC observer and second event-loop monitor run all the
  // time, which the metrics benchmark measured as the largest part of the metrics' cost.
  const startTime = Math.round(Date.now() / 1000 - process.uptime());
  counter('process_cpu_user_seconds_total', 'User CPU time spent in seconds.', [], (s) => s.process.cpu.user / 1e6);
  counter('process_cpu_system_seconds_total', 'System CPU time spent in seconds.', [], (s) => s.process.cpu.system / 1e6);
  counter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', [], (s) => (s.process.cpu.user + s.process.cpu.system) / 1e6);
  gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', [], () => startTime);
  gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', [], (s) => s.process.memory.rss);
  gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', [], (s) => s.process.memory.heapTotal);
  gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', [], (s) => s.process.memory.heapUsed);
  gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', [], (s) => s.process.memory.external);
  gauge('process_open_fds', 'Number of open file descriptors (Linux only).', [], (s) => (s.process.openFds === undefined ? [] : s.process.openFds));
  gauge('samsa_process_uptime_seconds', 'Seconds since the node process started.', [], () => process.uptime());
  const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  eld.enable();
  const delay = (ns: number) => Math.max(0, ns / 1e9 - ELD_RESOLUTION_MS / 1000);
  gauge('samsa_eventloop_delay_p50_seconds', 'Median event-loop delay since the previous scrape.', [], (s) => s.eventLoop.p50);
  gauge('samsa_eventloop_delay_p99_seconds', '99th percentile event-loop delay since the previous scrape.', [], (s) => s.eventLoop.p99);
  gauge('samsa_eventloop_delay_max_seconds', 'Largest event-loop delay since the previous scrape.', [], (s) => s.eventLoop.max);

  const read = (): Snapshot => {
    const partitions = [...source.partitions()];
    const rows = new Map<string, Snapshot['topicRows'][number]>();
    for (const p of partitions) rows.set(`${p.topic}\u0000${p.partition}`, { topic: p.topic, partition: p.partition, m: undefined });
    for (const [topic, partition, m] of meters.partitions()) rows.set(`${topic}\u0000${partition}`, { topic, partition, m });
    const eventLoop = eld.count ? { p50: delay(eld.percentile(50)), p99: delay(eld.percentile(99)), max: delay(eld.max) } : { p50: 0, p99: 0, max: 0 };
    eld.reset();
    return {
      partitions,
      topicRows: [...rows.values()],
      cluster: source.cluster(),
      quorum: source.quorum(),
      groups: source.groups(),
      replication: source.replication(),
      offlineLogDirs: source.offlineLogDirs(),
      process: { cpu: process.cpuUsage(), memory: process.memoryUsage(), openFds: openFds() },
      eventLoop,
    };
  };

  let last: Promise<unknown> = Promise.resolve();
  return {
    contentType: registry.contentType,
    scrape() {
      const run = last.then(async () => {
        snap = read();
        try {
          return await registry.metrics();
        } finally {
          snap = undefined;
        }
      });
      last = run.catch(() => {});
      return run;
    },
    close: () => eld.disable(),
  };
}
