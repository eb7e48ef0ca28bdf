// The exposition read back through the reference Prometheus parser (Debian's
// python3-prometheus-client): every sample sits in a family of its declared type, histogram
// buckets are cumulative up to +Inf = _count, label values survive escaping, and the label sets
// follow the broker state (a deleted topic's series disappear, a hosted partition without
// traffic shows 0). The broker state is a hand-made MetricsSource: the input, not the subject.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePrometheus, prometheusPython, sumOf } from '../testing/prometheus.ts';
import { createExposition } from './exposition.ts';
import { NodeMeters } from './meters.ts';
import type { GroupSnapshot, MetricsSource, PartitionSnapshot } from './source.ts';

const skip = !prometheusPython() && 'python3-prometheus-client not installed';

function partition(topic: string, p: number, leader: boolean): PartitionSnapshot {
  return {
    topic,
    partition: p,
    leader,
    replicas: 3,
    isr: leader ? 2 : 3,
    minIsr: 2,
    size: 1000 + p,
    logStartOffset: 0,
    logEndOffset: 10 + p,
    highWatermark: 9 + p,
    followers: leader ? [{ replicaId: 2, messages: 4, ms: 1500 }] : [],
  };
}

function fixture() {
  const state = {
    partitions: [partition('orders', 0, true), partition('orders', 1, false), partition('quiet', 0, true)],
    groups: [] as GroupSnapshot[],
  };
  const source: MetricsSource = {
    partitionExists: (t, p) => state.partitions.some((x) => x.topic === t && x.partition === p),
    partitions: () => state.partitions,
    cluster: () => ({ topics: 2, partitions: 3, offlinePartitions: 1 }),
    quorum: () => ({
      state: 'leader',
      epoch: 7,
      leaderId: 1,
      highWatermark: 42,
      logEndOffset: 44,
      voterLag: [{ voterId: 2, records: 2 }],
      newActiveControllers: 3,
    }),
    groups: () => ({ groups: state.groups, rebalances: 5, completedRebalances: 4 }),
    replication: () => ({ bytesIn: 123, isrShrinks: 2, isrExpands: 1 }),
    offlineLogDirs: () => 0,
  };
  const meters = new NodeMeters(source.partitionExists);
  return { state, source, meters, exposition: createExposition(meters, source) };
}

test('every sample parses into a family of its declared type', { skip }, async (t) => {
  const { meters, exposition } = fixture();
  t.after(() => exposition.close());
  meters.appended('orders', 0, 500, 5);
  meters.request('Produce', 'Produce', 11).totalTimeMs.observe(3);
  const samples = await parsePrometheus(await exposition.scrape());
  // A sample outside its family makes the parser yield an 'unknown' singleton family.
  assert.deepEqual(
    samples.filter((s) => s.type === 'unknown'),
    [],
  );
  const typeOf = (name: string) => samples.find((s) => s.name === name)?.type;
  assert.equal(typeOf('kafka_server_brokertopicmetrics_bytesin_total'), 'counter');
  assert.equal(typeOf('kafka_log_log_size'), 'gauge');
  assert.equal(typeOf('kafka_network_requestmetrics_totaltimems_bucket'), 'histogram');
  assert.equal(typeOf('process_cpu_seconds_total'), 'counter');
  assert.equal(typeOf('samsa_eventloop_delay_p99_seconds'), 'gauge');
});

