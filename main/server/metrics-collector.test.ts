// The collectors against a real 3-node cluster, with kcat producing and consuming: the rates
// they chart add up to what was produced, lag matches what the Kafka API says, a killed node
// is a gap exactly as long as its outage, and the Kafka-API collector (remote clusters) agrees.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTopic, startTestCluster, type TestCluster } from '../../broker/testing/cluster.ts';
import { scrapeParsed, sumOf } from '../../broker/testing/prometheus.ts';
import { run } from '../../broker/testing/run.ts';
import { sleep, until } from '../../broker/testing/wait.ts';
import { NO_LABELS, seriesKey, type Metric, type SeriesLabels } from '../contract/metrics.ts';
import { KafkaConnection } from '../kafka/connection.ts';
import { describeGroup } from '../kafka/groups.ts';
import { MetricsCollector, type Tick } from './metrics-collector.ts';
import { KafkaApiSampler } from './metrics-kafka-source.ts';
import { NodeMetricsSampler } from './metrics-node-source.ts';
import { targetsFromNodes } from './metrics-targets.ts';

const TOPIC = 'web.clicks';
const N = 3000;
const VALUE = 'x'.repeat(100);

let tc: TestCluster;
let conn: KafkaConnection;
let collector: MetricsCollector;
let kafkaApi: MetricsCollector;
const ticks: Tick[] = [];
const apiTicks: Tick[] = [];

const key = (metric: Metric, l: Partial<SeriesLabels> = {}) => seriesKey(metric, { ...NO_LABELS, ...l });
const valueAt = (t: Tick, metric: Metric, l: Partial<SeriesLabels> = {}) => t.values.get(key(metric, l));
/**
 * Sum of rate × the seconds each point stands for (since the series' previous point): what a
 * chart's area says was moved.
 */
function integrate(list: Tick[], metric: Metric, l: Partial<SeriesLabels> = {}): number {
  let total = 0;
  let prev: number | null = null;
  for (const t of list) {
    const v = valueAt(t, metric, l);
    if (v === undefined) continue;
    if (prev !== null) total += v * ((t.t - prev) / 1000);
    prev = t.t;
  }
  return total;
}
const since = (list: Tick[], t: number) => list.filter((x) => x.t >= t);