test(
  'topic counters carry the meters, hosted partitions without traffic show 0, deleted topics vanish',
  { skip },
  async (t) => {
    const { state, meters, exposition } = fixture();
    t.after(() => exposition.close());
    meters.appended('orders', 0, 500, 5);
    meters.appended('orders', 0, 250, 2);
    meters.appended('no-such-topic', 0, 999, 9); // not in metadata: not kept
    let s = await parsePrometheus(await exposition.scrape());
    const bytesIn = (labels: Record<string, string>) =>
      sumOf(s, 'kafka_server_brokertopicmetrics_bytesin_total', labels);
    assert.equal(bytesIn({ topic: 'orders', partition: '0' }), 750);
    assert.equal(sumOf(s, 'kafka_server_brokertopicmetrics_messagesin_total', { topic: 'orders', partition: '0' }), 7);
    assert.ok(
      s.some(
        (x) =>
          x.name === 'kafka_server_brokertopicmetrics_bytesin_total' && x.labels.topic === 'quiet' && x.value === 0,
      ),
    );
    assert.ok(!s.some((x) => x.labels.topic === 'no-such-topic'));
    assert.equal(sumOf(s, 'kafka_log_log_logendoffset', { topic: 'orders', partition: '1' }), 11);
    assert.equal(sumOf(s, 'samsa_partition_highwatermark', { topic: 'orders', partition: '1' }), 10);
    assert.equal(sumOf(s, 'kafka_server_replicamanager_leadercount'), 2);
    assert.equal(sumOf(s, 'kafka_server_replicamanager_partitioncount'), 3);
    assert.equal(sumOf(s, 'kafka_server_replicamanager_underreplicatedpartitions'), 2);
    assert.equal(sumOf(s, 'kafka_server_replicamanager_isrshrinks_total'), 2);
    assert.equal(
      sumOf(s, 'kafka_server_fetcherlagmetrics_consumerlag', { topic: 'orders', partition: '0', replica: '2' }),
      4,
    );
    assert.equal(sumOf(s, 'kafka_controller_kafkacontroller_offlinepartitionscount'), 1);
    assert.equal(sumOf(s, 'kafka_server_raft_metrics_current_state', { state: 'leader' }), 1);
    assert.equal(sumOf(s, 'kafka_server_raft_metrics_current_state'), 1);
    assert.equal(sumOf(s, 'samsa_raft_voter_lag_records', { voter: '2' }), 2);

    state.partitions = state.partitions.filter((p) => p.topic !== 'orders'); // topic deleted
    s = await parsePrometheus(await exposition.scrape());
    assert.ok(!s.some((x) => x.labels.topic === 'orders'), 'series of a deleted topic are gone');
  },
);

test('histogram buckets are cumulative, +Inf equals _count, _sum is the total', { skip }, async (t) => {
  const { meters, exposition } = fixture();
  t.after(() => exposition.close());
  const produce = meters.request('Produce', 'Produce', 11);
  for (const ms of [0.04, 0.05, 0.6, 2, 2, 9, 70000]) produce.totalTimeMs.observe(ms);
  const s = await parsePrometheus(await exposition.scrape());
  const buckets = s.filter(
    (x) => x.name === 'kafka_network_requestmetrics_totaltimems_bucket' && x.labels.request === 'Produce',
  );
  const le = (b: string) => buckets.find((x) => x.labels.le === b)?.value;
  assert.equal(le('0.05'), 2); // bounds are inclusive
  assert.equal(le('0.75'), 3);
  assert.equal(le('2'), 5);
  assert.equal(le('10'), 6);
  assert.equal(le('60000'), 6);
  assert.equal(le('+Inf'), 7);
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i].value >= buckets[i - 1].value, 'cumulative');
  assert.equal(sumOf(s, 'kafka_network_requestmetrics_totaltimems_count', { request: 'Produce' }), 7);
  assert.ok(
    Math.abs(sumOf(s, 'kafka_network_requestmetrics_totaltimems_sum', { request: 'Produce' }) - 70013.69) < 1e-6,
  );
});

test('errors by code and odd group ids survive the text format', { skip }, async (t) => {
  const { state, meters, exposition } = fixture();
  t.after(() => exposition.close());
  const fetch = meters.request('FetchConsumer', 'Fetch', 17);
  fetch.errors.add(0, 10);
  fetch.errors.add(1, 2);
  meters.request('FetchFollower', 'Fetch', 17).errors.add(1); // Kafka counts both under "Fetch"
  const odd = 'team "a"\\b\nc';
  state.groups = [
    {
      groupId: odd,
      state: 'Stable',
      members: 2,
      generation: 3,
      offsets: [{ topic: 'orders', partition: 0, offset: 8 }],
    },
  ];
  const s = await parsePrometheus(await exposition.scrape());
  assert.equal(
    sumOf(s, 'kafka_network_requestmetrics_errors_total', { request: 'Fetch', error: 'OFFSET_OUT_OF_RANGE' }),
    3,
  );
  assert.equal(sumOf(s, 'kafka_network_requestmetrics_errors_total', { request: 'Fetch', error: 'NONE' }), 10);
  assert.equal(sumOf(s, 'kafka_consumergroup_members', { consumergroup: odd }), 2);
  assert.equal(
    sumOf(s, 'kafka_consumergroup_current_offset', { consumergroup: odd, topic: 'orders', partition: '0' }),
    8,
  );
  assert.equal(sumOf(s, 'kafka_server_groupmetadatamanager_numgroupsstable'), 1);
  assert.equal(sumOf(s, 'kafka_server_group_coordinator_metrics_group_completed_rebalance_total'), 4);
});