async function kcatProduce(count: number, from = 0) {
  const input = Array.from({ length: count }, (_, i) => `k${(from + i) % 13}:${VALUE}`).join('\n') + '\n';
  const r = await run('kcat', ['-P', '-b', tc.bootstrap, '-t', TOPIC, '-K', ':', '-X', 'linger.ms=5'], { input, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
}

async function logBytesOnLeaders(): Promise<number> {
  let total = 0;
  for (const n of tc.cluster.nodes.filter((x) => x.state === 'running')) {
    const s = await scrapeParsed(n.metricsUrl!);
    for (const p of [0, 1, 2]) {
      if (sumOf(s, 'samsa_partition_leader', { topic: TOPIC, partition: String(p) }) === 1) total += sumOf(s, 'kafka_log_log_size', { topic: TOPIC, partition: String(p) });
    }
  }
  return total;
}

/** Waits until the cluster has been quiet (no messages in) for `quiet` ticks of `list`. */
const settle = (list: Tick[], quiet = 3, timeoutMs = 60_000) =>
  until('the rates to settle at 0', async () => list.length > quiet && list.slice(-quiet).every((t) => valueAt(t, 'messagesIn') === 0), timeoutMs);

before(async () => {
  tc = await startTestCluster({ nodes: 3, nodeArgs: ['--offsets-topic-num-partitions', '3'] });
  await tc.cluster.waitReady();
  assert.equal(await createTopic(tc, TOPIC, { partitions: 3, replicationFactor: 3 }), 0);
  collector = new MetricsCollector(new NodeMetricsSampler(targetsFromNodes(() => tc.cluster.nodes))).start();
  collector.subscribe((t) => ticks.push(t));
  conn = new KafkaConnection({ id: 'remote', name: 'remote', bootstrap: tc.bootstrap.split(','), bundled: false });
  kafkaApi = new MetricsCollector(new KafkaApiSampler(() => conn, 1000)).start();
  kafkaApi.subscribe((t) => apiTicks.push(t));
});

after(async () => {
  collector?.close();
  kafkaApi?.close();
  await conn?.close();
  await tc?.stop();
});

test('messages and bytes in: the charted rates add up to what kcat produced (±1 %)', { timeout: 180_000 }, async () => {
  await until('rates from both collectors', async () => ticks.some((t) => valueAt(t, 'messagesIn') !== undefined) && apiTicks.some((t) => valueAt(t, 'messagesIn') !== undefined), 30_000);
  await settle(ticks);
  await settle(apiTicks);
  const start = Math.max(ticks.at(-1)!.t, apiTicks.at(-1)!.t);
  const bytesBefore = await logBytesOnLeaders();
  await kcatProduce(N);
  const bytesAfter = await logBytesOnLeaders();
  await until('the produce to show up', async () => since(ticks, start).some((t) => (valueAt(t, 'messagesIn') ?? 0) > 0), 30_000);
  await settle(ticks);
  await settle(apiTicks);

  const fine = since(ticks, start - 1000);
  const messages = integrate(fine, 'messagesIn');
  assert.ok(Math.abs(messages - N) <= N * 0.01, `node metrics: ${messages} messages, produced ${N}`);
  const perPartition = [0, 1, 2].reduce((s, p) => s + integrate(fine, 'messagesIn', { topic: TOPIC, partition: p }), 0);
  assert.ok(Math.abs(perPartition - N) <= N * 0.01, `per partition: ${perPartition}`);
  const perNode = [1, 2, 3].reduce((s, n) => s + integrate(fine, 'messagesIn', { node: n }), 0);
  assert.ok(Math.abs(perNode - N) <= N * 0.01, `per node: ${perNode}`);
  const bytes = integrate(fine, 'bytesIn', { topic: TOPIC });
  const grown = bytesAfter - bytesBefore;
  assert.ok(grown > N * VALUE.length, `the logs grew by ${grown}`);
  assert.ok(Math.abs(bytes - grown) <= grown * 0.01, `bytes in: ${bytes}, the leaders' logs grew by ${grown}`);
  assert.ok(fine.some((t) => (valueAt(t, 'produceP99') ?? 0) > 0), 'produce latency was measured');
  assert.ok(fine.every((t) => valueAt(t, 'offline') === 0), 'no offline partition');

  // Offsets are exact, and so is the Kafka-API collector's sum.
  const api = integrate(since(apiTicks, start - 1000), 'messagesIn');
  assert.ok(Math.abs(api - N) < 1e-6 * N, `kafka api: ${api} messages`);
  const apiTopic = integrate(since(apiTicks, start - 1000), 'messagesIn', { topic: TOPIC });
  assert.ok(Math.abs(apiTopic - N) < 1e-6 * N, `kafka api, the topic: ${apiTopic}`);

  // The history a page loads says the same as the live ticks.
  const h = collector.snapshot('5m', { series: (m) => m.key === key('messagesIn'), marker: () => false });
  assert.equal(h.source, 'node-metrics');
  assert.equal(h.series.length, 1, 'one series asked for');
  assert.equal(h.stepMs, 1000);
  const at = new Map(h.t.map((t, i) => [t, h.series[0].v[i]]));
  for (const t of fine) {
    const v = valueAt(t, 'messagesIn');
    if (v !== undefined) assert.ok(Math.abs((at.get(t.t) ?? NaN) - v) <= Math.abs(v) * 1e-5, `history at ${t.t}`);
  }
});

test('consumer lag and consumption: the collectors agree with the Groups screen (ListOffsets − committed)', { timeout: 180_000 }, async () => {
  /** kcat in group `billing` reads to the end of every partition and commits on its way out. */
  const consumeAll = async () => {
    const r = await run('kcat', ['-C', '-b', tc.bootstrap, '-G', 'billing', TOPIC, '-e', '-q', '-o', 'beginning'], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
  };
  /** The group as the Groups screen reads it, once its commits cover `total` records of all 3 partitions. */
  const committed = (total: number) =>
    until(`${total} committed`, async () => {
      const g = await describeGroup(conn, 'billing').catch(() => null);
      return g && g.offsets.length === 3 && g.offsets.reduce((s, o) => s + (o.committed ?? 0), 0) === total ? g : null;
    }, 40_000);
  const sameLag = async (g: Awaited<ReturnType<typeof committed>>, lag: number) => {
    assert.equal(g.offsets.reduce((s, o) => s + (o.lag ?? 0), 0), lag, 'the Groups screen');
    for (const [name, list] of [
      ['node metrics', ticks],
      ['kafka api', apiTicks],
    ] as const) {
      // One tick that agrees on the total and on every partition (a tick may have read the
      // commits of some partitions only, before the others were written).
      const matches = (t: Tick) =>
        valueAt(t, 'lag', { group: 'billing' }) === lag && g.offsets.every((o) => valueAt(t, 'lag', { group: 'billing', topic: TOPIC, partition: o.partition }) === o.lag);
      await until(`${name}: lag ${lag} in total and per partition`, async () => {
        const last = list.at(-1);
        return last !== undefined && matches(last);
      }, 20_000);
    }
  };
  await consumeAll();
  await sameLag(await committed(N), 0);
  await kcatProduce(600, N);
  await sameLag(await committed(N), 600);
  const start = Math.max(ticks.at(-1)!.t, apiTicks.at(-1)!.t);
  await consumeAll();
  await sameLag(await committed(N + 600), 0);
  for (const [name, list] of [
    ['node metrics', ticks],
    ['kafka api', apiTicks],
  ] as const) {
    const consumed = integrate(since(list, start), 'consumeRate', { group: 'billing' });
    assert.ok(Math.abs(consumed - 600) < 1e-3, `${name}: consumption adds up to ${consumed}, 600 were committed`);
  }
  assert.ok(apiTicks.at(-1)!.values.has(key('diskBytes', { node: 1 })), 'disk use from DescribeLogDirs');
});

test('a killed node is a gap as long as its outage; after its restart it is charted again at once', { timeout: 180_000 }, async () => {
  await settle(ticks);
  tc.cluster.kill(2);
  const killedAt = Date.now();
  await until('under-replicated partitions', async () => (valueAt(ticks.at(-1)!, 'underReplicated') ?? 0) > 0, 30_000);
  await until('Kafka API: under-replicated partitions', async () => (valueAt(apiTicks.at(-1)!, 'underReplicated') ?? 0) > 0, 30_000);
  await sleep(2000);
  const down = since(ticks, killedAt + 1000);
  assert.ok(down.length >= 2);
  assert.ok(down.every((t) => valueAt(t, 'rss', { node: 2 }) === undefined), 'no value while node 2 is down');
  assert.ok(down.every((t) => valueAt(t, 'rss', { node: 1 }) !== undefined), 'the others are still charted');
  const markers = () => ticks.flatMap((t) => t.markers).filter((m) => m.node === 2 && m.at >= killedAt - 1000);
  await until('a node-down marker', async () => markers().some((m) => m.kind === 'node-down'), 10_000);
  assert.deepEqual(markers().map((m) => m.kind), ['node-down'], 'one marker, no flapping');

  await tc.cluster.startNode(2);
  const startedAt = tc.cluster.node(2).startedAt!;
  // The restarted node listens on a new metrics port: it is charted from the next tick or so.
  const back = await until('node 2 charted again', async () => since(ticks, startedAt).find((t) => valueAt(t, 'rss', { node: 2 }) !== undefined), 10_000);
  assert.ok(back.t - startedAt <= 2000, `node 2 back ${back.t - startedAt} ms after it listened`);
  assert.ok(valueAt(back, 'messagesIn', { node: 2 }) !== undefined, 'a rate at once: counted from its restart');
  assert.ok(valueAt(back, 'cpu', { node: 2 })! >= 0);
  assert.deepEqual(back.markers.filter((m) => m.node === 2).map((m) => [m.kind, m.at]), [['node-up', back.t]], 'marked up at its first answer');
  assert.ok(collector.snapshot('5m', { series: () => false, marker: (m) => m.node === 2 }).markers.length >= 2, 'the markers are in the history');
  const h = collector.snapshot('5m', { series: (m) => m.key === key('rss', { node: 2 }), marker: () => false });
  const gap = h.t.filter((t, i) => t > killedAt - 1000 && t < back.t && h.series[0].v[i] === null);
  const outage = back.t - killedAt;
  assert.ok(gap.length >= Math.floor(outage / 1000) - 2 && gap.length <= Math.ceil(outage / 1000) + 1, `gap of ${gap.length} points for an outage of ${outage} ms`);
  await until('the ISR to heal', async () => valueAt(ticks.at(-1)!, 'underReplicated') === 0, 60_000);
});
